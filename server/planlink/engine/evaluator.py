"""Query evaluation in worker processes that can be killed and replaced.

pyoxigraph cannot interrupt a running query, so every query runs in a forked evaluator process holding
the store (an in-memory store shared copy-on-write with its parent, or an on-disk store it opens read-only).
A query that overruns its time limit has its evaluator killed and a fresh one forked in its place; the
other evaluators go on answering.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, Pipe
from typing import Any

import pyoxigraph as ox

from planlink.engine.answers import write_answer
from planlink.engine.backend import SYNTAX_AT, Outcome, Request
from planlink.engine.store import release_freed_memory
from planlink.foundation.errors import Busy, PlanlinkError, QuerySyntaxError, QueryTimeout

StoreOpener = Callable[[], ox.Store]


def evaluate(store: ox.Store, req: Request) -> Outcome:
    """Run one query on ``store`` (inside an evaluator) and write the answer."""
    started = time.perf_counter()
    kwargs: dict[str, Any] = {}
    if req.default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
    elif req.union_default:
        kwargs["use_default_graph_as_union"] = True
    if req.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
    if req.substitutions:  # what QueryService could not bind in the text (blank nodes)
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in req.substitutions.items()}
    try:
        answer = store.query(req.query, **kwargs)
    except SyntaxError as exc:
        m = SYNTAX_AT.search(str(exc))
        raise QuerySyntaxError(
            f"malformed query: {exc}", int(m.group(1)) if m else None, int(m.group(2)) if m else None
        ) from None
    out = write_answer(answer, req)
    out.seconds = time.perf_counter() - started
    return out


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _deny_network() -> bool:
    """Forbid this process to open IPv4/IPv6 sockets (seccomp): whatever a query asks, an evaluator cannot
    reach another host. Defence in depth behind QueryService's refusal of SERVICE; False if unavailable."""
    try:
        import errno
        import socket

        import pyseccomp as sc

        f = sc.SyscallFilter(sc.ALLOW)
        for domain in (socket.AF_INET, socket.AF_INET6):
            f.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.EQ, domain))
        f.load()
        return True
    except Exception:  # noqa: BLE001 - no libseccomp or no kernel support: the lexical refusal still holds
        return False


def _evaluator_main(conn: Connection, opener: StoreOpener) -> None:
    keep = conn.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    store = opener()
    _deny_network()
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Any = evaluate(store, req)
        except PlanlinkError as exc:
            reply = exc
        except Exception as exc:  # noqa: BLE001 - report anything to the parent, keep serving
            reply = PlanlinkError(f"query evaluation failed: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class Evaluator:
    def __init__(self, opener: StoreOpener, generation: int = 0) -> None:
        self.generation = generation  # which store opener of the pool it was forked with
        parent, child = Pipe(duplex=True)
        pid = os.fork()
        if pid == 0:  # the evaluator
            try:
                parent.close()
                _evaluator_main(child, opener)
            finally:
                os._exit(0)
        child.close()
        self.pid = pid
        self.conn = parent

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.conn.close()


class EvaluatorPool:
    """A fixed number of evaluators; a request takes one, or waits up to ``queue_wait`` seconds for one."""

    def __init__(self, opener: StoreOpener, size: int, queue_wait: float) -> None:
        self.opener = opener
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self.idle: queue.Queue[Evaluator] = queue.Queue()
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._started = False
        self.generation = 0
        self._ready: Callable[[], StoreOpener | None] | None = None
        self._next_poll = 0.0
        self.poll_every = 2.0

    def switch_when(self, ready: Callable[[], StoreOpener | None], every: float = 2.0) -> None:
        """Move to another store once ``ready`` (asked at most every ``every`` seconds, when a query comes)
        gives its opener: each evaluator is then replaced, as it comes back idle, by one forked for the new
        store. A start with changed files serves from memory while the on-disk store is built; the switch lets
        the evaluators leave the copy-on-write pages of the in-memory store, which queries make private."""
        self._ready, self.poll_every, self._next_poll = ready, every, 0.0

    def poll_switch(self) -> bool:
        """Whether the pool has moved to the store ``switch_when`` waits for (asking again if it is time)."""
        if self._ready is None or time.monotonic() < self._next_poll:
            return self._ready is None
        with self._lock:
            if self._ready is None or time.monotonic() < self._next_poll:
                return self._ready is None
            self._next_poll = time.monotonic() + self.poll_every
            opener = self._ready()
            if opener is None:
                return False
            self.opener, self._ready = opener, None  # the old opener held the in-memory store
            self.generation += 1
        release_freed_memory()
        return True

    def start(self) -> None:
        self._ensure_started()

    def _ensure_started(self) -> None:
        # Evaluators are forked lazily in the process that uses them (after gunicorn forks its workers).
        if self._started and self._pid == os.getpid():
            return
        with self._lock:
            if self._started and self._pid == os.getpid():
                return
            self.idle = queue.Queue()
            for _ in range(self.size):
                self.idle.put(Evaluator(self.opener, self.generation))
            self._pid = os.getpid()
            self._started = True

    def run(self, req: Request, timeout: float) -> Outcome:
        self._ensure_started()
        self.poll_switch()
        try:
            ev = self.idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise Busy(f"all {self.size} query slots are busy; try again shortly", retry_after=1) from None
        healthy = False
        try:
            ev.conn.send(req)
            if not ev.conn.poll(timeout):
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {timeout:g} s and was stopped",
                    limit_seconds=timeout,
                )
            reply = ev.conn.recv()
            healthy = True
        except (EOFError, OSError) as exc:
            raise PlanlinkError(f"the query evaluator stopped unexpectedly ({type(exc).__name__})") from None
        finally:
            if healthy and ev.generation == self.generation:
                self.idle.put(ev)
            else:  # stopped, or forked for a store the pool has left
                ev.kill()
                self.idle.put(Evaluator(self.opener, self.generation))
        if isinstance(reply, PlanlinkError):
            raise reply
        return reply

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                break
