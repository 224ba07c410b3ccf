"""Checked workbook rows -> the plan's RDF graph, with the IRIs minted by docs/DATA.md's scheme, and a map
from every item and statement back to the cell it came from (so that a shape violation names a cell)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from planlink.foundation.settings import DEFAULT_BASE
from planlink.readmodels.workbook.layout import (
    INDICATOR,
    ISSUE_PROPERTY,
    ISSUE_SHEET,
    PLAN,
    PLAN_PROPERTY,
    SEGMENT,
    SHEETS,
)
from planlink.readmodels.workbook.messages import Problem, say
from planlink.readmodels.workbook.reader import Book, Row

PLAN_NS = rdflib.Namespace(f"{DEFAULT_BASE}def/plan#")
# The plan's relation to its earlier edition, by the term of the "earlier" choice (layout.CHOICES).
EARLIER = {"wasRevisionOf": PROV.wasRevisionOf, "unchangedFrom": PLAN_NS.unchangedFrom}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PARAGRAPHS = re.compile(r"\n[ \t]*\n")  # what parts a notes cell into notes
FILE_NAME = re.compile(r"[A-Za-z0-9._-]+")

# Which column a shape's property points at, by the property's short name (first column the sheet has).
PATH_COLUMNS = {
    "skos:prefLabel": ("Corrected Thai label", "Thai text as in the source", "Thai title", "English label"),
    "plan:sourceText": ("Thai text as in the source",),
    "plan:correction": ("Correction (Thai)",),
    "skos:scopeNote": ("Scope note (Thai)",),
    "skos:editorialNote": ("Editorial note (Thai)",),
    "plan:unit": ("Unit",),
    "plan:direction": ("Direction",),
    "skos:notation": ("Number", "Number under the issue", "Plan-level number", "Issue"),
    "plan:position": ("Number", "Number under the issue", "Plan-level number", "Issue"),
    "dcterms:title": ("Thai title", "English title"),
    "plan:coversArea": ("Area",),
    "plan:fiscalYear": ("Fiscal year (B.E.)",),
    "plan:periodStatement": ("Period statement (Thai)", "Fiscal year (B.E.)"),
    "plan:sourceDocument": ("Source file",),
    "dcterms:description": ("Description (Thai)",),
    "skos:changeNote": ("Change note (Thai)",),
    "plan:unchangedFrom": ("Earlier edition (slug)",),
    "prov:wasRevisionOf": ("Earlier edition (slug)",),
    "plan:valueChainOf": ("Value chain of issues",),
    "plan:nearDuplicateOf": ("Near duplicate of",),
    "skos:related": ("Related indicators", "Value chain of issues"),
}


@dataclass
class Built:
    graph: rdflib.Graph
    plan: URIRef | None
    slug: str | None
    problems: list[Problem]
    cells: dict[str, Row] = field(default_factory=dict)  # item IRI -> its row

    def locate(self, focus: str, path: str | None, message: str) -> Problem:
        """A shape violation as a problem at the cell it concerns (the row's first column if unsure)."""
        row = self.cells.get(focus)
        if row is None:
            row = self.cells.get(str(self.plan)) if self.plan is not None else None
        if row is None:
            return Problem(PLAN.title, None, None, message, focus, path)
        keys = [c.key for c in row.sheet.columns]
        if path not in PATH_COLUMNS:  # an alternative or inverse path: the first property the message names
            named = sorted((message.find(p), p) for p in PATH_COLUMNS if p in message)
            path = named[0][1] if named else path
        column = next((k for k in PATH_COLUMNS.get(path or "", ()) if k in keys), keys[0])
        return Problem(row.sheet.title, row.number, row.sheet.letter(column), message, focus, path)


def th(text: str) -> Literal:
    return Literal(text, lang="th")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def build(book: Book, lang: str = "en", base: str = DEFAULT_BASE) -> Built:
    """The plan's graph from the rows (problems found on the way are added to the book's own)."""
    problems = list(book.problems)
    g = rdflib.Graph()
    out = Built(g, None, None, problems)

    def problem(row: Row, key: str | None, msg: str, **kw: object) -> None:
        problems.append(
            Problem(row.sheet.title, row.number, row.sheet.letter(key) if key else None, say(msg, lang, **kw))
        )

    plan_rows = book.rows.get("Plan", [])
    if not plan_rows:
        if not any(p.sheet == PLAN.title and p.row is None for p in problems):
            problems.append(Problem(PLAN.title, 3, "A", say("no-plan", lang)))
        return out
    p = plan_rows[0]
    v = p.values
    slug = v["Plan slug"]
    if slug is not None and not SLUG.fullmatch(slug.strip()):
        problem(p, "Plan slug", "bad-slug", value=slug)
        slug = None
    if slug is None:
        return out
    slug = slug.strip()
    plan = URIRef(f"{base}id/{slug}")
    out.plan, out.slug = plan, slug
    out.cells[str(plan)] = p
    ident = f"{base}id/{slug}/"

    def add(s: URIRef, pred: URIRef, o: Any) -> None:
        if o is not None:
            g.add((s, pred, o))

    def pair(s: URIRef, pred: URIRef, thai: str | None, english: str | None) -> None:
        add(s, pred, th(thai) if thai is not None else None)
        add(s, pred, en(english) if english is not None else None)

    def notes(s: URIRef, pred: URIRef, thai: str | None, english: str | None) -> None:
        """A notes cell holds one note per paragraph (paragraphs apart by an empty line)."""
        for text, literal in ((thai, th), (english, en)):
            for note in PARAGRAPHS.split(text.replace("\r\n", "\n")) if text is not None else []:
                if note.strip():
                    g.add((s, pred, literal(note)))

    if v["Plan kind"] is not None:
        g.add((plan, RDF.type, PLAN_NS[v["Plan kind"].term]))
    pair(plan, DCTERMS.title, v["Thai title"], v["English title"])
    pair(plan, SKOS.prefLabel, v["Thai title"], v["English title"])
    pair(plan, DCTERMS.description, v["Description (Thai)"], v["Description (English)"])
    if v["Fiscal year (B.E.)"] is not None:
        g.add((plan, PLAN_NS.fiscalYear, Literal(v["Fiscal year (B.E.)"])))
    pair(plan, PLAN_NS.periodStatement, v["Period statement (Thai)"], v["Period statement (English)"])
    area = v["Area"]
    if area is not None:
        area = area.strip()
        if not SLUG.fullmatch(area):
            problem(p, "Area", "bad-slug", value=area)
        else:
            g.add((plan, PLAN_NS.coversArea, URIRef(f"{base}id/area/{area}")))
    pair(plan, SKOS.changeNote, v["Change note (Thai)"], v["Change note (English)"])
    earlier, relation = v["Earlier edition (slug)"], v["Relation to the earlier edition"]
    if (earlier is None) != (relation is None):
        problem(
            p,
            "Relation to the earlier edition" if relation is None else "Earlier edition (slug)",
            "earlier-pair",
        )
    elif earlier is not None:
        earlier = earlier.strip()
        if not SLUG.fullmatch(earlier):
            problem(p, "Earlier edition (slug)", "bad-slug", value=earlier)
        else:
            e = URIRef(f"{base}id/{earlier}")
            g.add((plan, EARLIER[relation.term], e))
            label = (v["Earlier edition label (Thai)"], v["Earlier edition label (English)"])
            comment = (v["Earlier edition comment (Thai)"], v["Earlier edition comment (English)"])
            if any(x is not None for x in (*label, *comment)):
                g.add((e, RDF.type, PROV.Entity))
                pair(e, RDFS.label, *label)
                pair(e, RDFS.comment, *comment)
    source_file = v["Source file"]
    if source_file is not None:
        source_file = source_file.strip()
        if not FILE_NAME.fullmatch(source_file):
            problem(p, "Source file", "bad-file-name", value=source_file)
        else:
            doc = URIRef(
                f"{base}id/source/{source_file.rsplit('.', 1)[0] if '.' in source_file else source_file}"
            )
            g.add((plan, PLAN_NS.sourceDocument, doc))
            g.add((doc, RDF.type, PLAN_NS.SourceDocument))
            g.add((doc, PLAN_NS.sourceFile, Literal(source_file)))
            pair(
                doc,
                DCTERMS.title,
                v["Source title (Thai)"] or v["Thai title"],
                v["Source title (English)"] or v["English title"],
            )
            g.add((doc, DCTERMS.language, Literal("th")))
            pair(doc, RDFS.label, v["Source label (Thai)"], v["Source label (English)"])
            pair(doc, RDFS.comment, v["Source comment (Thai)"], v["Source comment (English)"])

    # -- the items ------------------------------------------------------------------------------------------
    issues: dict[int, URIRef] = {}
    seen: dict[tuple[str, Any], int] = {}

    def unique(row: Row, key: str, number: Any, column: str) -> bool:
        if number is None:
            return True
        first = seen.setdefault((row.sheet.key + ":" + key, number), row.number)
        if first != row.number:
            shown = ".".join(str(x) for x in number) if isinstance(number, tuple) else number
            problem(row, column, "duplicate", number=shown, first=first)
            return False
        return True

    built: list[tuple[Row, URIRef]] = []  # every item's row, for the links between items (last)
    indicators: dict[str, URIRef] = {}  # an indicator by the numbers it is named by ("7", "4.10")

    def item(row: Row, iri: URIRef, kind: str, notations: list[str], position: int) -> None:
        r = row.values
        out.cells[str(iri)] = row
        built.append((row, iri))
        g.add((iri, RDF.type, PLAN_NS[kind]))
        g.add((iri, PLAN_NS.inPlan, plan))
        g.add((iri, SKOS.inScheme, plan))
        for n in notations:
            g.add((iri, SKOS.notation, Literal(n)))
        g.add((iri, PLAN_NS.position, Literal(position)))
        text = r["Thai text as in the source"]
        if text is not None:
            g.add((iri, PLAN_NS.sourceText, th(text)))
        label = r["Corrected Thai label"] if r["Corrected Thai label"] is not None else text
        if label is not None:
            g.add((iri, SKOS.prefLabel, th(label.strip() if r["Corrected Thai label"] is None else label)))
        if r["English label"] is not None:
            g.add((iri, SKOS.prefLabel, en(r["English label"])))
        notes(iri, PLAN_NS.correction, r["Correction (Thai)"], r["Correction (English)"])
        notes(iri, SKOS.scopeNote, r["Scope note (Thai)"], r["Scope note (English)"])
        notes(iri, SKOS.editorialNote, r["Editorial note (Thai)"], r["Editorial note (English)"])

    def top(iri: URIRef, kind: str) -> None:
        g.add((plan, PLAN_NS[PLAN_PROPERTY[kind]], iri))
        g.add((plan, SKOS.hasTopConcept, iri))
        g.add((iri, SKOS.topConceptOf, plan))

    def under(iri: URIRef, issue: URIRef, kind: str) -> None:
        g.add((issue, PLAN_NS[ISSUE_PROPERTY[kind]], iri))
        g.add((iri, SKOS.broader, issue))

    # A row the reader already found wrong is not built: its empty or unread cells would only add misleading
    # problems (a missing number is not also a "missing pair").
    flawed = {(q.sheet, q.row) for q in book.problems if q.row}
    book = Book(
        {k: [r for r in rows if (r.sheet.title, r.number) not in flawed] for k, rows in book.rows.items()}, []
    )

    for row in book.rows.get("DevelopmentIssue", []):
        n = row.values["Number"]
        if n is not None and unique(row, "n", n, "Number"):
            iri = URIRef(f"{ident}issue/{n}")
            issues[n] = iri
            item(row, iri, "DevelopmentIssue", [str(n)], n)
            top(iri, "DevelopmentIssue")

    def parent(row: Row, key: str = "Issue") -> URIRef | None:
        n = row.values[key]
        if n is None:
            return None
        if n not in issues:
            problem(row, key, "no-parent", number=n, sheet=ISSUE_SHEET.title)
            return None
        return issues[n]

    for kind in ("DevelopmentTarget", "Mission", "ValueChainElement", "KeySuccessFactor"):
        for row in book.rows.get(kind, []):
            n = row.values["Number"]
            if n is None or not unique(row, "n", n, "Number"):
                continue
            iri = URIRef(f"{ident}{SEGMENT[kind]}" + ("" if kind == "DevelopmentTarget" else f"/{n}"))
            item(row, iri, kind, [str(n)], n)
            top(iri, kind)

    for row in book.rows.get("Objective", []):
        issue = parent(row)
        if issue is None or not unique(row, "issue", row.values["Issue"], "Issue"):
            continue
        n = row.values["Issue"]
        iri = URIRef(f"{issue}/objective")
        item(row, iri, "Objective", [str(n)], 1)
        under(iri, issue, "Objective")

    for kind in ("Goal", "Guideline"):
        for row in book.rows.get(kind, []):
            issue, k = parent(row), row.values["Number"]
            if issue is None or k is None:
                continue
            n = row.values["Issue"]
            if not unique(row, "nk", (n, k), "Number"):
                continue
            iri = URIRef(f"{issue}/{SEGMENT[kind]}/{k}")
            item(row, iri, kind, [f"{n}.{k}"], k)
            under(iri, issue, kind)

    for row in book.rows.get("Indicator", []):
        r = row.values
        n, i, k = r["Plan-level number"], r["Issue"], r["Number under the issue"]
        raw_i = r["Issue"]
        if (raw_i is None) != (k is None):
            problem(row, "Issue" if raw_i is None else "Number under the issue", "indicator-pair")
            continue
        if n is None and k is None:
            if not any(q.sheet == INDICATOR.title and q.row == row.number for q in problems):
                problem(row, "Plan-level number", "indicator-place")
            continue
        issue = parent(row) if i is not None else None
        if i is not None and issue is None:
            continue
        ok = unique(row, "n", n, "Plan-level number")
        ok = unique(row, "ik", (i, k) if k is not None else None, "Number under the issue") and ok
        if not ok:
            continue
        iri = URIRef(f"{ident}indicator/{n}" if n is not None else f"{issue}/indicator/{k}")
        notations = ([str(n)] if n is not None else []) + ([f"{i}.{k}"] if k is not None else [])
        indicators.update((x, iri) for x in notations)
        item(row, iri, "Indicator", notations, k if k is not None else n)
        if n is not None:
            top(iri, "Indicator")
            if issue is not None:
                g.add((iri, PLAN_NS.planLevelPosition, Literal(n)))
        if issue is not None:
            under(iri, issue, "Indicator")
        if r["Unit"] is not None:
            g.add((iri, PLAN_NS.unit, PLAN_NS[r["Unit"].term]))
        if r["Direction"] is not None:
            g.add((iri, PLAN_NS.direction, PLAN_NS[r["Direction"].term]))
        second = r["Thai text under the issue, if different"]
        if second is not None:
            if n is None or issue is None:
                problem(row, "Thai text under the issue, if different", "under-issue-text")
            else:
                g.add((iri, PLAN_NS.sourceText, th(second)))

    # Links between items of the plan, named by their numbers in a row of either end; made both ways.
    def named(
        row: Row, key: str, known: dict[str, URIRef], what: tuple[str, str], sheet: str
    ) -> list[URIRef]:
        raw = row.values.get(key)
        found = []
        for ref in raw.split(", ") if raw else []:
            if ref in known:
                found.append(known[ref])
            else:
                problem(row, key, "no-ref", ref=ref, sheet=sheet, what_th=what[0], what_en=what[1])
        return found

    def related(a: URIRef, b: URIRef, sub: URIRef | None = None, both: bool = True) -> None:
        g.add((a, SKOS.related, b))
        g.add((b, SKOS.related, a))
        if sub is not None:
            g.add((a, sub, b))
            if both:
                g.add((b, sub, a))

    by_issue = {str(n): iri for n, iri in issues.items()}
    for row, iri in built:
        if row.sheet.key == "ValueChainElement":
            for issue in named(
                row, "Value chain of issues", by_issue, ("ประเด็นการพัฒนา", "issue"), ISSUE_SHEET.title
            ):
                related(iri, issue, PLAN_NS.valueChainOf, both=False)
        elif row.sheet.key == "Indicator":
            what = ("ตัวชี้วัด", "indicator")
            for other in named(row, "Near duplicate of", indicators, what, INDICATOR.title):
                related(iri, other, PLAN_NS.nearDuplicateOf)
            for other in named(row, "Related indicators", indicators, what, INDICATOR.title):
                related(iri, other)
    assert {s.key for s in SHEETS} >= set(book.rows)
    return out
