"""The curated queries on the web.

- ``/queries``: the list (HTML in Thai or English, or JSON), each query with its title, description, parameters
  and links to run it as HTML, CSV or JSON and to open it in the SPARQL page.
- ``/queries/<name>``: one query's answer as an HTML table with a parameter form, or in a SPARQL results
  format or as a spreadsheet (``.csv``, ``.json``, ``.tsv``, ``.xml``, ``.xlsx`` suffix, ``?format=``, or ``Accept``). Parameters are
  query-string values, checked by type, made into RDF terms and written into the query text as escaped SPARQL
  terms by the query service (an injection attempt stays one literal); an unknown parameter is a 400. ``lang``
  is the page language, and also the value of a query's ``lang`` parameter.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, NotAcceptable
from planlink.foundation.text import either
from planlink.readmodels import curated
from planlink.readmodels.catalog import CuratedQuery
from planlink.readmodels.column_names import heading
from planlink.readmodels.pages import Pages
from planlink.web.http import add_timing, conditional, current_project, href, page_lang

bp = Blueprint("queries", __name__)

LIST_OFFERED = formats.LISTING_FORMATS
RESULT_OFFERED = (formats.HTML, *formats.RESULT_FORMATS)
GRAPH_OFFERED = (formats.HTML, *formats.GRAPH_FORMATS)
RESERVED = ("format",)  # query-string names that are never parameters
XSD = "http://www.w3.org/2001/XMLSchema#"


# -- the list ------------------------------------------------------------------------------------------------


@bp.get("/queries")
@bp.get("/queries.<any(json, html):suffix>")
def listing(suffix: str | None = None) -> Response:
    fmt = formats.negotiate(LIST_OFFERED, request.headers.get("Accept"), suffix or request.args.get("format"))
    p = current_project()
    lang = page_lang()
    entries = [_entry(q, lang) for q in p.catalog.values()]
    if fmt.name == "json":
        resp = jsonify({"queries": entries})
    else:
        resp = Response(
            render_template("queries.html", lang=lang, queries=entries), content_type=fmt.content_type
        )
    resp.headers["Vary"] = "Accept, Accept-Language"
    key = f"queries-{p.version}-{fmt.name}-{lang}-{request.query_string.decode('latin-1')}"
    return conditional(resp, hashlib.sha1(key.encode()).hexdigest()[:24])


def _entry(q: CuratedQuery, lang: str, raw: dict[str, str] | None = None) -> dict[str, Any]:
    """A query's names and links; with ``raw`` (a request's parameter values), the links are those of that
    parameter set: its own address (every value written out, so the link means the same when a default
    changes), its files, and the SPARQL page with those values bound in the text."""
    p = current_project()
    defaults = {prm.name: prm.default for prm in q.params if prm.default is not None}
    if any(prm.name == "lang" for prm in q.params):
        defaults["lang"] = lang
    if raw is not None:
        defaults = q.values({**defaults, **raw})
    qs = "?" + urlencode(defaults) if defaults else ""
    text = q.runnable_text(p.base, raw)
    title = q.label(lang)
    if raw and text != q.runnable_text(p.base):  # another parameter set than the curated tab's: its own tab
        named = {prm.name: prm.default for prm in q.params}
        ids = p.base + "id/"  # an item's IRI is named by its path (the tab title stays short)
        title += (
            " ("
            + ", ".join(
                f"{k}={v[len(ids) :] if v.startswith(ids) else v}"
                for k, v in raw.items()
                if v and v != named.get(k)
            )
            + ")"
        )
    return {
        "name": q.name,
        "title": q.label(lang),
        "titles": q.title,
        "description": q.description.get(lang) or q.description.get("en", ""),
        "descriptions": q.description,
        "params": [
            {"name": prm.name, "type": prm.type, "default": prm.default, "description": prm.description}
            for prm in q.params
        ],
        "html": f"/queries/{q.name}{qs}",
        "csv": f"/queries/{q.name}.csv{qs}",
        "json": f"/queries/{q.name}.json{qs}",
        "xlsx": f"/queries/{q.name}.xlsx{qs}",
        "sparql": "/sparql#" + urlencode({"query": text, "tabTitle": title}, quote_via=quote),
        "link": f"/queries/{q.name}?" + urlencode({**defaults, "lang": defaults.get("lang", lang)}),
        "source": text,
    }


# -- one query -------------------------------------------------------------------------------------------------


@bp.get("/queries/<name>")
def run(name: str) -> Response:
    name, dot, suffix = name.partition(".")
    p = current_project()
    q = curated.lookup(p, name)
    offered = GRAPH_OFFERED if q.text and _returns_graph(q) else RESULT_OFFERED
    explicit = request.args.get("format")
    if dot:
        by_suffix = formats.by_suffix("." + suffix, offered)
        if by_suffix is None:
            raise NotAcceptable(
                f"no format with the suffix .{suffix} for a query; use one of "
                + ", ".join(s for f in offered for s in f.suffixes)
            )
        explicit = by_suffix.name
    fmt = formats.negotiate(offered, request.headers.get("Accept"), explicit)
    lang = page_lang()
    raw = _params(q, fmt, lang)
    if fmt.name != "html":
        if fmt.name == "xlsx":  # a SELECT answer whose header row names the columns in the page's language
            answered, body = curated.spreadsheet(p, name, raw, lang)
            _timing(answered.cached, None)
            truncated, etag = answered.truncated, f"{answered.etag}-xlsx-{lang}"
        else:
            _, answer = curated.run(p, name, raw, fmt)
            _timing(answer.cached, answer.outcome.seconds)
            body, truncated, etag = answer.body, answer.outcome.truncated, answer.etag + "-" + fmt.name
        resp = Response(body, content_type=fmt.content_type)
        if fmt.name == "csv":
            resp.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        elif fmt.name == "xlsx":
            resp.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        resp.headers["Vary"] = "Accept"
        if truncated:
            resp.headers["Planlink-Truncated"] = f"true; row-cap={p.settings.row_cap}"
        return conditional(resp, etag)
    table = curated.table(p, name, raw)
    _timing(table.cached, None)
    view = present(table, lang)
    html = render_template(
        "query.html",
        lang=lang,
        q=_entry(q, lang, raw),
        view=view,
        values=raw,
        table=table,
        links=_format_links(q.name, raw),
        chart=_chart(q, table, lang),
        param_headings={prm.name: heading(prm.name, lang) for prm in q.params},
    )
    resp = Response(html, content_type=fmt.content_type)
    resp.headers["Vary"] = "Accept, Accept-Language"
    if table.truncated:
        resp.headers["Planlink-Truncated"] = f"true; row-cap={p.settings.row_cap}"
    key = f"{table.etag}-html-{lang}-{request.query_string.decode('latin-1')}"
    return conditional(resp, hashlib.sha1(key.encode()).hexdigest()[:24])


def _chart(q: CuratedQuery, table: curated.Table, lang: str) -> dict[str, Any] | None:
    return curated.chart(current_project(), table, lang)


def _returns_graph(q: CuratedQuery) -> bool:
    from planlink.engine.sparqltext import read

    return read(q.text).returns_graph


def _timing(cached: bool, seconds: float | None) -> None:
    from flask import g

    g.cache = "hit" if cached else "miss"
    add_timing("query", 0.0 if cached else seconds, "cache hit" if cached else None)


def _params(q: CuratedQuery, fmt: formats.Format, lang: str) -> dict[str, str]:
    """The parameter values of the request. A query's ``lang`` parameter follows the page language on HTML
    pages when the request does not give it."""
    names = {prm.name for prm in q.params}
    raw: dict[str, str] = {}
    for key in request.args:
        if key in RESERVED or (key == "lang" and "lang" not in names):
            continue
        values = request.args.getlist(key)
        if len(values) > 1:
            raise BadRequest(f"the parameter {key!r} was given {len(values)} times; give it once", param=key)
        raw[key] = values[0]
    if "lang" in names and "lang" not in raw and fmt.name == "html":
        raw["lang"] = lang
    return raw  # unknown names and bad values are refused when they are bound (BadRequest, 400)


def _format_links(name: str, raw: dict[str, str]) -> list[dict[str, str]]:
    qs = ("?" + urlencode(raw)) if raw else ""
    return [{"name": n, "href": f"/queries/{name}.{n}{qs}"} for n in ("csv", "xlsx", "json", "tsv", "xml")]


# -- presenting an answer as a table -------------------------------------------------------------------------


def present(table: curated.Table, lang: str) -> dict[str, Any]:
    """Columns and cells for the HTML table. The parameters' columns (constant) are left out. An IRI column
    ``x`` takes its companions ``xLabel`` and ``xNotation`` into one cell that links to the item's page;
    vocabulary terms (plan:Goal, skos:closeMatch...) show their name in the page language."""
    pages = Pages(current_project())
    names = pages.term_labels()
    variables = table.variables
    params = set(table.params)
    folded = {
        v for v in variables for base in variables if v != base and v in (base + "Label", base + "Notation")
    }
    columns = [v for v in variables if v not in params and v not in folded]
    index = {v: i for i, v in enumerate(variables)}
    rows = []
    for row in table.rows:
        cells = []
        for v in columns:
            term = row[index[v]]
            label = row[index[v + "Label"]] if v + "Label" in index else None
            notation = row[index[v + "Notation"]] if v + "Notation" in index else None
            cells.append(_cell(term, label, notation, pages, names, lang))
        rows.append(cells)
    return {"columns": columns, "headings": [heading(c, lang) for c in columns], "rows": rows}


def _cell(
    term: Any, label: Any, notation: Any, pages: Pages, names: dict[str, dict[str, str]], lang: str
) -> dict[str, Any]:
    if term is None:
        return {"text": "", "empty": True}
    if isinstance(term, ox.NamedNode):
        iri = term.value
        text = label.value if isinstance(label, ox.Literal) else pages.term_name(iri, lang, names)
        return {
            "text": text,
            "notation": notation.value if isinstance(notation, ox.Literal) else None,
            "href": href(iri),
            "title": iri,
            "lang": label.language if isinstance(label, ox.Literal) else None,
        }
    if isinstance(term, ox.Literal):
        if term.datatype.value == XSD + "boolean":
            yes = term.value in ("true", "1")
            return {
                "text": either(lang, "ใช่" if yes else "ไม่ใช่", "yes" if yes else "no"),
                "boolean": yes,
            }
        numeric = term.datatype.value in (XSD + "integer", XSD + "decimal", XSD + "double")
        return {"text": term.value, "lang": term.language, "numeric": numeric}
    return {"text": str(term)}
