"""Running the curated queries of ``queries/`` (see catalog.py): parameters from text, the query for this
deployment's base, the answer through the query service (checked, time-limited, cached).

The web views (/queries), the CLI (``planlink query``) and the alignment report all run curated queries
through here, so a figure in the report is, by construction, what the curated query returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from planlink.engine.service import Answer
from planlink.foundation.formats import Format
from planlink.foundation.text import either
from planlink.readmodels import catalog

if TYPE_CHECKING:
    from planlink.readmodels.catalog import CuratedQuery
    from planlink.readmodels.context import Context

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


@dataclass
class Table:
    """A SELECT answer: its variables and rows (a row holds one term or None per variable)."""

    query: CuratedQuery
    params: dict[str, Term]
    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    truncated: bool
    etag: str
    cached: bool

    def dicts(self) -> list[dict[str, Term]]:
        """Rows as {variable: term}, unbound variables left out."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]


def lookup(project: Context, name: str) -> CuratedQuery:
    """The curated query called ``name`` (NotFound, naming the known ones, otherwise)."""
    return catalog.get(project.catalog, name)


def bindings(project: Context, q: CuratedQuery, raw: dict[str, str]) -> dict[str, Term]:
    """Parameter values from text, checked against their types (BadRequest for a bad or unknown one)."""
    return q.bindings(raw, project.base)


def run(project: Context, name: str, raw: dict[str, str], fmt: Format) -> tuple[CuratedQuery, Answer]:
    """The answer to curated query ``name`` with parameters ``raw``, written in ``fmt`` (a results format)."""
    q = lookup(project, name)
    subs = bindings(project, q, raw)
    return q, project.query.run(q.text_for(project.base), fmt.name, fmt, substitutions=subs)


def table(project: Context, name: str, raw: dict[str, str] | None = None) -> Table:
    """The answer to curated query ``name`` as terms (for pages, reports and the command line). An ASK answer
    is one row with ``result``; a graph answer one row per triple (``subject``, ``predicate``, ``object``)."""
    q = lookup(project, name)
    subs = bindings(project, q, raw or {})
    answer = project.query.run(q.text_for(project.base), "rows", substitutions=subs)
    out = answer.outcome
    found: list[tuple[Term | None, ...]]
    if out.kind == "ask":
        variables, found = (
            ["result"],
            [(ox.Literal("true" if out.boolean else "false", datatype=XSD_BOOLEAN),)],
        )
    elif out.kind == "graph":
        variables, found = ["subject", "predicate", "object"], list(out.rows or [])
    else:
        variables, found = list(out.variables or []), list(out.rows or [])
    return Table(q, subs, variables, found, out.truncated, answer.etag, answer.cached)


def spreadsheet(
    project: Context, name: str, raw: dict[str, str], lang: str | None = None
) -> tuple[Table, bytes]:
    """The answer to curated query ``name`` as a spreadsheet whose header row names the columns in ``lang``
    (readmodels/column_names; by default the language the query is asked in, else Thai)."""
    from planlink.engine.answers import to_xlsx
    from planlink.readmodels.column_names import heading

    answered = table(project, name, raw)
    if lang is None:
        asked = next((p for p in answered.query.params if p.name == "lang"), None)
        lang = raw.get("lang") or (asked.default if asked else None) or "th"
    headings = [heading(v, lang) for v in answered.variables]
    return answered, to_xlsx(answered.variables, list(answered.rows), answered.truncated, headings)


def rows(project: Context, name: str, raw: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The answer to curated query ``name`` as a list of {variable: term}."""
    return table(project, name, raw).dicts()


def chart(project: Context, answered: Table, lang: str) -> dict[str, Any] | None:
    """What a curated query's page draws (static/charts.js): the answer as SPARQL JSON, with a name in ``lang``
    for the IRIs of the columns the ``# chart:`` header names, and those columns; None for a query without
    one, or an answer without rows."""
    q = answered.query
    if not q.chart or not answered.rows:
        return None
    import json

    from planlink.engine.answers import to_json
    from planlink.readmodels.pages import Pages

    label, value, series = q.chart
    answer = json.loads(to_json(answered.variables, list(answered.rows)))
    # IRI columns the chart names without a companion ?xLabel get one: the item's or term's name in ``lang``
    named = [
        c for c in [*label.split("+"), *([series] if series else [])] if c + "Label" not in answered.variables
    ]
    bindings = answer["results"]["bindings"]
    iris = sorted({b[c]["value"] for b in bindings for c in named if b.get(c, {}).get("type") == "uri"})
    if iris:
        names = Pages(project).names_of(iris, lang)
        for b in bindings:
            for c in named:
                if b.get(c, {}).get("type") == "uri":
                    b[c + "Label"] = {"type": "literal", "value": names[b[c]["value"]], "xml:lang": lang}
    if series and series + "Label" not in answered.variables:  # a row without a series value: its own colour
        none = {"type": "literal", "value": either(lang, "ไม่มี", "none"), "xml:lang": lang}
        for b in bindings:
            b.setdefault(series + "Label", none)
    return {"answer": answer, "label": label, "value": value, "series": series, "title": q.label(lang)}
