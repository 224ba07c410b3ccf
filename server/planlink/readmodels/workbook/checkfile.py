"""What /validate shows for an uploaded file: a plan workbook (.xlsx, .ods) or a Turtle file, checked as
``planlink import`` and ``planlink validate`` check them, each problem with the cell or line it concerns.
The caller gives a temporary file and deletes it: nothing is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib

from planlink.engine.store import parse_file, to_rdflib_graph
from planlink.foundation.errors import DataFileError
from planlink.readmodels.validation import ontology_graph, shapes_graph, validate_graph
from planlink.readmodels.workbook.importer import check, context_graph
from planlink.readmodels.workbook.reader import SUFFIXES

TURTLE_SUFFIXES = (".ttl",)
PREVIEW_ROWS = 400


@dataclass
class Finding:
    where: str  # ตัวชี้วัด!C12, or plan.ttl:42
    message: str
    anchor: str | None  # the id of the cell or line in the page
    focus: str | None = None
    path: str | None = None


@dataclass
class Checked:
    name: str
    kind: str  # workbook | turtle | unreadable
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)  # workbook: the sheets with problems, as cells
    lines: list[dict[str, Any]] = field(default_factory=list)  # turtle: the numbered lines
    triples: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "kind": self.kind,
            "conforms": self.conforms,
            "triples": self.triples,
            "problems": [f.__dict__ for f in self.findings],
            "warnings": [f.__dict__ for f in self.warnings],
        }


def cell_anchor(sheet: str, column: str | None, row: int | None) -> str:
    return f"cell-{sheet}-{column or ''}{row or ''}"


def check_upload(path: Path, name: str, root: Path, lang: str = "en", cap: int | None = None) -> Checked:
    suffix = Path(name).suffix.lower()
    if suffix in TURTLE_SUFFIXES:
        return _turtle(path, name, root, lang)
    try:
        result = check(path, root, lang, cap, name)
    except DataFileError as exc:
        return Checked(name, "unreadable", False, [Finding(name, exc.message, None)])
    problems = [
        Finding(p.where, p.message, cell_anchor(p.sheet, p.column, p.row), p.focus, p.path)
        for p in result.problems
    ]
    warnings = [
        Finding(p.where, p.message, cell_anchor(p.sheet, p.column, p.row), p.focus, p.path)
        for p in result.warnings
    ]
    marked: dict[str, dict[tuple[int, str], str]] = {}
    for p in [*result.problems, *result.warnings]:
        marked.setdefault(p.sheet, {})[(p.row or 0, p.column or "")] = p.message
    sheets = []
    for raw in result.raw:
        if raw.title not in marked:
            continue
        from openpyxl.utils import get_column_letter

        width = max((len(r) for r in raw.cells[:PREVIEW_ROWS]), default=0)
        rows = []
        for i, r in enumerate(raw.cells[:PREVIEW_ROWS], start=1):
            cells = []
            for j in range(width):
                letter = get_column_letter(j + 1)
                v = r[j] if j < len(r) else None
                msg = marked[raw.title].get((i, letter)) or marked[raw.title].get((i, ""))
                cells.append(
                    {
                        "value": "" if v is None else str(v),
                        "id": cell_anchor(raw.title, letter, i),
                        "problem": msg,
                    }
                )
            rows.append({"number": i, "cells": cells, "id": cell_anchor(raw.title, None, i)})
        letters = [get_column_letter(j + 1) for j in range(width)]
        sheets.append(
            {"title": raw.title, "id": cell_anchor(raw.title, None, None), "letters": letters, "rows": rows}
        )
    return Checked(
        name,
        "workbook",
        not problems,
        problems,
        warnings,
        sheets,
        [],
        len(result.built.graph) if not problems else 0,
    )


def _turtle(path: Path, name: str, root: Path, lang: str) -> Checked:
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = [{"number": i, "text": line, "id": f"L{i}"} for i, line in enumerate(text.split("\n"), start=1)]
    try:
        triples = parse_file(path)
    except DataFileError as exc:
        line = exc.details.get("line")
        where = f"{name}:{line}" if line else name
        message = exc.message.split(": ", 1)[-1] if line else exc.message
        out = Checked(
            name, "turtle", False, [Finding(where, message, f"L{line}" if line else None)], [], [], lines
        )
        _mark(out)
        return out
    graph = to_rdflib_graph(triples, rdflib.Graph())
    data = graph + context_graph(root, Path(name).stem)
    violations, warns = validate_graph(data, shapes_graph(root), ontology_graph(root), lang)
    own = {str(s) for s in graph.subjects()}

    def finding(v) -> Finding:  # type: ignore[no-untyped-def]
        line = _line_of(text, v.focus, v.path)
        label = f"{v.label} " if v.label else ""
        message = f"{label}<{v.focus}> {v.path or ''}: {v.message}"
        return Finding(
            f"{name}:{line}" if line else name, message, f"L{line}" if line else None, v.focus, v.path
        )

    found = [finding(v) for v in violations if v.focus in own]
    warned = [finding(v) for v in warns if v.focus in own]
    out = Checked(name, "turtle", not found, found, warned, [], lines, len(graph))
    _mark(out)
    return out


def _mark(out: Checked) -> None:
    by_line = {f.anchor: f.message for f in [*out.findings, *out.warnings] if f.anchor}
    for line in out.lines:
        line["problem"] = by_line.get(line["id"])


def _line_of(text: str, iri: str, path: str | None = None) -> int | None:
    """The line of the property in the item's statements (which begin with its IRI at the start of a line),
    else the line where they begin, else the IRI's first mention."""
    for pattern in (rf"^<{re.escape(iri)}>", re.escape(f"<{iri}>")):
        m = re.search(pattern, text, re.M)
        if m:
            start = text.count("\n", 0, m.start()) + 1
            if path and re.fullmatch(r"[\w-]+:[\w-]+", path):
                block = text[m.start() :].split("\n")
                for i, line in enumerate(block):
                    if re.match(rf"\s+{re.escape(path)}\b", line):
                        return start + i
                    if line.rstrip().endswith(" .") and not line.lstrip().startswith("#"):
                        break
            return start
    return None


ACCEPTED = (*SUFFIXES, *TURTLE_SUFFIXES)
