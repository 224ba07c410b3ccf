"""The dataset's self-description at /.well-known/void: VoID and DCAT, as Turtle (default), JSON-LD,
N-Triples or RDF/XML, and as a readable page for browsers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import NotFound
from planlink.foundation.namespaces import prefixes
from planlink.readmodels.metadata import Dump, Statistics, describe, serialize, uri_space
from planlink.web.http import conditional, current_project, host_url, page_lang

bp = Blueprint("void", __name__)

RDF_FORMATS = formats.RDF_DOCUMENT_FORMATS
OFFERED = (*RDF_FORMATS, formats.HTML)


def dumps() -> list[Dump]:
    dl = current_project().downloads
    return [Dump(d, host_url(f"/downloads/{d.path}"), len(dl.payload(d).body)) for d in dl.items]


@bp.get("/.well-known/void")
@bp.get("/.well-known/void.<suffix>")
def void(suffix: str | None = None) -> Response:
    p = current_project()
    if suffix:
        fmt = formats.by_suffix("." + suffix, OFFERED)
        if fmt is None:
            raise NotFound(
                f"no such document: the description is offered as {', '.join(f.suffix for f in OFFERED)}"
            )
    else:
        fmt = formats.negotiate(
            OFFERED, request.headers.get("Accept"), request.args.get("format"), default=RDF_FORMATS[0]
        )
    stats = current_project().describer.statistics()
    triples = describe(
        p.data, stats, request.url_root.rstrip("/"), dumps(), current_project().last_modified()
    )
    lang = page_lang()
    if fmt.name == "html":
        resp = Response(
            render_template("void.html", lang=lang, **_page(stats)), content_type=fmt.content_type
        )
        etag = f"void-{p.version[:16]}-html-{lang}"
    else:
        resp = Response(serialize(triples, fmt, p.base), content_type=fmt.content_type)
        etag = f"void-{p.version[:16]}-{fmt.name}"
    resp.headers["Link"] = ", ".join(
        f'</.well-known/void{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in OFFERED if f != fmt
    )
    resp.headers["Vary"] = "Accept, Accept-Language"
    resp.last_modified = current_project().last_modified()  # type: ignore[assignment]
    return conditional(resp, etag + "-" + request.host)


def _short(iri: str) -> str:
    for prefix, ns in prefixes(current_project().base).items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _page(stats: Statistics) -> dict[str, Any]:
    p = current_project()
    return {
        "stats": stats,
        "uri_space": uri_space(p.base),
        "sparql": host_url("/sparql"),
        "graphs": [(f.iri, f.name, p.data.triples_per_graph.get(f.iri, 0)) for f in p.data.files],
        "classes": [
            (c, _short(c), n) for c, n in sorted(stats.classes.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "properties": [
            (c, _short(c), n) for c, n in sorted(stats.properties.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "formats": [(f.suffix, f.media_type) for f in RDF_FORMATS],
    }


@bp.get("/.well-known/sparql-examples")
@bp.get("/.well-known/sparql-examples.<suffix>")
def sparql_examples(suffix: str | None = None) -> Response:
    """The curated queries as SPARQL examples (readmodels/examples.py): Turtle by default, or any RDF format by
    suffix, ?format= or Accept."""
    from planlink.readmodels.examples import examples

    p = current_project()
    if suffix:
        fmt = formats.by_suffix("." + suffix, RDF_FORMATS)
        if fmt is None:
            raise NotFound(
                "no such document: the SPARQL examples are offered as "
                + ", ".join(f.suffix for f in RDF_FORMATS)
            )
    else:
        fmt = formats.negotiate(
            RDF_FORMATS, request.headers.get("Accept"), request.args.get("format"), default=RDF_FORMATS[0]
        )
    triples = examples(p.catalog, p.base, request.url_root.rstrip("/"))
    resp = Response(serialize(triples, fmt, p.base), content_type=fmt.content_type)
    resp.headers["Vary"] = "Accept"
    return conditional(resp, f"examples-{p.version[:16]}-{fmt.name}-{request.host}")
