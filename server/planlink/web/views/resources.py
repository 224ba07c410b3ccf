"""Linked data: every IRI under the base dereferences, and people get pages.

- ``/id/{path}`` names a thing (a plan, an item, a province, an alignment record...). It answers
  ``303 See Other`` to ``/doc/{path}`` (suffix and query kept), the document about the thing.
- ``/doc/{path}`` is that document: HTML, Turtle, JSON-LD, N-Triples, RDF/XML, TriG or N-Quads by a suffix
  (``.ttl`` ...) or ``?format=`` (either wins over ``Accept``), else by ``Accept``; ``Content-Location`` names
  the form chosen, ``Link: rel="alternate"`` the others.
- ``/graph/{stem}`` names a named graph (one data file) and answers 200 with its contents (RDF) or a page
  about it (HTML).
- ``/`` is the home page.

A request for ``/id/x`` on any host is about ``{base}id/x``.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, NotFound
from planlink.foundation.text import pick_label
from planlink.readmodels.describe import (
    Description,
    IndexEntry,
    check_path,
    describe,
    graph_contents,
    resource_index,
    suggest,
)
from planlink.readmodels.pages import Pages
from planlink.readmodels.resource_page import PAGE_KINDS, graph_page, resource_page
from planlink.web.http import conditional, current_project, href, page_lang

bp = Blueprint("resources", __name__)

OFFERED = (formats.HTML, *formats.RESOURCE_FORMATS)


# -- routes ---------------------------------------------------------------------------------------------


@bp.get("/")
def home() -> Response:
    p = current_project()
    lang = page_lang()
    data = Pages(p).home(lang)
    html = render_template("home.html", lang=lang, home=data, href=href)
    return _page(html, f"home|{lang}")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it on every site; without it each page would log a 404 in the console."""
    resp = current_app.send_static_file("favicon.svg")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


@bp.get("/id/", defaults={"path": ""})
@bp.get("/id/<path:path>")
def thing(path: str) -> Response:
    """The IRI of a thing: 303 to the document about it (after checking the thing is known)."""
    _, stem, suffix_fmt = _resolve("id", path)
    _choose(suffix_fmt)  # an unservable Accept gets its 406 here rather than after the redirect
    target = "/doc/" + quote(stem, safe="/:@!$&'()*+,;=-._~") + (suffix_fmt.suffix if suffix_fmt else "")
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    resp = Response(status=303, headers={"Location": target})
    resp.headers["Vary"] = "Accept"
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.get("/doc/", defaults={"path": ""})
@bp.get("/doc/<path:path>")
def document(path: str) -> Response:
    desc, stem, suffix_fmt = _resolve("id", path)
    fmt = _choose(suffix_fmt)
    doc_path = "/doc/" + stem
    if fmt.name == "html":
        html = _render_resource(desc, stem)
        resp = _page(html, f"doc|{desc.iri}|{page_lang()}")
    else:
        p = current_project()
        body = desc.serialize(fmt, p.base + "doc/" + stem, _prefixes())
        resp = Response(body, content_type=fmt.content_type)
        if desc.truncated:
            resp.headers["Planlink-Truncated"] = "true; inbound statements cut"
        resp = conditional(resp, _etag("doc", desc.iri, fmt.name))
    _negotiation_headers(resp, doc_path, fmt, negotiated=suffix_fmt is None)
    return resp


@bp.get("/graph/", defaults={"path": ""})
@bp.get("/graph/<path:path>")
def named_graph(path: str) -> Response:
    """A named graph: its statements (RDF), or a page about it (HTML)."""
    p = current_project()
    decoded = check_path(path)
    stem, suffix_fmt = decoded, None
    known = set(p.data.graph_iris)
    if p.base + "graph/" + decoded not in known:
        for f in OFFERED:
            for sfx in f.suffixes:
                if decoded.endswith(sfx) and p.base + "graph/" + decoded[: -len(sfx)] in known:
                    stem, suffix_fmt = decoded[: -len(sfx)], f
        if suffix_fmt is None:
            raise _not_found("graph", decoded)
    iri = p.base + "graph/" + stem
    fmt = _choose(suffix_fmt)
    if fmt.name == "html":
        lang = page_lang()
        html = render_template(
            "graph.html",
            lang=lang,
            href=href,
            graph=graph_page(p, iri, stem, lang),
            rdf_links=_rdf_links("/graph/" + stem),
        )
        resp = _page(html, f"graph|{iri}|{lang}")
    else:
        contents = graph_contents(p.query, p.base, iri)
        body = contents.serialize(fmt, iri, _prefixes(), about=False)
        resp = Response(body, content_type=fmt.content_type)
        if contents.truncated:
            resp.headers["Planlink-Truncated"] = f"true; row-cap={p.settings.row_cap}; see /downloads"
        resp = conditional(resp, _etag("graph", iri, fmt.name))
    _negotiation_headers(resp, "/graph/" + stem, fmt, negotiated=suffix_fmt is None)
    return resp


