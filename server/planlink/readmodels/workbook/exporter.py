"""A plan's graph as the template's workbook, filled in: the inverse of the reader and builder. The export is
checked by building the graph again from its own rows: a plan that a workbook cannot hold exactly is refused
with the statements it would lose, never written short."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rdflib
from openpyxl import Workbook
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS

from planlink.engine.store import parse_file, rdf_files, to_rdflib_graph
from planlink.foundation.errors import DataFileError, NotFound
from planlink.foundation.settings import DEFAULT_BASE
from planlink.foundation.text import natural_key
from planlink.readmodels.workbook.build import EARLIER, build
from planlink.readmodels.workbook.build import PLAN_NS as P
from planlink.readmodels.workbook.layout import (
    FIRST_ROW,
    SHEETS,
    Sheet,
    choice_for_term,
)
from planlink.readmodels.workbook.reader import Book, Row
from planlink.readmodels.workbook.template import new_workbook


def find_plan(root: Path, slug: str, base: str = DEFAULT_BASE) -> tuple[Path, rdflib.Graph, URIRef]:
    """The data file that states the plan ``slug``, parsed, and the plan's IRI."""
    plan = URIRef(f"{base}id/{slug}")
    for p in rdf_files(root / "data"):
        g = to_rdflib_graph(parse_file(p), rdflib.Graph())
        if (plan, RDF.type, None) in g and (None, P.inPlan, plan) in g:
            return p, g, plan
    raise NotFound(f"no data file in {root / 'data'} states a plan <{plan}>", slug=slug)


def known_areas(root: Path) -> list[str]:
    """The area slugs the project's data/areas.ttl names (the drop-down of the plan's area)."""
    path = root / "data" / "areas.ttl"
    if not path.is_file():
        return []
    g = to_rdflib_graph(parse_file(path), rdflib.Graph())
    prefix = f"{DEFAULT_BASE}id/area/"
    return sorted({str(s)[len(prefix) :] for s in g.subjects() if str(s).startswith(prefix)})


def _one(g: rdflib.Graph, s: Any, p: Any, lang: str | None = None) -> str | None:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and (lang is None or o.language == lang):
            return str(o)
    return None


def _notes(g: rdflib.Graph, s: Any, p: Any, lang: str) -> str | None:
    """All of an item's notes in one language, one paragraph each (the cell build reads them back from)."""
    found = sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang)
    return "\n\n".join(found) or None


def _int(g: rdflib.Graph, s: Any, p: Any) -> int | None:
    v = g.value(s, p)
    return int(v) if v is not None else None


