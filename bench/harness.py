"""planlink side by side with the Oxigraph server (and rdflib-endpoint), on the same data and the same queries.

    .venv/bin/python bench/harness.py --scale small|medium|large [--requests 300] [--out bench/RESULTS.md]

For the chosen scale (the project folder comes from bench/generate.py, made if missing) it runs, one after the
other, on loopback:

1. planlink uncached (``PLANLINK_CACHE_ENTRIES=0``), started cold (its state folder emptied first), as users run
   it: ``planlink --root DIR serve --port P`` (granian);
2. planlink with its answer cache (the default settings), started again on the unchanged files;
3. the Oxigraph server: the same quads (written by planlink's own loader, so named graphs match) loaded with
   ``oxigraph load``, then ``oxigraph serve-read-only --union-default-graph``;
4. rdflib-endpoint (rdflib's own evaluator under uvicorn), within a time budget.

For each it measures start-up (process start to the first successful query), memory (RSS and PSS of the process
tree after warm-up, from /proc) and, for every curated query of queries/ (run with its parameter defaults) and a
few ad-hoc ones, requests per second and p50/p99 latency at concurrency 1, 8 and 32, counting as an error any
non-2xx answer and any answer whose row count differs from the one pyoxigraph gives on the same store. Then a
soak run (10,000 requests at concurrency 32 over all queries) against planlink, and the in-process engine
comparison: each curated query through planlink's QueryService versus pyoxigraph's Store.query alone (and
rdflib's own evaluator on ``small``). Results go to bench/results/<scale>.json and into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/ is put on the path just above)

PREFIXES = """PREFIX plan: <https://w3id.org/planlink/def/plan#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
NS = "https://w3id.org/planlink/id/nakhon-sawan-2564"
ADHOC = {
    "adhoc-lookup": f"SELECT ?p ?o WHERE {{ <{NS}/issue/1> ?p ?o }}",
    "adhoc-thai-search": PREFIXES
    + """SELECT ?item ?label WHERE {
  ?item a plan:Guideline ; skos:prefLabel ?label .
  FILTER (LANG(?label) = "th" && CONTAINS(?label, "ท่องเที่ยว"))
}""",
    "adhoc-count-by-kind": PREFIXES
    + """SELECT ?kind (COUNT(?item) AS ?n) WHERE {
  ?item plan:inPlan ?plan ; a ?kind .
} GROUP BY ?kind ORDER BY DESC(?n)""",
    "adhoc-construct": PREFIXES
    + f"""CONSTRUCT {{ ?item skos:prefLabel ?label ; skos:broader ?parent }} WHERE {{
  ?item plan:inPlan <{NS}> ; skos:prefLabel ?label .
  OPTIONAL {{ ?item skos:broader ?parent }}
}}""",
}
PAGES = {"page-report-alignment": "/reports/alignment"}
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


# ------------------------------------------------------------------------------------------ the workload


@dataclass
class Work:
    name: str
    kind: str  # "curated", "adhoc" or "page"
    text: str | None = None
    path: str | None = None
    form: str = "select"  # select, ask or graph
    expected_rows: int | None = None

    @property
    def accept(self) -> str:
        return NTRIPLES if self.form == "graph" else JSON_RESULTS if self.kind != "page" else "text/html"


def workload(root: Path) -> list[Work]:
    from planlink.engine.sparqltext import read
    from planlink.readmodels.catalog import load_catalog

    works = []
    for name, q in sorted(load_catalog(root / "queries").items()):
        text = q.runnable_text()
        works.append(Work(name, "curated", text, form=_form(read(text).form)))
    for name, text in ADHOC.items():
        works.append(Work(name, "adhoc", text, form=_form(read(text).form)))
    return works


def _form(form: str) -> str:
    return {"SELECT": "select", "ASK": "ask"}.get(form, "graph")


def rows_in(body: bytes, form: str) -> int:
    if form == "graph":
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    doc = json.loads(body)
    return 1 if "boolean" in doc else len(doc["results"]["bindings"])


