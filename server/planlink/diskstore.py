"""The persisted store: an Oxigraph on-disk store per data version, reused while the files are unchanged.

``<state_dir>/store-<version>`` (version = ``store.fingerprint`` of the files and the base IRI) holds every file
as its own named graph, and ``planlink-store.json`` with the triples per graph. That file is written last, after
the bulk load is flushed and the store closed, and the folder is built under another name and renamed into
place: a folder named ``store-<version>`` that holds it is complete. A start with unchanged files opens it and
parses nothing; a start with changed files builds the new version and removes the old ones (it keeps the
newest previous version, which another process may still be serving from).

The build runs in a separate Python process: the writable RocksDB handle, its background threads and the bulk
loader's memory never live in the process that goes on to serve (and fork query evaluators). Every process
that reads the store opens its own read-only handle (``LoadedData.store``, ``LoadedData.opener``).
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import PlanlinkError
from .store import GraphFile, LoadedData, fingerprint, parse_file, rebase

MARKER = "planlink-store.json"
PREFIX = "store-"
KEEP_PREVIOUS = 1  # older complete versions kept besides the current one
PACKAGE_PARENT = Path(__file__).resolve().parents[1]


def store_folder(state_dir: Path, version: str) -> Path:
    return state_dir / f"{PREFIX}{version}"


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The build record of a complete store folder, or None when the folder is missing or incomplete."""
    try:
        meta = json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("complete") is not True or not isinstance(meta.get("graphs"), dict):
        return None
    return meta


def open_persisted(files: list[GraphFile], base: str, state_dir: Path,
                   version: str | None = None) -> tuple[LoadedData, bool]:
    """The data of ``files`` in an on-disk store under ``state_dir``: reused when complete, built otherwise.
    Returns the data and whether the store was reused."""
    version = version or fingerprint(files, base)
    folder = store_folder(state_dir, version)
    meta = read_marker(folder)
    reused = meta is not None
    if meta is None:
        shutil.rmtree(folder, ignore_errors=True)  # not ours, or not complete: never built in place
        state_dir.mkdir(parents=True, exist_ok=True)
        meta = build_in_child(files, base, version, folder)
    else:
        os.utime(folder / MARKER)  # last used: older versions are removed oldest first
    remove_old(state_dir, keep=folder)
    counts = {f.iri: int(meta["graphs"].get(f.iri, 0)) for f in files}
    return LoadedData(None, files, base, version, counts, location=folder), reused


# -- building ---------------------------------------------------------------------------------------------

def _quads(files: list[GraphFile], base: str, counts: dict[str, int]) -> Iterator[ox.Quad]:
    for f in files:
        triples = rebase(parse_file(f.path), base)
        counts[f.iri] = len(triples)
        graph = ox.NamedNode(f.iri)
        for t in triples:
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


def build(files: list[GraphFile], base: str, version: str, folder: Path) -> dict[str, Any]:
    """Bulk-load every file into a new on-disk store at ``folder`` (built beside it, then renamed into place)."""
    started = time.perf_counter()
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    counts: dict[str, int] = {}
    try:
        store = ox.Store(str(partial))
        store.bulk_extend(_quads(files, base, counts))
        store.flush()
        del store
        gc.collect()  # close the database (and stop its threads) before the folder is marked complete
        meta = {"complete": True, "version": version, "base": base, "graphs": counts,
                "files": [str(f.path) for f in files], "seconds": round(time.perf_counter() - started, 3),
                "pyoxigraph": ox.__version__}
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


def build_in_child(files: list[GraphFile], base: str, version: str, folder: Path) -> dict[str, Any]:
    """Run ``build`` in a new Python process and return its record; a failure there is raised here.

    A new process, not a fork: a process that has had an on-disk store open (even read-only) holds RocksDB
    thread-pool state that a forked child inherits without the threads, and a bulk load there would wait for
    them forever."""
    request = pickle.dumps((files, base, version, folder))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_PARENT),
                                                                      os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "planlink.diskstore"], input=request, capture_output=True,
                          env=env, check=False)
    try:
        status, value = pickle.loads(proc.stdout)
    except Exception:  # noqa: BLE001 - the builder died before it could answer
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise PlanlinkError(f"building the persisted store failed (exit {proc.returncode}): {detail[0]}") from None
    if status != "ok":
        raise value
    return value  # type: ignore[no-any-return]


def _builder_main() -> None:
    """The builder process: a pickled request on stdin, a pickled ("ok", record) or ("error", exc) on stdout."""
    files, base, version, folder = pickle.loads(sys.stdin.buffer.read())
    try:
        reply: tuple[str, Any] = ("ok", build(files, base, version, folder))
    except PlanlinkError as exc:
        reply = ("error", exc)
    except Exception as exc:  # noqa: BLE001 - report anything to the parent
        reply = ("error", PlanlinkError(f"building the persisted store failed: {type(exc).__name__}: {exc}"))
    sys.stdout.buffer.write(pickle.dumps(reply))
    sys.stdout.buffer.flush()


# -- housekeeping -----------------------------------------------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_old(state_dir: Path, keep: Path) -> list[Path]:
    """Remove store folders other than ``keep``: all but the ``KEEP_PREVIOUS`` most recently used complete
    ones, and partial builds whose builder is gone. Returns what was removed."""
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
    removed += [p for _, p in complete[KEEP_PREVIOUS:]]
    for p in removed:
        shutil.rmtree(p, ignore_errors=True)
    return removed



if __name__ == "__main__":
    _builder_main()
