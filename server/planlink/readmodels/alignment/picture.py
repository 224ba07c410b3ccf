"""The alignment report's heatmap laid out as a picture: the geometry of an SVG drawing (rows, columns, one square
per cell, separators between issues, a legend) that templates/report.html draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planlink.foundation.text import clip
from planlink.readmodels.alignment.model import LEVEL_COLOURS, LEVEL_KEYS, LEVELS, Report, level_name


@dataclass
class Picture:
    """The heatmap laid out for an SVG drawing (sizes in px); the template draws it."""

    width: int
    height: int
    cell: int
    left: int
    top: int
    rows: list[dict[str, Any]]
    columns: list[dict[str, Any]]
    cells: list[dict[str, Any]]
    separators: list[dict[str, int]]
    legend: list[dict[str, Any]]


def picture(report: Report, label_columns: int = 42) -> Picture:
    """Geometry of the heatmap: row labels on the left (notation and label, cut to ``label_columns``), column
    numbers on top (full labels in tooltips and in the key below the picture), one square per cell."""
    hm, lang = report.heatmap, report.lang
    cell, left, top, legend_h = 22, 330, 64, 34
    rows, columns, cells, seps = [], [], [], []
    for i, r in enumerate(hm.rows):
        y = top + i * cell
        rows.append(
            {
                "iri": r.iri,
                "x": left - 8,
                "y": y + cell * 0.7,
                "issue": r.kind == "DevelopmentIssue",
                "text": clip(r.display, label_columns),
                "title": f"{r.kind_name} {r.display}",
            }
        )
        if r.kind == "DevelopmentIssue" and i:
            seps.append({"x1": 4, "y1": y, "x2": left + len(hm.columns) * cell, "y2": y})
    for j, c in enumerate(hm.columns):
        x = left + j * cell
        columns.append(
            {
                "iri": c.iri,
                "x": x + cell * 0.65,
                "y": top - 6,
                "issue": c.kind == "DevelopmentIssue",
                "text": c.notation or "",
                "title": f"{c.kind_name} {c.display}",
            }
        )
        if c.kind == "DevelopmentIssue" and j:
            seps.append({"x1": x, "y1": top - 40, "x2": x, "y2": top + len(hm.rows) * cell})
    for i, r in enumerate(hm.rows):
        for j, c in enumerate(hm.columns):
            rank = hm.cells.get((r.iri, c.iri), 0)
            cells.append(
                {
                    "x": left + j * cell,
                    "y": top + i * cell,
                    "rank": rank,
                    "key": LEVEL_KEYS[rank],
                    "fill": LEVEL_COLOURS[rank],
                    "record": hm.records.get((r.iri, c.iri)),
                    "title": f"{r.display} → {c.display}: {level_name(rank, lang)}",
                }
            )
    height = top + len(hm.rows) * cell + 12 + legend_h
    legend = [
        {
            "x": 8 + k * 150,
            "y": height - legend_h + 8,
            "rank": rank,
            "key": LEVEL_KEYS[rank],
            "fill": LEVEL_COLOURS[rank],
            "text": level_name(rank, lang),
        }
        for k, rank in enumerate(LEVELS)
    ]
    width = max(left + len(hm.columns) * cell + 10, 8 + len(LEVELS) * 150)
    return Picture(width, height, cell, left, top, rows, columns, cells, seps, legend)


@dataclass
class Bars:
    """The coverage bars laid out for an SVG drawing (sizes in px): one stacked bar per kind of target item, a
    segment per level, as wide as its share of the kind's items."""

    width: int
    height: int
    left: int
    bar_width: int
    bars: list[dict[str, Any]]


def coverage_bars(report: Report) -> Bars:
    """The headline figures (``report.coverage``) as stacked bars: full, partial, weak, none, left to right."""
    from planlink.readmodels.alignment.model import COVERED_KINDS, kind_name

    lang = report.lang
    left, bar_width, bar_h, gap, top = 170, 520, 26, 14, 8
    bars = []
    for i, kind in enumerate(COVERED_KINDS):
        counts, total = report.coverage.get(kind, {}), report.totals(kind)
        y, x, segments = top + i * (bar_h + gap), float(left), []
        for rank in sorted(LEVELS, reverse=True):
            n = counts.get(rank, 0)
            if not n:
                continue
            w = bar_width * n / total
            segments.append(
                {
                    "x": round(x, 2),
                    "w": round(w, 2),
                    "rank": rank,
                    "key": LEVEL_KEYS[rank],
                    "fill": LEVEL_COLOURS[rank],
                    "count": n,
                    "dark": rank == 3,
                    "title": f"{kind_name(kind, lang)}: {level_name(rank, lang)} {n} / {total}",
                }
            )
            x += w
        bars.append(
            {
                "kind": kind,
                "y": y,
                "h": bar_h,
                "text": kind_name(kind, lang),
                "total": total,
                "segments": segments,
            }
        )
    height = top + len(bars) * (bar_h + gap)
    return Bars(left + bar_width + 60, height, left, bar_width, bars)