def expected_rows(store: ox.Store, works: list[Work]) -> None:
    """The row count pyoxigraph gives on the same quads (union default graph): the yardstick for every peer."""
    for w in works:
        if w.text is None:
            continue
        answer = store.query(w.text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            w.expected_rows = 1
        else:
            w.expected_rows = sum(1 for _ in answer)


# ------------------------------------------------------------------------------------------ HTTP load


@dataclass
class Peer:
    name: str
    port: int
    sparql_path: str
    proc: subprocess.Popen | None = None
    start_seconds: float | None = None
    load_seconds: float | None = None
    rss_mib: float | None = None  # after warm-up (one request per query)
    pss_mib: float | None = None
    rss_after_mib: float | None = None  # after the load
    pss_after_mib: float | None = None
    note: str = ""


@dataclass
class Cell:
    peer: str
    work: str
    concurrency: int
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    seconds: float
    error_kinds: dict[str, int] = field(default_factory=dict)
    # per query of a mix: [answers, p50 ms, p99 ms], to see whether quick queries wait behind heavy ones
    per_work: dict[str, list[float]] = field(default_factory=dict)


def _request(conn: http.client.HTTPConnection, peer: Peer, w: Work) -> tuple[int, bytes]:
    status, body, _ = _exchange(conn, peer, w)
    return status, body


def _exchange(conn: http.client.HTTPConnection, peer: Peer, w: Work) -> tuple[int, bytes, str | None]:
    """One request: (status, body, Retry-After header)."""
    if w.kind == "page":
        conn.request("GET", w.path or "/", headers={"Accept": w.accept})
    else:
        conn.request(
            "POST",
            peer.sparql_path,
            body=(w.text or "").encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": w.accept},
        )
    resp = conn.getresponse()
    return resp.status, resp.read(), resp.getheader("Retry-After")


def reference(peer: Peer, w: Work, timeout: float) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        status, body = _request(conn, peer, w)
        return status, body, time.perf_counter() - t0
    finally:
        conn.close()


def run_cell(
    peer: Peer, works: list[Work], concurrency: int, requests: int, time_limit: float, timeout: float = 60.0
) -> Cell:
    """``requests`` requests (fewer if ``time_limit`` runs out) from ``concurrency`` threads, each with its own
    keep-alive connection, cycling through ``works``. An answer is right when it is 2xx and its body is the
    reference body for that query, or has the expected number of rows."""
    refs: dict[str, tuple[int, int]] = {}  # work -> (crc of the body seen first, its row count)
    lock = threading.Lock()
    counter = itertools.count()
    latencies: list[float] = []
    by_work: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + time_limit

    def err(kind: str) -> None:
        with lock:
            errors[kind] = errors.get(kind, 0) + 1

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=timeout)
        mine: list[float] = []
        mine_by_work: dict[str, list[float]] = {}
        while True:
            i = next(counter)
            if i >= requests or time.perf_counter() > deadline:
                break
            w = works[i % len(works)]
            t0 = time.perf_counter()
            try:
                status, body, retry_after = _exchange(conn, peer, w)
            except (OSError, http.client.HTTPException) as exc:
                err(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=timeout)
                continue
            mine.append(time.perf_counter() - t0)
            mine_by_work.setdefault(w.name, []).append(mine[-1])
            if not 200 <= status < 300:
                # planlink's deliberate refusal at a queue bound says so: 503, error "busy", Retry-After
                busy = status == 503 and retry_after is not None and b'"busy"' in body
                err("HTTP 503 busy, Retry-After" if busy else f"HTTP {status}")
                continue
            if w.kind == "page":
                continue
            crc = zlib.crc32(body)
            ref = refs.get(w.name)
            if ref is not None and ref[0] == crc:
                continue
            try:
                n = rows_in(body, w.form)
            except (ValueError, KeyError):
                err("unreadable answer")
                continue
            if n != w.expected_rows:
                err("wrong row count")
            elif ref is None:
                refs[w.name] = (crc, n)
        conn.close()
        with lock:
            latencies.extend(mine)
            for name, values in mine_by_work.items():
                by_work.setdefault(name, []).extend(values)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    done = len(latencies) + sum(
        v
        for k, v in errors.items()
        if not k.startswith("HTTP") and k not in ("wrong row count", "unreadable answer")
    )
    lat = sorted(latencies)
    return Cell(
        peer.name,
        works[0].name if len(works) == 1 else "mix",
        concurrency,
        done,
        sum(errors.values()),
        done / wall if wall else 0.0,
        _pct(lat, 50),
        _pct(lat, 99),
        wall,
        errors,
        {}
        if len(works) == 1
        else {n: [len(v), _pct(sorted(v), 50), _pct(sorted(v), 99)] for n, v in sorted(by_work.items())},
    )


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k] * 1000


