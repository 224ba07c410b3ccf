"""Validation figures: planlink's SHACL engine against pySHACL, whole `planlink validate` processes, cold.

    .venv/bin/python bench/validation.py [--scales small,tiny,medium,large] [--runs 3] [--pyshacl small,tiny]

For each scale (the project folders of bench/generate.py in bench/out/<scale>; `small` is the checkout itself)
it runs `planlink --root DIR validate` (fast engine) and, where asked, `planlink --root DIR validate --engine
pyshacl` on the same files, as separate processes with no state folder (nothing cached), and records wall time
and peak RSS (from wait4), the exit code and the summary line. pySHACL runs on small and tiny by default: at
medium it takes about 25 minutes (1,493 s measured before), so tiny (two clusters of generated plans) is the
slice on which both are timed. The figures go to results/validation.json and to the "Validation" section of
RESULTS.md (replaced in place).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLANLINK = [sys.executable, "-m", "planlink.cli"]


def folder(scale: str) -> Path:
    return ROOT if scale == "small" else HERE / "out" / scale


def run(args: list[str]) -> dict:
    env = {**os.environ, "PLANLINK_STATE_DIR": "none"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    # communicate() has reaped the child; its peak RSS is in the children's rusage (the largest child so far)
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_kib = usage.ru_maxrss
    lines = out.decode("utf-8", "replace").splitlines()
    return {
        "seconds": round(elapsed, 3),
        "max_rss_mib_so_far": round(rss_kib / 1024, 1),
        "cpu_seconds": round(
            usage.ru_utime + usage.ru_stime, 3
        ),  # the process's own CPU time (user + system)
        "exit": proc.returncode,
        "summary": lines[0] if lines else err.decode("utf-8", "replace").strip().splitlines()[-1:],
    }


def measure(scale: str, engine: str, runs: int) -> dict:
    args = [*PLANLINK, "--root", str(folder(scale)), "validate"]
    if engine == "pyshacl":
        args += ["--engine", "pyshacl"]
    # RSS per run: run each measurement in its own interpreter so that ru_maxrss is that run's alone
    results = []
    for _ in range(runs):
        probe = subprocess.run(
            [sys.executable, __file__, "--one", json.dumps(args)], capture_output=True, text=True, check=True
        )
        results.append(json.loads(probe.stdout))
    best = min(results, key=lambda r: r["seconds"])
    return {
        "scale": scale,
        "engine": engine,
        "runs": results,
        "best_seconds": best["seconds"],
        "median_seconds": sorted(r["seconds"] for r in results)[len(results) // 2],
        "max_rss_mib": max(r["max_rss_mib_so_far"] for r in results),
        "best_cpu_seconds": min((r.get("cpu_seconds", r["seconds"]) for r in results), default=None),
        "summary": best["summary"],
        "exit": best["exit"],
    }


INCREMENTAL = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from planlink.readmodels.validation import validate_project
report = validate_project(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"in_process_seconds": round(time.perf_counter() - t0, 3), "summary": report.summary(),
                  "revalidated": report.revalidated, "reused": report.reused}))
"""


def one_edit(path: Path) -> bytes:
    """Change one label of the first item of a plan file (a new English wording); return the old bytes."""
    old = path.read_bytes()
    text = old.decode("utf-8")
    marker = '"@en'
    at = text.find(marker, text.find("skos:prefLabel", text.find("/issue/1>")))
    path.write_bytes((text[:at] + " (edited)" + text[at:]).encode("utf-8"))
    return old


def incremental(scale: str) -> dict:
    """A start with a state folder (a full validation, which keeps what it learnt of each file), then one
    plan file edited and a second start: what the second validation costs, and which files it validated."""
    import shutil
    import tempfile

    root = folder(scale)
    state = Path(tempfile.mkdtemp(prefix="planlink-valid-state-"))
    plan = sorted(p for p in (root / "data").glob("*-2564.ttl") if not p.name.startswith("alignment-"))[0]
    out: dict = {"scale": scale, "engine": "incremental", "edited_file": plan.name}
    try:
        for step in ("cold", "edited"):
            if step == "edited":
                old = one_edit(plan)
            t0 = time.perf_counter()
            probe = subprocess.run(
                [sys.executable, "-c", INCREMENTAL, str(root), str(state)], capture_output=True, text=True
            )
            wall = time.perf_counter() - t0
            if probe.returncode != 0:
                raise RuntimeError(probe.stderr)
            got = json.loads(probe.stdout)
            got["seconds"] = round(wall, 3)
            got["revalidated"] = len(got["revalidated"]) if got["revalidated"] is not None else None
            out[step] = got
    finally:
        if "old" in locals():
            plan.write_bytes(old)
        shutil.rmtree(state, ignore_errors=True)
    return out


