"""Where a request's CPU goes: one query at a time, planlink (uncached) beside the Oxigraph server, requests/s at
a concurrency and the server's CPU per request, split into web workers and evaluators.

    .venv/bin/python bench/http_layer.py [--root bench/out/small] [--queries adhoc-lookup,plan-items]
        [--servers planlink:32,planlink:4:4,oxigraph] [--requests 1500] [--concurrency 8]

``planlink:T[:W]`` is ``planlink serve --threads T [--workers W]`` (by default one web worker per core). The
per-request figures of issue 14's HTTP-layer lever in RESULTS.md come from it (at f41de67, where it could also
start the then server, gunicorn). It is a probe, not the harness: one query per cell, no validation at start, no
soak.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

UNCACHED = {
    "PLANLINK_CACHE_ENTRIES": "0",
    "PLANLINK_VALIDATE_ON_START": "false",
    "PLANLINK_ACCESS_LOG": "false",
}


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) of a server's process tree: the process itself, its children (web workers),
    their children (evaluators)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for p in h.tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        depth, q = 0, p
        while q != pid and depth < 4:
            try:
                q = int(Path(f"/proc/{q}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                break
            depth += 1
        role = ("server", "web workers", "evaluators", "evaluators")[min(depth, 3)]
        out[role] = out.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def start(name: str, root: Path, nquads: Path, probe: h.Work, tmp: Path) -> h.Peer:
    if name == "oxigraph":
        return h.start_oxigraph(nquads, tmp / "oxigraph-store", probe, tmp / "oxigraph.log", 120)
    kind, *numbers = name.split(":")
    if kind != "planlink":
        raise SystemExit(f"unknown server {name!r}: planlink[:T[:W]] or oxigraph")
    options = ["--threads", numbers[0]] if numbers else []
    options += ["--workers", numbers[1]] if len(numbers) > 1 else []
    return h.start_planlink(name, root, UNCACHED, probe, tmp / "planlink.log", 120, tuple(options))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=str(h.HERE / "out" / "small"))
    ap.add_argument("--queries", default="adhoc-lookup,plan-items")
    ap.add_argument("--servers", default="planlink,oxigraph")
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--concurrency", type=int, default=8)
    a = ap.parse_args(argv)
    root = Path(a.root)
    if not (root / "data").is_dir():
        raise SystemExit(f"{root} is not a project folder: make one with bench/generate.py --scale small")
    works = {w.name: w for w in h.workload(root)}
    chosen = [works[q] for q in a.queries.split(",")]
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"planlink-http-layer-{os.getpid()}"
    tmp.mkdir(parents=True, exist_ok=True)
    nquads = tmp / "all.nq"
    h.write_nquads(root, nquads)
    reference = ox.Store()
    reference.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    h.expected_rows(reference, chosen)
    print("| server | query | requests/s | errors | server CPU ms/request (web workers + evaluators) |")
    print("|---|---|---:|---:|---|")
    for name in a.servers.split(","):
        peer = start(name, root, nquads, chosen[0], tmp)
        try:
            for w in chosen:
                h.run_cell(peer, [w], a.concurrency, 200, 30)  # warm
                before = cpu_seconds(peer.proc.pid)  # type: ignore[union-attr]
                cell = h.run_cell(peer, [w], a.concurrency, a.requests, 60)
                after = cpu_seconds(peer.proc.pid)  # type: ignore[union-attr]
                per = {k: 1000 * (after[k] - before.get(k, 0.0)) / max(1, cell.requests) for k in after}
                split = " + ".join(f"{per[k]:.2f} {k}" for k in ("web workers", "evaluators") if k in per)
                print(
                    f"| {name} | {w.name} | {cell.rps:,.0f} | {cell.errors} | "
                    f"{sum(per.values()):.2f}{' (' + split + ')' if split else ''} |",
                    flush=True,
                )
        finally:
            h.stop(peer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
