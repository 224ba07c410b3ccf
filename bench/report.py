"""bench/RESULTS.md from bench/results/<scale>.json: one section per scale, between markers, so that a run of one
scale replaces its own section and leaves the others (and the hand-written reading) as they are.

    .venv/bin/python bench/report.py      # re-render RESULTS.md from the JSON files
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORDER = ("small", "medium", "large", "tiny")
PEERS = ("planlink-uncached", "planlink-cached", "oxigraph", "rdflib-endpoint")
HEADER = """# planlink benchmarks

Figures from `bench/harness.py` (see bench/README.md), one section per data scale, each from one run of the
harness on the machine it names. planlink runs as users run it (`planlink --root DIR serve`: granian with its
default of one web worker per core, 2 here, each with 32 threads and 2 query evaluator processes; access log off); the Oxigraph server is `oxigraph serve-read-only
--union-default-graph` on a store loaded from the same quads; rdflib-endpoint serves the same quads from an
rdflib Dataset under uvicorn. Peers run one after the other, on loopback, with the load generator (Python
threads, one keep-alive connection each) on the same 2 cores, which are shared with other work: absolute figures
move with that load, the ratios (taken minutes apart in the same run) less so. An error is a non-2xx answer or
an answer whose row count differs from pyoxigraph's on the same quads.
"""


def _f(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return str(x)


def _ratio(a: float | None, b: float | None) -> float | None:
    if not a or not b:
        return None
    return a / b


def _cells(result: dict) -> dict[tuple[str, str, int], dict]:
    return {(c["peer"], c["work"], c["concurrency"]): c for c in result["cells"] if c["work"] != "soak-mix"}


def _geomean(values: list[float]) -> float | None:
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def verdicts(result: dict) -> list[str]:
    cells = _cells(result)
    works = [q["name"] for q in result["queries"]]
    curated = [q["name"] for q in result["queries"] if q["kind"] == "curated"]
    peers = result["peers"]
    out = []

    def ratios(peer: str, other: str, c: int, names: list[str]) -> dict[str, float]:
        r = {}
        for w in names:
            a, b = cells.get((peer, w, c)), cells.get((other, w, c))
            if a and b and a["rps"] and b["rps"]:
                r[w] = a["rps"] / b["rps"]
        return r

    def line(label: str, values: dict[str, float], target: float) -> str:
        if not values:
            return f"- {label}: not measured"
        low = min(values, key=values.get)  # type: ignore[arg-type]
        met = all(v >= target for v in values.values())
        return (
            f"- {label}: geometric mean {_f(_geomean(list(values.values())), 2)}×, lowest "
            f"{_f(values[low], 2)}× ({low}) — target ≥ {target}×: **{'met' if met else 'NOT met'}**"
            + ("" if met else f" on {sum(v < target for v in values.values())} of {len(values)} queries")
        )

    out.append(
        line(
            "planlink uncached / Oxigraph, requests/s at c8",
            ratios("planlink-uncached", "oxigraph", 8, works),
            0.5,
        )
    )
    out.append(
        line(
            "planlink cached / Oxigraph, requests/s at c8, curated queries",
            ratios("planlink-cached", "oxigraph", 8, curated),
            1.0,
        )
    )
    report = cells.get(("planlink-cached", "page-report-alignment", 8))
    matrix = cells.get(("oxigraph", "alignment-matrix", 8))
    if report and matrix:
        out.append(
            f"- /reports/alignment (cached) at c8: {_f(report['rps'])} requests/s, "
            f"{_f(report['rps'] / matrix['rps'], 2)}× Oxigraph's rate on the alignment-matrix query behind it "
            f"(target ≥ 1.0×: **{'met' if report['rps'] >= matrix['rps'] else 'NOT met'}**)"
        )
    slow = [w for w in works if (cells.get(("rdflib-endpoint", w, 1)) or {}).get("p50_ms", 0) > 10]
    if "rdflib-endpoint" in peers:
        out.append(
            line(
                "planlink uncached / rdflib-endpoint, requests/s at c8, queries taking rdflib-endpoint "
                "> 10 ms",
                ratios("planlink-uncached", "rdflib-endpoint", 8, slow),
                20.0,
            )
        )
    for peer in ("planlink-uncached", "planlink-cached"):
        for c in (1, 8):
            p99 = {w: cells[(peer, w, c)]["p99_ms"] for w in works if (peer, w, c) in cells}
            if p99:
                worst = max(p99, key=p99.get)  # type: ignore[arg-type]
                n_over = sum(v >= 20 for v in p99.values())
                out.append(
                    f"- {peer} p99 at c{c}: highest {_f(p99[worst], 2)} ms ({worst}); "
                    f"{n_over} of {len(p99)} queries at or over 20 ms — target < 20 ms: "
                    f"**{'met' if not n_over else 'NOT met'}**"
                )
    for peer in PEERS:
        errs = [c for c in result["cells"] if c["peer"] == peer and c["errors"]]
        if peer in peers:
            total = sum(c["errors"] for c in errs)
            kinds: dict[str, int] = {}
            for c in errs:
                for k, v in c["error_kinds"].items():
                    kinds[k] = kinds.get(k, 0) + v
            out.append(
                f"- {peer}: {total} errors over {sum(c['requests'] for c in result['cells'] if c['peer'] == peer)}"
                f" requests" + (f" ({', '.join(f'{k}: {v}' for k, v in kinds.items())})" if kinds else "")
            )
    for c in result["cells"]:
        if c["work"] == "soak-mix":
            out.append(
                f"- soak, {c['peer']}: {c['requests']} requests at c32 over all queries, {c['errors']} failed "
                f"({_f(c['rps'])} requests/s, p99 {_f(c['p99_ms'], 1)} ms) — target 0 failed of 10,000: "
                f"**{'met' if not c['errors'] and c['requests'] >= 10000 else 'NOT met'}**"
            )
    for name in ("planlink-uncached", "planlink-cached"):
        p = peers.get(name)
        if p:
            limit = 15 if name.endswith("uncached") else 3
            out.append(
                f"- start-up, {name} ({p['note']}): {_f(p['start_seconds'], 2)} s"
                + (
                    f" — target on large < {limit} s: **{'met' if p['start_seconds'] < limit else 'NOT met'}**"
                    if result["scale"] == "large"
                    else ""
                )
            )
            rss = max(v for v in (p.get("rss_mib"), p.get("rss_after_mib")) if v is not None)
            out.append(
                f"- memory, {name}: RSS {_f(rss, 0)} MiB, PSS {_f(p.get('pss_after_mib') or p.get('pss_mib'), 0)}"
                f" MiB — target < 1536 MiB: **{'met' if rss < 1536 else 'NOT met'}**"
            )
    eng = [e for e in result.get("engines", []) if e.get("ratio")]
    if eng:
        worst = max(eng, key=lambda e: e["ratio"])
        met = all(e["ratio"] <= 1.5 for e in eng)
        out.append(
            f"- engine: planlink QueryService / pyoxigraph alone, worst {_f(worst['ratio'], 2)}× "
            f"({worst['query']}) — target ≤ 1.5×: **{'met' if met else 'NOT met'}**"
        )
        rd = [e["rdflib_ratio"] for e in eng if e.get("rdflib_ratio")]
        if rd:
            out.append(f"- rdflib's own evaluator / pyoxigraph: {_f(min(rd), 0)}×–{_f(max(rd), 0)}×")
    return out


def render_scale(result: dict) -> str:
    m = result["machine"]
    cells = _cells(result)
    lines = [
        f"## {result['scale']}: {result['quads']:,} quads, {len(result['queries'])} queries",
        "",
        (
            f"Run {result['started']} – {result.get('finished', 'not finished: figures so far')} (UTC) on checkout "
            f"{result.get('checkout', '?')}. Command: `{result['command']}`"
        ),
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB, Linux {m['kernel']}, Python "
        f"{m['python']}; load average at start {', '.join(f'{x:.2f}' for x in m['load_average'])}. "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        "",
        (
            f"{result['requests_per_cell']} requests per cell (fewer when a cell hits its {result['cell_seconds']:.0f} s "
            f"limit), one query per cell."
        ),
        "",
        "### Reading against the targets",
        "",
    ]
    lines += verdicts(result)
    lines += [
        "",
        "### Start-up and memory",
        "",
        "| peer | start-up (s) | load (s) | RSS after warm-up (MiB) | RSS after load (MiB) | PSS after load (MiB) | how |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name in PEERS:
        p = result["peers"].get(name)
        if p:
            lines.append(
                f"| {name} | {_f(p['start_seconds'], 2)} | {_f(p['load_seconds'], 2)} | {_f(p['rss_mib'], 0)} "
                f"| {_f(p['rss_after_mib'], 0)} | {_f(p['pss_after_mib'], 0)} | {p['note']} |"
            )
    concurrencies = sorted({c for (_, _, c) in cells})
    works = [q for q in result["queries"]] + [
        {"name": w, "rows": None} for w in sorted({w for (_, w, _) in cells if w.startswith("page-")})
    ]
    for c in concurrencies:
        lines += [
            "",
            f"### Concurrency {c}: requests/s (p50 / p99 ms)",
            "",
            (
                "| query | rows | planlink uncached | planlink cached | Oxigraph | rdflib-endpoint | uncached/Ox "
                "| cached/Ox | uncached/rdflib |"
            ),
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for q in works:
            row = [q["name"], _f(q["rows"])]
            got = {}
            for peer in PEERS:
                cell = cells.get((peer, q["name"], c))
                got[peer] = cell
                if cell:
                    e = f" **{cell['errors']} err**" if cell["errors"] else ""
                    row.append(f"{_f(cell['rps'])} ({_f(cell['p50_ms'], 2)} / {_f(cell['p99_ms'], 2)}){e}")
                else:
                    row.append("—")
            ox = got["oxigraph"]
            row.append(_f(_ratio((got["planlink-uncached"] or {}).get("rps"), (ox or {}).get("rps")), 2))
            row.append(_f(_ratio((got["planlink-cached"] or {}).get("rps"), (ox or {}).get("rps")), 2))
            row.append(
                _f(
                    _ratio(
                        (got["planlink-uncached"] or {}).get("rps"), (got["rdflib-endpoint"] or {}).get("rps")
                    ),
                    1,
                )
            )
            lines.append("| " + " | ".join(row) + " |")
    soak = [c for c in result["cells"] if c["work"] == "soak-mix"]
    if soak:
        lines += [
            "",
            "### Soak: all queries in turn at concurrency 32",
            "",
            "| peer | requests | failed | requests/s | p50 (ms) | p99 (ms) | failures |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for c in soak:
            lines.append(
                f"| {c['peer']} | {c['requests']} | {c['errors']} | {_f(c['rps'])} | {_f(c['p50_ms'], 2)} | "
                f"{_f(c['p99_ms'], 2)} | {c['error_kinds'] or ''} |"
            )
        for c in soak:
            if not c.get("per_work"):
                continue
            lines += [
                "",
                f"{c['peer']}, per query of the soak (whether quick queries wait behind heavy ones):",
                "",
                "| query | answers | p50 (ms) | p99 (ms) |",
                "|---|---:|---:|---:|",
            ]
            for name, (n, p50, p99) in sorted(c["per_work"].items(), key=lambda kv: kv[1][1]):
                lines.append(f"| {name} | {int(n)} | {_f(p50, 2)} | {_f(p99, 2)} |")
    if result.get("engines"):
        has_rdflib = any("rdflib_ms" in e for e in result["engines"])
        lines += [
            "",
            "### In-process engines: median time per curated query (ms)",
            "",
            (
                "planlink QueryService (evaluator process, answer written) and pyoxigraph alone run on the store "
                "planlink serves from; the in-memory column is pyoxigraph on an in-memory store of the same quads. "
                "rdflib: one run, its own evaluator over an rdflib Dataset, ratio to pyoxigraph in memory."
            ),
            "",
            "| query | planlink QueryService | pyoxigraph, same store | ratio (≤ 1.5) | pyoxigraph in memory |"
            + (" rdflib evaluator | rdflib / pyoxigraph |" if has_rdflib else ""),
            "|---|---:|---:|---:|---:|" + ("---:|---:|" if has_rdflib else ""),
        ]
        for e in result["engines"]:
            rd = _f(e.get("rdflib_ms"), 1) if e.get("rdflib_ms") else "over the limit"
            lines.append(
                f"| {e['query']} | {_f(e['planlink_ms'], 2)} | {_f(e['pyoxigraph_ms'], 2)} | {_f(e['ratio'], 2)} |"
                f" {_f(e.get('pyoxigraph_memory_ms'), 2)} |"
                + (f" {rd} | {_f(e.get('rdflib_ratio'), 0)} |" if has_rdflib else "")
            )
    if result["notes"]:
        lines += ["", "### Notes", ""] + [f"- {n}" for n in result["notes"]]
    lines += [
        "",
        "<details><summary>Queries (as sent: curated queries with their parameter defaults inlined)</summary>",
        "",
    ]
    for q in result["queries"]:
        lines += [
            f"**{q['name']}** ({q['kind']}, {q['rows']} rows)",
            "",
            "```sparql",
            (q["text"] or "").strip(),
            "```",
            "",
        ]
    lines += ["</details>"]
    return "\n".join(lines)


def write_results(out: Path, results_dir: Path) -> None:
    text = out.read_text("utf-8") if out.exists() else HEADER
    for scale in ORDER:
        path = results_dir / f"{scale}.json"
        if not path.exists():
            continue
        block = (
            f"<!-- scale:{scale} -->\n"
            + render_scale(json.loads(path.read_text("utf-8")))
            + f"\n<!-- /scale:{scale} -->"
        )
        pattern = re.compile(rf"<!-- scale:{scale} -->.*?<!-- /scale:{scale} -->", re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _, block=block: block, text)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text, "utf-8")


if __name__ == "__main__":
    write_results(HERE / "RESULTS.md", HERE / "results")
    sys.exit(0)