def render(rows: list[dict]) -> str:
    by = {(r["scale"], r["engine"]): r for r in rows if r["engine"] != "incremental"}
    scales = [s for s in ("small", "tiny", "medium", "large") if any(k[0] == s for k in by)]
    out = [
        "## Validation: planlink's SHACL engine and pySHACL",
        "",
        "`bench/validation.py`: whole `planlink validate` processes (interpreter start, parsing, validation, report),",
        "cold (no state folder), on this 2-core machine shared with other work; best of the runs, peak RSS of the",
        "process. pySHACL (`--engine pyshacl`, the reference) runs on the same files where it finishes in",
        "minutes; tiny (two clusters of generated plans) is the slice on which both are timed.",
        "",
        "Times are wall clock (the process's own CPU time, user + system, in brackets: other work on the machine",
        "stretches the wall time, not the CPU time).",
        "",
        "| scale | files, triples: verdict | planlink engine | peak RSS | pySHACL | peak RSS | ratio (wall) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for s in scales:
        fast, ref = by.get((s, "fast")), by.get((s, "pyshacl"))
        summary = (fast or ref or {}).get("summary", "")
        cells = [s, str(summary).replace("|", "/")]
        for r in (fast, ref):
            if r:
                cpu = r.get("best_cpu_seconds")
                cells += [
                    f"{r['best_seconds']:.2f} s" + (f" ({cpu:.2f} s)" if cpu is not None else ""),
                    f"{r['max_rss_mib']:.0f} MiB",
                ]
            else:
                cells += ["not run", ""]
        cells.append(f"{ref['best_seconds'] / fast['best_seconds']:.0f}x" if fast and ref else "")
        out.append("| " + " | ".join(cells) + " |")
    out += [
        "",
        "pySHACL is not rerun at medium and large: at medium it took 1,493 s before this engine existed (the",
        "project's design notes, section 7b; about 1 s per 1,000 triples, as at small and tiny here), so large",
        "would take hours. Targets (issue 11): small ≤ 1.0 s, medium ≤ 10 s, large ≤ 90 s and ≤ 2 GiB, one edited",
        "plan file ≤ 3 s at large.",
        "",
    ]
    for r in rows:
        if "edited" in r and isinstance(r["edited"], dict):
            c, e = r["cold"], r["edited"]
            files = e["summary"].split(" file(s)")[0]
            out += [
                f"Incremental, {r['scale']}: a start with a state folder validated everything in {c['seconds']:.1f} s",
                f"(whole process); after one plan file (`{r['edited_file']}`) was edited, the next start validated the",
                f"focus nodes of {e['revalidated']} of {files} files again, in {e['seconds']:.2f} s (whole process;",
                f"{e['in_process_seconds']:.2f} s in `validate_project`).",
                "",
            ]
    return "\n".join(out)


def write_results(rows: list[dict]) -> None:
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "validation.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    md = HERE / "RESULTS.md"
    text = md.read_text("utf-8") if md.is_file() else "# Results\n"
    section = render(rows)
    start = text.find("## Validation: planlink's SHACL engine and pySHACL")
    if start >= 0:
        end = text.find("\n## ", start + 3)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    md.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="small,tiny,medium,large")
    ap.add_argument("--pyshacl", default="small,tiny", help="scales on which pySHACL runs too")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--incremental", default="large", help="scales on which an edit and a second start are timed"
    )
    ap.add_argument("--render", action="store_true", help="only write RESULTS.md again from the JSON")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:  # a single measured run, in a fresh interpreter
        print(json.dumps(run(json.loads(a.one))))
        return
    if a.render:  # RESULTS.md again from results/validation.json
        write_results(json.loads((HERE / "results" / "validation.json").read_text()))
        return
    rows = []
    for scale in a.scales.split(","):
        if not folder(scale).is_dir():
            sys.exit(f"no {folder(scale)}: run bench/generate.py --scale {scale} first")
        for engine in ("fast", "pyshacl"):
            if engine == "pyshacl" and scale not in a.pyshacl.split(","):
                continue
            runs = a.runs if engine == "fast" else 1
            row = measure(scale, engine, runs)
            print(
                f"{scale:7} {engine:8} {row['best_seconds']:8.2f} s {row['max_rss_mib']:7.0f} MiB  {row['summary']}"
            )
            rows.append(row)
    for scale in filter(None, a.incremental.split(",")):
        row = incremental(scale)
        print(
            f"{scale:7} incremental: cold {row['cold']['seconds']:.2f} s, edited {row['edited']['seconds']:.2f} s"
        )
        rows.append(row)
    write_results(rows)


if __name__ == "__main__":
    main()