# -- resolution and negotiation ---------------------------------------------------------------------------


def _resolve(area: str, path: str) -> tuple[Description, str, formats.Format | None]:
    """(description, path of the thing, format named by a suffix) for ``/{area}/{path}``; 400 when the path
    can never be an IRI of ours, 404 (with near matches) when the data says nothing about it."""
    p = current_project()
    decoded = check_path(path)
    desc = describe(p.query, p.base, p.base + area + "/" + decoded) if decoded else Description("")
    if desc.found:
        return desc, decoded, None
    for f in OFFERED:
        for sfx in f.suffixes:
            if decoded.endswith(sfx) and len(decoded) > len(sfx):
                stem = decoded[: -len(sfx)]
                d = describe(p.query, p.base, p.base + area + "/" + stem)
                if d.found:
                    return d, stem, f
    raise _not_found(area, decoded)


def _not_found(area: str, decoded: str) -> NotFound:
    p = current_project()
    wanted = f"{area}/{decoded}"
    entries = [
        e for e in resource_index(p.query, p.base) if e.iri[len(p.base) :].startswith(("id/", "graph/"))
    ]
    entries += [IndexEntry(iri) for iri in p.data.graph_iris]
    lang = page_lang()
    near = suggest(entries, p.base, wanted)
    suggestions = [
        {"iri": e.iri, "href": href(e.iri), "label": (pick_label(e.labels, lang) or e.iri[len(p.base) :])}
        for e in near
    ]
    return NotFound(f"nothing is known about {p.base}{wanted}", iri=p.base + wanted, suggestions=suggestions)


def _choose(suffix_fmt: formats.Format | None) -> formats.Format:
    explicit = request.args.get("format")
    if suffix_fmt is not None:
        if explicit and formats.negotiate(OFFERED, None, explicit) != suffix_fmt:
            raise BadRequest(
                f"the suffix {suffix_fmt.suffix} and format={explicit} ask for different formats; "
                f"give one of them"
            )
        return suffix_fmt
    return formats.negotiate(OFFERED, request.headers.get("Accept"), explicit, default=formats.HTML)


def _negotiation_headers(resp: Response, doc_path: str, fmt: formats.Format, negotiated: bool) -> None:
    quoted = quote(doc_path, safe="/:@!$&'()*+,;=-._~")
    links = [f'<{quoted}{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in OFFERED if f != fmt]
    resp.headers["Link"] = ", ".join(links)
    if negotiated:
        resp.headers["Content-Location"] = quoted + fmt.suffix
        resp.headers["Vary"] = "Accept, Accept-Language" if fmt.name == "html" else "Accept"
    elif fmt.name == "html":
        resp.headers["Vary"] = "Accept-Language"


def _etag(*parts: str) -> str:
    return hashlib.sha1("|".join((current_project().version, *parts)).encode()).hexdigest()[:24]


def _page(html: str, key: str) -> Response:
    """An HTML page; its ETag covers the language and the query string (links keep ?lang=, the language
    switch keeps every parameter)."""
    resp = Response(html, content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept-Language"
    return conditional(resp, _etag("page", key, request.query_string.decode("latin-1")))


def _prefixes() -> dict[str, str]:
    from planlink.foundation.namespaces import prefixes

    return {k: v for k, v in prefixes(current_project().base).items() if k not in ("id", "graph")}


def _rdf_links(doc_path: str) -> list[dict[str, str]]:
    quoted = quote(doc_path, safe="/:@!$&'()*+,;=-._~")
    return [
        {"name": f.name, "suffix": f.suffix, "media_type": f.media_type, "href": quoted + f.suffix}
        for f in formats.RESOURCE_FORMATS
    ]


# -- the resource page -------------------------------------------------------------------------------------


TEMPLATES = {kind: f"resource_{kind}.html" for kind in PAGE_KINDS} | {"resource": "resource.html"}


def _render_resource(desc: Description, stem: str) -> str:
    lang = page_lang()
    kind, ctx = resource_page(desc, Pages(current_project()), lang, href)
    return render_template(TEMPLATES[kind], lang=lang, href=href, rdf_links=_rdf_links("/doc/" + stem), **ctx)