def rows_of(g: rdflib.Graph, plan: URIRef) -> dict[str, list[dict[str, Any]]]:
    """The plan's statements as workbook rows (values by column key), by sheet key."""
    out: dict[str, list[dict[str, Any]]] = {s.key: [] for s in SHEETS}
    kind = g.value(plan, RDF.type)
    relation, earlier = next(
        ((term, o) for term, p in EARLIER.items() for o in g.objects(plan, p)), (None, None)
    )
    doc = g.value(plan, P.sourceDocument)
    title_th, title_en = _one(g, plan, DCTERMS.title, "th"), _one(g, plan, DCTERMS.title, "en")
    out["Plan"].append(
        {
            "Plan slug": str(plan).rsplit("/id/", 1)[-1],
            "Plan kind": choice_for_term("kind", str(kind).rsplit("#", 1)[-1]).value if kind else None,
            "Thai title": title_th,
            "English title": title_en,
            "Description (Thai)": _one(g, plan, DCTERMS.description, "th"),
            "Description (English)": _one(g, plan, DCTERMS.description, "en"),
            "Area": str(g.value(plan, P.coversArea)).rsplit("/id/area/", 1)[-1]
            if g.value(plan, P.coversArea)
            else None,
            "Fiscal year (B.E.)": _int(g, plan, P.fiscalYear),
            "Period statement (Thai)": _one(g, plan, P.periodStatement, "th"),
            "Period statement (English)": _one(g, plan, P.periodStatement, "en"),
            "Change note (Thai)": _one(g, plan, SKOS.changeNote, "th"),
            "Change note (English)": _one(g, plan, SKOS.changeNote, "en"),
            "Earlier edition (slug)": str(earlier).rsplit("/id/", 1)[-1] if earlier else None,
            "Relation to the earlier edition": choice_for_term("earlier", relation).value
            if relation
            else None,
            "Earlier edition label (Thai)": _one(g, earlier, RDFS.label, "th") if earlier else None,
            "Earlier edition label (English)": _one(g, earlier, RDFS.label, "en") if earlier else None,
            "Earlier edition comment (Thai)": _one(g, earlier, RDFS.comment, "th") if earlier else None,
            "Earlier edition comment (English)": _one(g, earlier, RDFS.comment, "en") if earlier else None,
            "Source file": _one(g, doc, P.sourceFile) if doc else None,
            "Source title (Thai)": _one(g, doc, DCTERMS.title, "th") if doc else None,
            "Source title (English)": _one(g, doc, DCTERMS.title, "en") if doc else None,
            "Source label (Thai)": _one(g, doc, RDFS.label, "th") if doc else None,
            "Source label (English)": _one(g, doc, RDFS.label, "en") if doc else None,
            "Source comment (Thai)": _one(g, doc, RDFS.comment, "th") if doc else None,
            "Source comment (English)": _one(g, doc, RDFS.comment, "en") if doc else None,
        }
    )
    items = sorted(
        {s for s in g.subjects(P.inPlan, plan) if isinstance(s, URIRef)},
        key=lambda s: (_int(g, s, P.position) or 0, str(s)),
    )
    plan_indicators = set(g.objects(plan, P.hasPlanIndicator))

    def ref(s: Any) -> str:
        """The numbers an indicator is named by in a links column: 7 at plan level, 4.10 under issue 4."""
        issue = g.value(s, SKOS.broader)
        if s in plan_indicators:
            return str(_int(g, s, P.planLevelPosition if issue is not None else P.position))
        return f"{_int(g, issue, P.position)}.{_int(g, s, P.position)}"

    def refs(names: list[str]) -> str | None:
        return ", ".join(sorted(names, key=natural_key)) or None

    for s in items:
        k = str(g.value(s, RDF.type)).rsplit("#", 1)[-1]
        texts = sorted(str(o) for o in g.objects(s, P.sourceText))
        label_th = _one(g, s, SKOS.prefLabel, "th")
        source = texts[0] if texts else None
        row: dict[str, Any] = {
            "Thai text as in the source": source,
            "Corrected Thai label": None if source is not None and label_th == source.strip() else label_th,
            "English label": _one(g, s, SKOS.prefLabel, "en"),
            "Correction (Thai)": _notes(g, s, P.correction, "th"),
            "Correction (English)": _notes(g, s, P.correction, "en"),
            "Scope note (Thai)": _notes(g, s, SKOS.scopeNote, "th"),
            "Scope note (English)": _notes(g, s, SKOS.scopeNote, "en"),
            "Editorial note (Thai)": _notes(g, s, SKOS.editorialNote, "th"),
            "Editorial note (English)": _notes(g, s, SKOS.editorialNote, "en"),
        }
        issue = g.value(s, SKOS.broader)
        issue_n = _int(g, issue, P.position) if issue is not None else None
        position = _int(g, s, P.position)
        if k in ("DevelopmentTarget", "Mission", "DevelopmentIssue", "ValueChainElement", "KeySuccessFactor"):
            row["Number"] = position
            if k == "ValueChainElement":
                row["Value chain of issues"] = refs(
                    [str(_int(g, o, P.position)) for o in g.objects(s, P.valueChainOf)]
                )
        elif k == "Objective":
            row["Issue"] = issue_n
        elif k in ("Goal", "Guideline"):
            row["Issue"], row["Number"] = issue_n, position
        elif k == "Indicator":
            unit, direction = g.value(s, P.unit), g.value(s, P.direction)
            row["Unit"] = choice_for_term("unit", str(unit).rsplit("#", 1)[-1]).value if unit else None
            row["Direction"] = (
                choice_for_term("direction", str(direction).rsplit("#", 1)[-1]).value if direction else None
            )
            at_plan = s in plan_indicators
            if at_plan and issue is not None:
                row["Plan-level number"] = _int(g, s, P.planLevelPosition)
                row["Issue"], row["Number under the issue"] = issue_n, position
                if len(texts) > 1:
                    row["Thai text under the issue, if different"] = texts[1]
            elif at_plan:
                row["Plan-level number"] = position
            else:
                row["Issue"], row["Number under the issue"] = issue_n, position
            near = set(g.objects(s, P.nearDuplicateOf))
            row["Near duplicate of"] = refs([ref(o) for o in near])
            row["Related indicators"] = refs(
                [
                    ref(o)
                    for o in g.objects(s, SKOS.related)
                    if o not in near and (o, RDF.type, P.Indicator) in g
                ]
            )
        else:
            continue  # not a kind the workbook holds: the check below names what is lost
        out[k].append(row)
    order = {
        "Indicator": lambda r: (
            r.get("Plan-level number") is None,
            r.get("Plan-level number") or 0,
            r.get("Issue") or 0,
            r.get("Number under the issue") or 0,
        ),
        "Objective": lambda r: r.get("Issue") or 0,
    }
    for key in ("Goal", "Guideline"):
        order[key] = lambda r: (r.get("Issue") or 0, r.get("Number") or 0)
    for key, rows in out.items():
        if key in order:
            rows.sort(key=order[key])
    return out


