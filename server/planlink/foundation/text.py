"""Rows as a text table with aligned columns, for the terminal. Thai vowel and tone marks take no column of
their own (they combine with the consonant before them), wide East Asian characters take two."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """How many terminal columns ``text`` takes."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` columns (with an ellipsis), never inside a character's marks."""
    text = " ".join(text.split())
    if limit <= 0 or width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = (
            0
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
            else (2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1)
        )
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render(header: Sequence[str], rows: Sequence[Sequence[str]], max_cell: int = 60) -> str:
    """A table: the header, a rule, then one line per row; cells cut to ``max_cell`` columns (0: no limit)."""
    cells = [[clip(c, max_cell) for c in row] for row in rows]
    head = [clip(h, max_cell) for h in header]
    widths = [max([width(head[i])] + [width(r[i]) for r in cells]) for i in range(len(head))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def natural_key(text: str | None) -> tuple[int | str, ...]:
    """A sort key that orders "2" before "10" and "1.2" before "1.10" (plan numbering)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))
