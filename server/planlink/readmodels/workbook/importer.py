"""Import a plan workbook: read it, build the graph, validate it with the project's shapes (together with the
other data files, as ``planlink validate`` would see it), and only then write the Turtle file, atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from planlink.engine.store import parse_file, rdf_files, to_rdflib_graph
from planlink.foundation.errors import WorkbookInvalid
from planlink.readmodels.validation import ontology_graph, shapes_graph, validate_graph
from planlink.readmodels.workbook.build import Built, build
from planlink.readmodels.workbook.messages import Problem, say
from planlink.readmodels.workbook.reader import RawSheet, load_raw, read_book
from planlink.readmodels.workbook.turtle import to_turtle


@dataclass
class Imported:
    built: Built
    text: str
    problems: list[Problem]
    warnings: list[Problem]
    raw: list[RawSheet] = field(default_factory=list)  # the cells as read (for a page that shows them)

    @property
    def ok(self) -> bool:
        return not self.problems


def context_graph(root: Path, stem: str | None) -> rdflib.Graph:
    """The project's other data files (areas, frameworks, other plans): what the new plan is checked with.
    Alignment files are left out: they speak of the plans as they are now, not as the workbook has them."""
    g = rdflib.Graph()
    folder = root / "data"
    if folder.is_dir():
        for p in rdf_files(folder):
            if p.stem != stem and not p.stem.startswith("alignment-"):
                to_rdflib_graph(parse_file(p), g)
    return g


def check(
    path: Path, root: Path, lang: str = "en", cap: int | None = None, name: str | None = None
) -> Imported:
    """Read and validate a workbook; the Turtle text when it has no problem. Raises DataFileError (exit 2) for a
    file that cannot be read as a workbook; every other problem is listed, with its cell."""
    raw = load_raw(path, lang, cap, name)
    book = read_book(raw, lang)
    built = build(book, lang)
    problems = list(built.problems)
    warnings: list[Problem] = []
    if not problems and built.plan is not None:
        data = built.graph + context_graph(root, built.slug)
        violations, warns = validate_graph(data, shapes_graph(root), ontology_graph(root), lang)
        own = {str(s) for s in built.graph.subjects()}
        for v in violations:
            if v.focus in own or not own:
                problems.append(built.locate(v.focus, v.path, _message(v)))
        for v in warns:
            if v.focus in own:
                warnings.append(built.locate(v.focus, v.path, _message(v)))
    text = ""
    if not problems and built.plan is not None:
        text = to_turtle(built.graph, built.plan, header_lines(built, name or path.name))
    return Imported(built, text, sorted(problems, key=_order), warnings, raw)


def _message(v) -> str:  # type: ignore[no-untyped-def]
    named = v.path and ":" in v.path and " " not in v.path and v.path not in v.message
    return v.message + (f" ({v.path})" if named else "")


def _order(p: Problem) -> tuple:
    from planlink.readmodels.workbook.layout import SHEETS

    titles = [s.title for s in SHEETS]
    return (
        titles.index(p.sheet) if p.sheet in titles else -1,
        p.row or 0,
        len(p.column or ""),
        p.column or "",
    )


def header_lines(built: Built, source: str) -> list[str]:
    from rdflib import SKOS

    g, plan = built.graph, built.plan
    labels = {getattr(lit, "language", None): str(lit) for lit in g.objects(plan, SKOS.prefLabel)}
    return [
        f"planlink data: {labels.get('th', built.slug)}",
        f"({labels.get('en', '')}).",
        "",
        f"Imported from the workbook {Path(source).name} by `planlink import`: edit the workbook and import it",
        "again rather than editing this file by hand. Labels carry the corrected text; plan:sourceText keeps",
        "each item verbatim, and plan:correction records every repair. No-break spaces are written \\u00A0.",
        f"IRIs follow docs/DATA.md. Named graph: https://w3id.org/planlink/graph/{built.slug}",
    ]


def invalid(result: Imported, lang: str) -> WorkbookInvalid:
    return WorkbookInvalid(
        say("problems", lang, count=len(result.problems)), [p.to_dict() for p in result.problems]
    )


def write_atomically(text: str, target: Path) -> None:
    """Write to a temporary file in the target's folder, then rename it over the target: a reader sees the old
    file or the new one, never a part, and a failure leaves no file behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_workbook(
    path: Path, root: Path, output: Path | None = None, lang: str = "en", cap: int | None = None
) -> tuple[Path, Imported]:
    """Check the workbook and, when it has no problem, write ``output`` (default data/<slug>.ttl)."""
    result = check(path, root, lang, cap)
    if not result.ok:
        raise invalid(result, lang)
    target = output or root / "data" / f"{result.built.slug}.ttl"
    write_atomically(result.text, target)
    return target, result
