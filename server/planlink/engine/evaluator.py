"""Query evaluation in worker processes that can be killed and replaced.

pyoxigraph cannot interrupt a running query, so every query runs in a forked evaluator process holding
the store (an in-memory store shared copy-on-write with its parent, or an on-disk store it opens read-only).
A query that overruns its time limit has its evaluator killed and a fresh one forked in its place; the
other evaluators go on answering.
"""

from __future__ import annotations

import ctypes
import math
import os
import queue
import signal
import threading
import time
from collections import OrderedDict
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
    def __init__(self, opener: StoreOpener, generation: int = 0, nice: int = 0) -> None:
        self.generation = generation  # which store opener of the pool it was forked with
        parent, child = Pipe(duplex=True)
        pid = os.fork()
        if pid == 0:  # the evaluator
            try:
                parent.close()
                if nice:
                    os.nice(nice)
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


class _Forker:
    """Forks every evaluator of this process from one long-lived thread.

    An evaluator asks the kernel to kill it when its parent ends (PR_SET_PDEATHSIG), and the kernel counts the
    *thread* that forked it as the parent. Request threads come and go (granian retires a blocking thread idle
    for 30 s), and an evaluator forked from one was killed with it, mid-query or idle. This thread lives as
    long as the process."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[tuple[StoreOpener, int, int], queue.Queue[Any]]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def fork(self, opener: StoreOpener, generation: int, nice: int) -> Evaluator:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._jobs = (
                    queue.Queue()
                )  # a fresh queue in a forked process (the old one's lock may be held)
                self._thread = threading.Thread(target=self._serve, args=(self._jobs,), daemon=True)
                self._thread.name = "planlink-evaluator-forker"
                self._pid = os.getpid()
                self._thread.start()
            jobs = self._jobs
        done: queue.Queue[Any] = queue.Queue(maxsize=1)
        jobs.put(((opener, generation, nice), done))
        made = done.get()
        if isinstance(made, BaseException):
            raise made
        return made  # type: ignore[no-any-return]

    @staticmethod
    def _serve(jobs: queue.Queue[tuple[tuple[StoreOpener, int, int], queue.Queue[Any]]]) -> None:
        while True:
            args, done = jobs.get()
            try:
                done.put(Evaluator(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
                done.put(exc)


FORKER = _Forker()


def fork_evaluator(opener: StoreOpener, generation: int = 0, nice: int = 0) -> Evaluator:
    """A new evaluator, forked from this process's long-lived forking thread (see ``_Forker``)."""
    return FORKER.fork(opener, generation, nice)


class CostBook:
    """How long each query text took, lately (an exponential average per text, the most recent texts kept)."""

    def __init__(self, entries: int = 4096, weight: float = 0.3) -> None:
        self.entries, self.weight = entries, weight
        self._seconds: OrderedDict[int, float] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(req: Request) -> int:
        return hash((req.query, tuple(req.default_graphs or ()), tuple(req.named_graphs or ()), req.output))

    def get(self, key: int) -> float | None:
        with self._lock:
            return self._seconds.get(key)

    def note(self, key: int, seconds: float, at_least: bool = False) -> None:
        with self._lock:
            old = self._seconds.pop(key, None)
            if old is not None:
                seconds = max(old, seconds) if at_least else old + self.weight * (seconds - old)
            self._seconds[key] = seconds
            while len(self._seconds) > self.entries:
                self._seconds.popitem(last=False)


class _OverBudget(Exception):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Lane:
    """Evaluators that take one class of query, with their own queue: a heavy query never holds a quick one."""

    def __init__(self, name: str, size: int, nice: int) -> None:
        self.name, self.size, self.nice = name, max(1, size), nice
        self.idle: queue.Queue[Evaluator] = queue.Queue()
        self.waiting = 0  # requests waiting for an evaluator of this lane (guarded by the pool's lock)
        self.seconds = 0.1  # exponential average of a query's time here: the Retry-After estimate

    def start(self, opener: StoreOpener, generation: int) -> None:
        self.idle = queue.Queue()
        for _ in range(self.size):
            self.idle.put(fork_evaluator(opener, generation, self.nice))


