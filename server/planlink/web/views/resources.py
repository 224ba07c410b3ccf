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
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, NotFound
from planlink.foundation.namespaces import ITEM_KINDS
from planlink.foundation.text import other_lang, pick, pick_label
from planlink.readmodels.describe import (
    Description,
    IndexEntry,
    check_path,
    describe,
    graph_contents,
    resource_index,
    suggest,
)
from planlink.readmodels.pages import PROPERTY_ORDER, Pages
from planlink.web.http import conditional, current_project, href, page_lang

bp = Blueprint("resources", __name__)

OFFERED = (formats.HTML, *formats.RESOURCE_FORMATS)
PLAN = "def/plan#"
# Plan sections in the order the plans state them: (property, class named in the heading).
PLAN_SECTIONS = (
    ("plan:hasDevelopmentTarget", "DevelopmentTarget"),
    ("plan:hasMission", "Mission"),
    ("plan:hasPlanIndicator", "Indicator"),
    ("plan:hasIssue", "DevelopmentIssue"),
    ("plan:hasValueChainElement", "ValueChainElement"),
    ("plan:hasKeySuccessFactor", "KeySuccessFactor"),
)
ISSUE_SECTIONS = (
    ("plan:hasObjective", "Objective"),
    ("plan:hasGoal", "Goal"),
    ("plan:hasIndicator", "Indicator"),
    ("plan:hasGuideline", "Guideline"),
)


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
        gf = next(f for f in p.data.files if f.iri == iri)
        subjects = Pages(p).graph_subjects(iri, lang)
        html = render_template(
            "graph.html",
            lang=lang,
            href=href,
            graph={
                "iri": iri,
                "name": stem,
                "file": f"{gf.path.parent.name}/{gf.path.name}",
                "role": gf.role,
                "triples": p.data.triples_per_graph.get(iri, 0),
                "subjects": subjects,
            },
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


# -- links ------------------------------------------------------------------------------------------------


# -- the resource page -------------------------------------------------------------------------------------


def _render_resource(desc: Description, stem: str) -> str:
    p = current_project()
    lang = page_lang()
    pages = Pages(p)
    labels = pages.term_labels()
    types = desc.types()
    local_types = {t[len(p.base + PLAN) :] for t in types if t.startswith(p.base + PLAN)}
    view = _view(desc, pages, labels, lang)
    ctx: dict[str, Any] = {"lang": lang, "href": href, "r": view, "rdf_links": _rdf_links("/doc/" + stem)}
    if local_types & {"ClusterPlan", "ProvincialPlan"}:
        tree = pages.plan_tree(desc.iri, lang)
        ctx["sections"] = [
            {
                "key": rel,
                "items": tree["plan"].get(rel, []),
                "name": pages.term_name(p.base + PLAN + cls, lang, labels)
                if rel != "plan:hasPlanIndicator"
                else pick(lang, "ตัวชี้วัดความสำเร็จระดับแผน", "plan-level indicators"),
            }
            for rel, cls in PLAN_SECTIONS
        ]
        ctx["issue_sections"] = [
            (rel, pages.term_name(p.base + PLAN + cls, lang, labels)) for rel, cls in ISSUE_SECTIONS
        ]
        ctx["issues"] = tree["issues"]
        ctx["collapse_props"] = True  # the tree shows them; the full list stays one click away
        template = "resource_plan.html"
    elif local_types & set(ITEM_KINDS):
        ctx["alignments"] = pages.alignments(desc.iri, lang)
        ctx["anchors"] = pages.anchors(desc.iri, lang)
        ctx["breadcrumb"] = _breadcrumb(desc, lang)
        ctx["sources"] = [{"text": str(v.value)} for v in desc.values(desc.iri, p.base + PLAN + "sourceText")]
        template = "resource_item.html"
    elif local_types & {"Province", "ProvincialCluster"}:
        ctx["plans"] = pages.area_plans(desc.iri, lang)
        template = "resource_area.html"
    elif local_types & {"AlignmentRecord", "NoCounterpartRecord"}:
        ctx["record"] = _record(desc, pages, labels, lang)
        ctx["record_plans"] = pages.record_plans(desc.iri, lang)
        template = "resource_alignment.html"
    elif "ReferenceFramework" in local_types:
        ctx["goals"] = pages.contributors(lang, scheme=desc.iri)
        template = "resource_scheme.html"
    elif "ReferenceGoal" in local_types:
        ctx["goals"] = pages.contributors(lang, goal=desc.iri)
        template = "resource_goal.html"
    else:
        template = "resource.html"
    return render_template(template, **ctx)


def _view(desc: Description, pages: Pages, labels: dict[str, dict[str, str]], lang: str) -> dict[str, Any]:
    """The parts every resource page shows: names, properties (with graphs), inbound links."""
    iri = desc.iri
    other = other_lang(lang)
    props: dict[str, dict[str, Any]] = {}
    for q in desc.outgoing():
        pred = q.predicate.value
        e = props.setdefault(
            pred,
            {
                "iri": pred,
                "curie": pages.curie(pred),
                "name": pages.term_name(pred, lang, labels),
                "vals": {},
            },
        )
        e["vals"].setdefault(q.object, set()).add(_stem(str(getattr(q.graph_name, "value", ""))))
    order = {c: i for i, c in enumerate(PROPERTY_ORDER)}
    properties = []
    for e in sorted(props.values(), key=lambda e: (order.get(e["curie"], len(order)), e["name"])):
        vals = [dict(_term(t, desc, pages, labels, lang), graphs=sorted(gs)) for t, gs in e["vals"].items()]
        vals.sort(key=lambda v: (v.get("lang") not in (lang, None), v.get("lang") or "", v["sort"]))
        properties.append({**e, "vals": vals})
    inbound: dict[str, dict[str, Any]] = {}
    for q in desc.inbound():
        pred = q.predicate.value
        e = inbound.setdefault(
            pred,
            {
                "iri": pred,
                "curie": pages.curie(pred),
                "name": pages.term_name(pred, lang, labels),
                "subjects": {},
            },
        )
        e["subjects"].setdefault(q.subject, _term(q.subject, desc, pages, labels, lang))
    inbound_list = [
        {**e, "subjects": sorted(e["subjects"].values(), key=lambda v: v["sort"])}
        for e in sorted(inbound.values(), key=lambda e: e["name"])
    ]
    return {
        "iri": iri,
        "path": iri[len(pages.base) :],
        "label": desc.label(iri, lang) or iri[len(pages.base) :],
        "other_label": desc.exact_label(iri, other),
        "notations": desc.notations(iri),
        "types": [
            {"iri": t, "name": pages.term_name(t, lang, labels), "href": href(t)} for t in desc.types()
        ],
        "properties": properties,
        "inbound": inbound_list,
        "truncated": desc.truncated,
        "graphs": [{"iri": g, "name": _stem(g), "href": href(g)} for g in desc.graphs()],
        "text": lambda pred: _in_lang(desc, iri, pages.base + PLAN + pred if ":" not in pred else pred, lang),
    }


def _in_lang(desc: Description, iri: str, pred: str, lang: str) -> str | None:
    vals = [v for v in desc.values(iri, pred) if isinstance(v, ox.Literal)]
    th = next((str(v.value) for v in vals if v.language == "th"), None)
    en = next((str(v.value) for v in vals if v.language == "en"), None)
    plain = next((str(v.value) for v in vals if not v.language), None)
    return pick(lang, th, en) or plain


def _term(
    t: Any, desc: Description, pages: Pages, labels: dict[str, dict[str, str]], lang: str
) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        label = desc.label(t.value, lang) or (
            pages.term_name(t.value, lang, labels) if t.value in labels else None
        )
        ours = t.value.startswith(pages.base)
        return {
            "kind": "iri",
            "iri": t.value,
            "href": href(t.value),
            "label": label,
            "notations": desc.notations(t.value),
            "external": not ours,
            "display": label or pages.curie(t.value),
            "sort": _sort_key(t.value),
        }
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        plain = dt in (
            "http://www.w3.org/2001/XMLSchema#string",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
        )
        return {
            "kind": "literal",
            "value": str(t.value),
            "lang": t.language,
            "datatype": None if plain else pages.curie(dt),
            "sort": str(t.value),
        }
    return {"kind": "bnode", "value": "_:" + str(t.value), "sort": str(t.value)}


def _sort_key(iri: str) -> str:
    import re

    return re.sub(r"\d+", lambda m: m.group().zfill(6), iri)


def _stem(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def _breadcrumb(desc: Description, lang: str) -> list[dict[str, Any]]:
    """plan › issue › (this item): from plan:inPlan and skos:broader."""
    base = current_project().base
    crumbs: list[dict[str, Any]] = []
    plan = desc.first(desc.iri, base + PLAN + "inPlan")
    if isinstance(plan, ox.NamedNode):
        crumbs.append({"iri": plan.value, "href": href(plan.value), "label": desc.label(plan.value, lang)})
    for parent in desc.values(desc.iri, "http://www.w3.org/2004/02/skos/core#broader"):
        if isinstance(parent, ox.NamedNode):
            crumbs.append(
                {
                    "iri": parent.value,
                    "href": href(parent.value),
                    "label": desc.label(parent.value, lang),
                    "notations": desc.notations(parent.value),
                    "issue": True,
                }
            )
    return crumbs


def _record(desc: Description, pages: Pages, labels: dict[str, dict[str, str]], lang: str) -> dict[str, Any]:
    base = pages.base

    def one(pred: str) -> dict[str, Any] | None:
        v = desc.first(desc.iri, pred if pred.startswith("http") else base + PLAN + pred)
        return None if v is None else _term(v, desc, pages, labels, lang)

    level = desc.first(desc.iri, base + PLAN + "level")
    other = other_lang(lang)
    rationale = {
        lg: next(
            (
                str(v.value)
                for v in desc.values(desc.iri, base + PLAN + "rationale")
                if isinstance(v, ox.Literal) and v.language == lg
            ),
            None,
        )
        for lg in ("th", "en")
    }
    return {
        "gap": any(t.endswith("NoCounterpartRecord") for t in desc.types()),
        "subject": one("alignmentSubject"),
        "object": one("alignmentObject"),
        "target_plan": one("targetPlan"),
        "relation": one("mappingRelation"),
        "level": one("level"),
        "level_key": level.value.rsplit("#", 1)[-1].lower() if isinstance(level, ox.NamedNode) else None,
        "method": one("method"),
        "status": one("status"),
        "score": one("score"),
        "created": one("http://purl.org/dc/terms/created"),
        "attributed": one("http://www.w3.org/ns/prov#wasAttributedTo"),
        "rationale": rationale.get(lang) or rationale.get(other),
        "rationale_other": rationale.get(other) if rationale.get(lang) else None,
    }