def book_of(rows: dict[str, list[dict[str, Any]]]) -> Book:
    """The rows as the reader would give them (to build the graph again from what the workbook holds)."""
    from planlink.readmodels.workbook.layout import read_choice

    book: dict[str, list[Row]] = {}
    for sheet in SHEETS:
        book[sheet.key] = []
        for i, r in enumerate(rows[sheet.key]):
            values = {}
            for c in sheet.columns:
                v = r.get(c.key)
                values[c.key] = read_choice(c.choices, v) if c.kind == "choice" and c.choices and v else v
            book[sheet.key].append(Row(sheet, FIRST_ROW + i, values))
    return Book(book, [])


def plan_subgraph(g: rdflib.Graph, plan: URIRef) -> rdflib.Graph:
    """The statements of the file the workbook must carry: all of them (a plan file holds one plan)."""
    return g


def export_workbook(
    g: rdflib.Graph, plan: URIRef, lang: str = "th", areas: list[str] | None = None
) -> Workbook:
    rows = rows_of(g, plan)
    again = build(book_of(rows)).graph
    wanted = plan_subgraph(g, plan)
    if not isomorphic(again, wanted):
        _, lost, extra = graph_diff(to_isomorphic(wanted), to_isomorphic(again))
        sample = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in list(lost)[:5])
        raise DataFileError(
            f"the plan cannot be held exactly by a workbook: {len(lost)} statement(s) would be lost and "
            f"{len(extra)} added, e.g. " + "; ".join(sample),
            str(plan),
        )
    wb = new_workbook(lang, areas)
    for sheet in SHEETS:
        fill(wb[sheet.title], sheet, rows[sheet.key])
    return wb


def fill(ws: Any, sheet: Sheet, rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment

    for i, r in enumerate(rows):
        for j, col in enumerate(sheet.columns, start=1):
            v = r.get(col.key)
            if v is not None:
                cell = ws.cell(FIRST_ROW + i, j, v)
                if col.kind == "text":
                    cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