class EvaluatorPool:
    """Evaluators in two lanes, each with its own queue (cost-aware admission).

    A query whose text is not known to be slow runs in the *quick* lane, with ``quick_limit`` seconds to
    answer; past that its evaluator is killed and replaced, and the query moves to the *heavy* lane with
    what is left of its time limit, its text remembered as heavy (``CostBook``) so that it goes there at
    once next time. Heavy evaluators run at a lower CPU priority. So a burst of heavy queries queues behind
    the heavy evaluators while quick queries keep their own, and a heavy query costs the quick lane at most
    ``quick_limit`` once per text. A pool of one evaluator, or ``quick_limit`` 0, has a single lane.

    A request waits for an evaluator of its lane up to ``queue_wait`` seconds, and at most ``queue_depth``
    requests wait per lane: past either bound it is refused at once with ``Busy`` (HTTP 503 + Retry-After,
    estimated from the lane's queue and its recent query times)."""

    HEAVY_NICE = 5

    def __init__(
        self,
        opener: StoreOpener,
        size: int,
        queue_wait: float,
        quick_limit: float = 0.0,
        queue_depth: int = 64,
    ) -> None:
        self.opener = opener
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self.queue_depth = max(1, queue_depth)
        self.quick_limit = quick_limit if self.size > 1 else 0.0
        if self.quick_limit > 0:
            quick = max(1, self.size // 2)
            self.quick: Lane | None = Lane("quick", quick, 0)
            self.heavy = Lane("heavy", self.size - quick, self.HEAVY_NICE)
            self.lanes = [self.quick, self.heavy]
        else:
            self.quick, self.heavy = None, Lane("all", self.size, 0)
            self.lanes = [self.heavy]
        self.costs = CostBook()
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
        # Evaluators are forked lazily in the process that uses them (after the HTTP server forks its workers).
        if self._started and self._pid == os.getpid():
            return
        with self._lock:
            if self._started and self._pid == os.getpid():
                return
            for lane in self.lanes:
                lane.start(self.opener, self.generation)
            self._pid = os.getpid()
            self._started = True

    def run(self, req: Request, timeout: float) -> Outcome:
        self._ensure_started()
        self.poll_switch()
        key = self.costs.key(req)
        known = self.costs.get(key)
        limit = timeout
        if self.quick is not None and (known is None or known < self.quick_limit):
            budget = min(self.quick_limit, timeout)
            try:
                return self._run_in(self.quick, req, timeout, budget, key, limit)
            except _OverBudget as over:
                self.costs.note(key, 2 * self.quick_limit, at_least=True)
                timeout -= over.seconds
                if timeout <= 0:
                    raise self._timeout(limit) from None
        return self._run_in(self.heavy, req, timeout, None, key, limit)

    @staticmethod
    def _timeout(limit: float) -> QueryTimeout:
        return QueryTimeout(
            f"the query ran longer than the time limit of {limit:g} s and was stopped", limit_seconds=limit
        )

    def _busy(self, lane: Lane, why: str) -> Busy:
        retry = max(1, math.ceil(lane.seconds * (lane.waiting + lane.size) / lane.size))
        what = "" if lane.name == "all" else f" for {lane.name} queries"
        return Busy(
            f"all {lane.size} query slots{what} are busy ({why}); try again in {retry} s", retry_after=retry
        )

    def _run_in(
        self, lane: Lane, req: Request, timeout: float, budget: float | None, key: int, limit: float
    ) -> Outcome:
        """Run ``req`` on an evaluator of ``lane`` within ``timeout`` seconds (``budget``, if given, is the
        quick lane's); ``limit`` is the whole time limit, as the message states it."""
        with self._lock:
            if lane.waiting >= self.queue_depth:
                raise self._busy(lane, f"{lane.waiting} requests are waiting")
            lane.waiting += 1
        try:
            ev = lane.idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise self._busy(lane, f"no slot came free in {self.queue_wait:g} s") from None
        finally:
            with self._lock:
                lane.waiting -= 1
        healthy = False
        started = time.monotonic()
        try:
            try:
                ev.conn.send(req)
            except (
                OSError
            ):  # it died while idle (killed from outside, or by the OOM killer): nothing ran yet,
                ev.kill()  # so a fresh evaluator takes the query and the request is not lost
                ev = fork_evaluator(self.opener, self.generation, lane.nice)
                ev.conn.send(req)
            if not ev.conn.poll(budget if budget is not None else timeout):
                if budget is not None:
                    raise _OverBudget(time.monotonic() - started)
                raise self._timeout(limit)
            reply = ev.conn.recv()
            healthy = True
        except (EOFError, OSError) as exc:
            raise PlanlinkError(f"the query evaluator stopped unexpectedly ({type(exc).__name__})") from None
        finally:
            if healthy and ev.generation == self.generation:
                lane.idle.put(ev)
            else:  # stopped, over its lane's budget, or forked for a store the pool has left
                ev.kill()
                lane.idle.put(fork_evaluator(self.opener, self.generation, lane.nice))
        seconds = time.monotonic() - started
        self.costs.note(key, seconds)
        lane.seconds += 0.2 * (seconds - lane.seconds)
        if isinstance(reply, PlanlinkError):
            raise reply
        return reply

    def close(self) -> None:
        for lane in self.lanes:
            while True:
                try:
                    lane.idle.get_nowait().kill()
                except queue.Empty:
                    break
