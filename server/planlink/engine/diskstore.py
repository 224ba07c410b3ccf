"""The persisted store: an Oxigraph on-disk store per data version, reused while the files are unchanged.

``<state_dir>/store-<version>`` (version = ``store.fingerprint`` of the files and the base IRI) holds every file
as its own named graph, and ``planlink-store.json`` with the triples per graph. That file is written last, after
the bulk load is flushed and the store closed, and the folder is built under another name and renamed into
place: a folder named ``store-<version>`` that holds it is complete. A start with unchanged files opens it and
parses nothing. A start with changed files parses them into memory (as fast as the in-memory mode) and
serves from there, while a background process builds the new version for the next start; old versions are
removed (the newest previous one is kept: another process may still be serving from it).

The build runs in a separate Python process (not a fork): the writable RocksDB handle, its background threads
and the bulk loader's memory (about 0.4 GiB for a million triples) never live in the process that serves and
forks query evaluators. Every process that reads the store opens its own read-only handle (``LoadedData.store``,
``LoadedData.opener``): an open on-disk store never crosses a fork.
"""

from __future__ import annotations

import fcntl
import gc
import itertools
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from planlink.engine.store import (
    GraphFile,
    LoadedData,
    count_per_graph,
    fingerprint,
    load,
    parse_file,
    rebase,
)
from planlink.foundation.errors import PlanlinkError

MARKER = "planlink-store.json"
PREFIX = "store-"
KEEP_PREVIOUS = 1  # older complete versions kept besides the current one
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
# Quads per bulk load: the bulk loader's memory grows with its input (about 1.2 GiB for a million quads in one
# go, 0.4 GiB in batches of 200,000, which are also faster on this machine).
BATCH = 200_000