# ------------------------------------------------------------------------------------------ processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and its descendants, in MiB. RSS counts pages shared copy-on-write by forked
    workers once per process; PSS shares them out, so its sum is what the tree really holds."""
    rss = pss = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def wait_ready(peer: Peer, probe: Work, started: float, limit: float) -> float:
    while time.perf_counter() - started < limit:
        if peer.proc is not None and peer.proc.poll() is not None:
            raise RuntimeError(f"{peer.name} exited with {peer.proc.returncode}")
        try:
            status, _, _ = reference(peer, probe, 10)
            if status == 200:
                return time.perf_counter() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{peer.name} did not answer within {limit:.0f} s")


def stop(peer: Peer) -> None:
    if peer.proc is None or peer.proc.poll() is not None:
        return
    try:
        os.killpg(peer.proc.pid, signal.SIGTERM)
        peer.proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(peer.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        peer.proc.wait()


def start_planlink(
    name: str,
    root: Path,
    env_extra: dict[str, str],
    probe: Work,
    log: Path,
    limit: float,
    serve_options: tuple[str, ...] = (),
) -> Peer:
    port = free_port()
    env = {**os.environ, "PLANLINK_ACCESS_LOG": "false", **env_extra}
    peer = Peer(name, port, "/sparql")
    started = time.perf_counter()
    peer.proc = subprocess.Popen(
        [str(BIN / "planlink"), "--root", str(root), "serve", "--port", str(port), *serve_options],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peer.start_seconds = wait_ready(peer, probe, started, limit)
    return peer


def write_nquads(root: Path, path: Path) -> int:
    """The quads planlink serves (its own loader: same files, same graph names), as one N-Quads file."""
    from planlink.engine.store import discover, load

    data = load(discover(root))
    data.store.dump(str(path), ox.RdfFormat.N_QUADS)
    return len(data.store)


def start_oxigraph(nquads: Path, location: Path, probe: Work, log: Path, limit: float) -> Peer:
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or "oxigraph"
    if location.exists():
        shutil.rmtree(location)
    t0 = time.perf_counter()
    subprocess.run(
        [oxigraph, "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    load_seconds = time.perf_counter() - t0
    port = free_port()
    peer = Peer("oxigraph", port, "/query")
    started = time.perf_counter()
    peer.proc = subprocess.Popen(
        [
            oxigraph,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peer.start_seconds = wait_ready(peer, probe, started, limit)
    peer.load_seconds = load_seconds
    return peer


def start_rdflib_endpoint(nquads: Path, probe: Work, log: Path, limit: float) -> Peer:
    port = free_port()
    peer = Peer("rdflib-endpoint", port, "/sparql")
    started = time.perf_counter()
    peer.proc = subprocess.Popen(
        [sys.executable, str(HERE / "rdflib_endpoint_serve.py"), str(nquads), str(port)],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        peer.start_seconds = wait_ready(peer, probe, started, limit)
    except (TimeoutError, RuntimeError):
        stop(peer)
        raise
    return peer


# ------------------------------------------------------------------------------------------ in-process engines


def engine_comparison(
    root: Path, works: list[Work], nquads: Path, with_rdflib: bool, budget: float, rdflib_limit: float
) -> list[dict[str, Any]]:
    """Each curated query, answer written as JSON (N-Triples for graphs), no cache: through planlink's QueryService
    (its evaluator processes, on the store planlink serves from) versus pyoxigraph's Store.query alone on that same
    store; for reference, pyoxigraph on an in-memory store of the same quads, and rdflib's own evaluator."""
    from planlink.foundation.settings import load_settings
    from planlink.project import open_project

    project = open_project(
        load_settings(
            {"root": str(root), "validate_on_start": False, "access_log": False, "cache_entries": 0}
        ),
        validate=False,
    )
    store = project.data.store
    memory_store = ox.Store()
    memory_store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    dataset = None
    if with_rdflib:
        from planlink.engine.store import to_rdflib_dataset

        dataset = to_rdflib_dataset(project.data)
    out = []
    try:
        for w in works:
            if w.kind != "curated" or w.text is None:
                continue
            text = w.text
            output = "ntriples" if w.form == "graph" else "json"

            def via_planlink(text: str = text, output: str = output) -> None:
                project.query.run(text, output, use_cache=False)

            def via_pyoxigraph(on: ox.Store, text: str = text) -> Any:
                def run() -> None:
                    answer = on.query(text, use_default_graph_as_union=True)
                    if isinstance(answer, ox.QueryTriples):
                        ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
                    else:
                        answer.serialize(format=ox.QueryResultsFormat.JSON)

                return run

            row: dict[str, Any] = {
                "query": w.name,
                "planlink_ms": _time(via_planlink, budget),
                "pyoxigraph_ms": _time(via_pyoxigraph(store), budget),
                "pyoxigraph_memory_ms": _time(via_pyoxigraph(memory_store), budget),
            }
            row["ratio"] = row["planlink_ms"] / row["pyoxigraph_ms"] if row["pyoxigraph_ms"] else None
            if dataset is not None:
                ds = dataset

                def via_rdflib(ds: Any = ds, text: str = text, form: str = w.form) -> None:
                    result = ds.query(text)
                    result.serialize(format="nt" if form == "graph" else "json")

                row["rdflib_ms"] = _time_limited(via_rdflib, rdflib_limit)
                row["rdflib_ratio"] = (
                    row["rdflib_ms"] / row["pyoxigraph_memory_ms"]
                    if row["rdflib_ms"] and row["pyoxigraph_memory_ms"]
                    else None
                )
            out.append(row)
            print(
                f"  engine {w.name:<34} planlink {row['planlink_ms']:8.2f} ms  pyoxigraph {row['pyoxigraph_ms']:8.2f}"
                f" ms  in memory {row['pyoxigraph_memory_ms']:8.2f} ms  rdflib {row.get('rdflib_ms')}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        project.close()
    return out


def _time_limited(fn: Any, limit: float) -> float | None:
    """One run of ``fn`` in a forked child, in ms; None when it does not finish within ``limit`` seconds (then the
    child is killed: rdflib cannot be interrupted)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # never return from here: the caller's cleanup (closing the project) is the parent's
        status = 1
        try:
            os.close(r)
            t0 = time.perf_counter()
            fn()
            os.write(w, repr(time.perf_counter() - t0).encode())
            status = 0
        except BaseException as exc:  # noqa: BLE001 - e.g. rdflib failing on a query: no figure
            print(f"  rdflib failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        finally:
            os._exit(status)
    os.close(w)
    deadline = time.time() + limit
    while time.time() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            value = os.read(r, 64)
            os.close(r)
            return float(value) * 1000 if value else None
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(r)
    return None


def _time(fn: Any, budget: float) -> float:
    """Median of repeated runs, in ms (one warm-up run first; at least 3 runs, more while within ``budget``)."""
    fn()
    times: list[float] = []
    spent = 0.0
    while len(times) < 3 or (spent < budget and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    return statistics.median(times) * 1000


# ------------------------------------------------------------------------------------------ the run


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in (
        "planlink",
        "pyoxigraph",
        "oxigraph",
        "rdflib",
        "rdflib-endpoint",
        "flask",
        "granian",
        "uvicorn",
        "pyshacl",
    ):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "not installed"
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg(),
        "packages": versions,
    }


def checkout() -> str:
    """The commit of the checkout the run used, and whether its working tree had changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def bench_peer(
    peer: Peer,
    works: list[Work],
    pages: list[Work],
    concurrencies: list[int],
    requests: int,
    cell_seconds: float,
    log: Any,
) -> list[Cell]:
    cells = []
    for w in works + pages:
        for c in concurrencies:
            cell = run_cell(peer, [w], c, requests, cell_seconds)
            cells.append(cell)
            print(
                f"  {peer.name:<18} {w.name:<34} c{c:<3} {cell.requests:>5} req {cell.rps:>8.1f} rps "
                f"p50 {cell.p50_ms:>8.2f} ms p99 {cell.p99_ms:>8.2f} ms errors {cell.errors} "
                f"{cell.error_kinds or ''}",
                file=log,
                flush=True,
            )
    return cells


def warm(peer: Peer, works: list[Work]) -> None:
    for w in works:
        reference(peer, w, 120)
    peer.rss_mib, peer.pss_mib = memory(peer.proc.pid) if peer.proc else (None, None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=sorted(generate.SCALES), required=True)
    ap.add_argument("--requests", type=int, default=300, help="requests per cell (query x concurrency)")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--cell-seconds", type=float, default=30.0, help="time limit of one cell")
    ap.add_argument(
        "--soak", type=int, default=10000, help="requests of the concurrency-32 soak run (0: none)"
    )
    ap.add_argument(
        "--rdflib-budget",
        type=float,
        default=300.0,
        help="seconds rdflib-endpoint may take to load; its queries are skipped once one takes >10 s",
    )
    ap.add_argument(
        "--rdflib-limit",
        type=float,
        default=300.0,
        help="longest run of one query by rdflib's own evaluator in the engine comparison (small only)",
    )
    ap.add_argument("--peers", default="planlink-uncached,planlink-cached,oxigraph,rdflib-endpoint")
    ap.add_argument(
        "--start-limit", type=float, default=4 * 3600.0, help="longest wait for a server to start"
    )
    ap.add_argument(
        "--no-validate",
        action="store_true",
        help="start planlink with PLANLINK_VALIDATE_ON_START=false (for large: pySHACL takes hours there)",
    )
    ap.add_argument(
        "--root",
        type=Path,
        default=None,
        help="an existing project folder to use as it is (default: bench/out/<scale>, generated afresh)",
    )
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument(
        "--results",
        type=Path,
        default=HERE / "results",
        help="folder of the JSON results (a partial run, e.g. the soak alone, should not write over bench/results)",
    )
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the servers started are stopped
    command = "   ".join([".venv/bin/python bench/harness.py", *sys.argv[1:]]) if argv is None else str(argv)
    peers_wanted = args.peers.split(",")
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    log = sys.stderr
    root = args.root or HERE / "out" / args.scale
    work_dir = HERE / "out" / f"{args.scale}-bench"
    work_dir.mkdir(parents=True, exist_ok=True)
    server_log = work_dir / "servers.log"
    if args.root is None:  # a fresh snapshot of the checkout, generated data included
        print(f"generating {args.scale} into {root}", file=log)
        generate.generate(args.scale, root, log=log)

    result: dict[str, Any] = {
        "scale": args.scale,
        "command": command,
        "machine": machine(),
        "checkout": checkout(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "requests_per_cell": args.requests,
        "cell_seconds": args.cell_seconds,
        "peers": {},
        "cells": [],
        "notes": [],
    }
    nquads = work_dir / "dataset.nq"
    result["quads"] = write_nquads(root, nquads)
    works = workload(root)
    store = ox.Store()
    store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    expected_rows(store, works)
    del store
    result["queries"] = [
        {"name": w.name, "kind": w.kind, "form": w.form, "rows": w.expected_rows, "text": w.text}
        for w in works
    ]
    print(f"{args.scale}: {result['quads']} quads, {len(works)} queries", file=log, flush=True)
    probe = next(w for w in works if w.name == "adhoc-lookup")

    def record(peer: Peer) -> None:
        result["peers"][peer.name] = {k: v for k, v in vars(peer).items() if k != "proc"}
        save(result, args.out, args.results)  # after each peer: a run cut short still leaves its figures

    # 1-2. planlink, uncached and cold; then cached on unchanged files
    for name, env in (("planlink-uncached", {"PLANLINK_CACHE_ENTRIES": "0"}), ("planlink-cached", {})):
        if name not in peers_wanted:
            continue
        if args.no_validate:
            env = {**env, "PLANLINK_VALIDATE_ON_START": "false"}
        if name == "planlink-uncached" and (root / "var").exists():
            shutil.rmtree(root / "var")  # cold: no persisted store, no previous validation result
        print(
            f"starting {name} ({'cold' if name.endswith('uncached') else 'unchanged files'})",
            file=log,
            flush=True,
        )
        peer = start_planlink(name, root, env, probe, server_log, args.start_limit)
        peer.note = (
            "cold start (state folder emptied)" if name.endswith("uncached") else "start on unchanged files"
        )
        if args.no_validate:
            peer.note += ", validation off (PLANLINK_VALIDATE_ON_START=false)"
        try:
            print(f"  started in {peer.start_seconds:.2f} s", file=log, flush=True)
            pages = []
            for pname, path in PAGES.items():
                page = Work(pname, "page", path=path)
                status, _, _ = reference(peer, page, 120)
                if status == 200:
                    pages.append(page)
                elif name == "planlink-uncached":
                    result["notes"].append(f"{path} answered {status} on planlink: not measured")
            warm(peer, works + pages)
            result["cells"] += [
                asdict(c)
                for c in bench_peer(peer, works, pages, concurrencies, args.requests, args.cell_seconds, log)
            ]
            if args.soak:
                soak = run_cell(peer, works + pages, 32, args.soak, 3600)
                soak_d = asdict(soak)
                soak_d["work"] = "soak-mix"
                result["cells"].append(soak_d)
                print(
                    f"  soak: {soak.requests} req c32 {soak.rps:.1f} rps errors {soak.errors} "
                    f"{soak.error_kinds or ''}",
                    file=log,
                    flush=True,
                )
            peer.rss_after_mib, peer.pss_after_mib = memory(peer.proc.pid)
        finally:
            stop(peer)
            record(peer)

    # 3. the Oxigraph server
    if "oxigraph" in peers_wanted:
        print("loading and starting oxigraph serve-read-only", file=log, flush=True)
        peer = start_oxigraph(nquads, work_dir / "oxigraph-store", probe, server_log, args.start_limit)
        peer.note = "oxigraph load, then serve-read-only --union-default-graph"
        try:
            warm(peer, works)
            result["cells"] += [
                asdict(c)
                for c in bench_peer(peer, works, [], concurrencies, args.requests, args.cell_seconds, log)
            ]
            peer.rss_after_mib, peer.pss_after_mib = memory(peer.proc.pid)
        finally:
            stop(peer)
            record(peer)

    # 4. rdflib-endpoint, within its budget
    if "rdflib-endpoint" in peers_wanted:
        print("starting rdflib-endpoint", file=log, flush=True)
        try:
            peer = start_rdflib_endpoint(nquads, probe, server_log, args.rdflib_budget)
        except (TimeoutError, RuntimeError) as exc:
            result["notes"].append(f"rdflib-endpoint skipped: {exc} (budget {args.rdflib_budget:.0f} s)")
            print(f"  {exc}", file=log)
        else:
            peer.note = "rdflib Dataset (default union) under uvicorn"
            try:
                for w in works:
                    try:
                        status, _, seconds = reference(peer, w, 10)
                    except (TimeoutError, OSError):
                        status, seconds = 0, 10.0
                    if status != 200 or seconds > 10:
                        result["notes"].append(
                            f"rdflib-endpoint: {w.name} skipped (its first request "
                            + ("took over 10 s" if status == 0 else f"answered {status}")
                            + "; the server was restarted)"
                        )
                        # rdflib evaluates in the event loop: a query that overruns blocks every later request
                        stop(peer)
                        if (peer.start_seconds or 0) > 60:
                            result["notes"].append(
                                "rdflib-endpoint: the remaining queries skipped (a restart "
                                f"takes {peer.start_seconds:.0f} s)"
                            )
                            break
                        first_start = peer.start_seconds
                        peer = start_rdflib_endpoint(nquads, probe, server_log, args.rdflib_budget)
                        peer.start_seconds = first_start
                        peer.note = "rdflib Dataset (default union) under uvicorn"
                        continue
                    result["cells"] += [
                        asdict(c)
                        for c in bench_peer(
                            peer,
                            [w],
                            [],
                            concurrencies,
                            min(args.requests, 100),
                            min(args.cell_seconds, 20),
                            log,
                        )
                    ]
                peer.rss_after_mib, peer.pss_after_mib = memory(peer.proc.pid) if peer.proc else (None, None)
            finally:
                stop(peer)
                record(peer)

    # 5. engines, in process
    print("engine comparison (in process)", file=log, flush=True)
    result["engines"] = engine_comparison(root, works, nquads, args.scale == "small", 2.0, args.rdflib_limit)
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    save(result, args.out, args.results)
    print(f"wrote {args.out}", file=log)
    return 0


def save(result: dict[str, Any], out: Path, results: Path | None = None) -> None:
    from report import write_results

    results = results or HERE / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{result['scale']}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    write_results(out, results)


if __name__ == "__main__":
    sys.exit(main())