def store_folder(state_dir: Path, version: str) -> Path:
    return state_dir / f"{PREFIX}{version}"


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The build record of a complete store folder, or None when the folder is missing or incomplete."""
    try:
        meta = json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("complete") is not True
        or not isinstance(meta.get("graphs"), dict)
    ):
        return None
    return meta


def open_persisted(
    files: list[GraphFile], base: str, state_dir: Path, version: str | None = None, background: bool = True
) -> tuple[LoadedData, str]:
    """The data of ``files``, and how it was had: "reused" (the complete on-disk store of this version),
    "built" (built now, then opened), or "building" (not there yet: parsed into memory, and persisted by a
    background process for the next start, so that a first start is as fast as an in-memory one)."""
    version = version or fingerprint(files, base)
    folder = store_folder(state_dir, version)
    meta = read_marker(folder)
    if meta is None and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)  # not complete, not ours: stores are never built in place
    if meta is not None:
        os.utime(folder / MARKER)  # last used: older versions are removed oldest first
        how = "reused"
        hold(folder)
    elif background:
        data = load(files, base)  # raises on a file that does not parse: no builder is started then
        state_dir.mkdir(parents=True, exist_ok=True)
        start_builder(files, base, version, folder)
        remove_old(state_dir, keep=folder)
        return data, "building"
    else:
        state_dir.mkdir(parents=True, exist_ok=True)
        meta = build_in_child(files, base, version, folder)
        how = "built"
        hold(folder)
    remove_old(state_dir, keep=folder)
    counts = {f.iri: int(meta["graphs"].get(f.iri, 0)) for f in files}
    return LoadedData(None, files, base, version, counts, location=folder), how


# -- building ---------------------------------------------------------------------------------------------


def _quads(files: list[GraphFile], base: str) -> Iterator[ox.Quad]:
    for f in files:
        graph = ox.NamedNode(f.iri)
        for t in rebase(parse_file(f.path), base):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


def build(files: list[GraphFile], base: str, version: str, folder: Path) -> dict[str, Any]:
    """Bulk-load every file into a new on-disk store at ``folder`` (built beside it, then renamed into place).
    A file that changed meanwhile (the version no longer matches) leaves nothing behind."""
    started = time.perf_counter()
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        store = ox.Store(str(partial))
        quads = _quads(files, base)
        while batch := list(itertools.islice(quads, BATCH)):
            store.bulk_extend(batch)
        store.flush()
        counts = count_per_graph(store, files)
        del store
        gc.collect()  # close the database (and stop its threads) before the folder is marked complete
        if fingerprint(files, base) != version:
            raise PlanlinkError("the files changed while the persisted store was built; it was discarded")
        meta = {
            "complete": True,
            "version": version,
            "base": base,
            "graphs": counts,
            "files": [str(f.path) for f in files],
            "seconds": round(time.perf_counter() - started, 3),
            "pyoxigraph": ox.__version__,
        }
        (partial / MARKER).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        try:
            partial.rename(folder)
        except OSError:  # another process built the same version meanwhile: use theirs
            if read_marker(folder) is None:
                raise
            shutil.rmtree(partial, ignore_errors=True)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return meta


def _builder_command() -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_PARENT), os.environ.get("PYTHONPATH")])),
    }
    return [sys.executable, "-m", "planlink.engine.diskstore"], env


# Background builders started by this process (tests wait for them).
BUILDERS: list[subprocess.Popen] = []


def start_builder(files: list[GraphFile], base: str, version: str, folder: Path) -> subprocess.Popen:
    """Build the store in a background process, at low priority, in its own session (it finishes even when
    the server is stopped first). Its errors go to this process's stderr; it exits 0 or 1."""
    command, env = _builder_command()
    proc = subprocess.Popen(
        [*command, "--background"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps((files, base, version, folder)))
    proc.stdin.close()
    BUILDERS.append(proc)
    return proc


def build_in_child(files: list[GraphFile], base: str, version: str, folder: Path) -> dict[str, Any]:
    """Run ``build`` in a new Python process and return its record; a failure there is raised here.

    A new process, not a fork: a process that has had an on-disk store open (even read-only) holds RocksDB
    thread-pool state that a forked child inherits without the threads, and a bulk load there would wait for
    them forever."""
    command, env = _builder_command()
    proc = subprocess.run(
        command, input=pickle.dumps((files, base, version, folder)), capture_output=True, env=env, check=False
    )
    try:
        status, value = pickle.loads(proc.stdout)
    except Exception:  # noqa: BLE001 - the builder died before it could answer
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise PlanlinkError(
            f"building the persisted store failed (exit {proc.returncode}): {detail[0]}"
        ) from None
    if status != "ok":
        raise value
    return value  # type: ignore[no-any-return]


def _builder_main(background: bool) -> int:
    """The builder process: a pickled request on stdin, a pickled ("ok", record) or ("error", exc) on stdout
    (in the background: the error on stderr)."""
    if background:
        os.nice(10)
    files, base, version, folder = pickle.loads(sys.stdin.buffer.read())
    try:
        reply: tuple[str, Any] = ("ok", build(files, base, version, folder))
    except PlanlinkError as exc:
        reply = ("error", exc)
    except Exception as exc:  # noqa: BLE001 - report anything to the parent
        reply = ("error", PlanlinkError(f"building the persisted store failed: {type(exc).__name__}: {exc}"))
    if background:
        if reply[0] != "ok":
            print(f"planlink: the persisted store was not built: {reply[1]}", file=sys.stderr)
        return 0 if reply[0] == "ok" else 1
    sys.stdout.buffer.write(pickle.dumps(reply))
    sys.stdout.buffer.flush()
    return 0


# -- housekeeping -----------------------------------------------------------------------------------------

_HELD: dict[Path, list[int]] = {}  # markers of the stores this process serves from, locked shared


def when_built(data: LoadedData, folder: Path) -> Callable[[], Callable[[], ox.Store] | None]:
    """For a start that serves ``data`` from memory while ``folder`` is built in the background: what tells,
    once the build is complete, the opener of the on-disk store (after moving ``data`` there, holding the folder
    for this process and letting the in-memory copy go), and None before."""

    def ready() -> Callable[[], ox.Store] | None:
        if data.location is None:
            if read_marker(folder) is None:
                return None
            hold(folder)
            data.move_to(folder)
        return data.opener()

    return ready


def hold(folder: Path) -> None:
    """Mark the store as in use by this process (and its forks) until ``release``: a shared lock on its
    marker file, which ``remove_old`` in any process respects."""
    fd = os.open(folder / MARKER, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _HELD.setdefault(folder, []).append(fd)


def release(folder: Path) -> None:
    fds = _HELD.get(folder)
    if fds:
        os.close(fds.pop())


def _remove_unless_used(folder: Path) -> bool:
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY)
    except FileNotFoundError:
        shutil.rmtree(folder, ignore_errors=True)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # another process serves from it
    else:
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_old(state_dir: Path, keep: Path) -> list[Path]:
    """Remove store folders other than ``keep``: complete ones beyond the ``KEEP_PREVIOUS`` most recently used,
    unless a process serves from them, and partial builds whose builder is gone. Returns what was removed."""
    complete: list[tuple[float, Path]] = []
    removed: list[Path] = []
    for p in state_dir.glob(PREFIX + "*"):
        if p == keep or not p.is_dir():
            continue
        name = p.name
        if ".partial-" in name:
            pid = name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                removed.append(p)
            continue
        marker = p / MARKER
        complete.append((marker.stat().st_mtime if marker.exists() else 0.0, p))
    complete.sort(reverse=True)
    for p in removed:
        shutil.rmtree(p, ignore_errors=True)
    removed += [p for _, p in complete[KEEP_PREVIOUS:] if _remove_unless_used(p)]
    return removed


if __name__ == "__main__":
    sys.exit(_builder_main("--background" in sys.argv[1:]))
