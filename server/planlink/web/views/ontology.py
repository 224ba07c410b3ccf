"""The vocabulary: /def/plan (the ontology; its terms /def/plan#Term are fragments of this one document) as
HTML documentation made by pyLODE for browsers, or Turtle, JSON-LD, N-Triples, RDF/XML; /def/shapes (the
SHACL shapes) as RDF. A suffix (.ttl, .jsonld, .nt, .rdf, .html) or ?format= wins over Accept."""

from __future__ import annotations

from flask import Blueprint, Response, request

from planlink.foundation import formats
from planlink.foundation.errors import NotFound
from planlink.web.http import conditional, current_project, page_lang

bp = Blueprint("ontology", __name__)

RDF_FORMATS = formats.RDF_DOCUMENT_FORMATS
ONTOLOGY_FORMATS = (*RDF_FORMATS, formats.HTML)


def _pick(offered: tuple[formats.Format, ...], suffix: str | None) -> formats.Format:
    explicit = request.args.get("format")
    if suffix:
        fmt = formats.by_suffix("." + suffix, offered)
        if fmt is None:
            raise NotFound(f"no such document: this one is offered as {', '.join(f.suffix for f in offered)}")
        return fmt
    return formats.negotiate(offered, request.headers.get("Accept"), explicit, default=offered[0])


def _alternates(path: str, offered: tuple[formats.Format, ...], chosen: formats.Format) -> str:
    return ", ".join(
        f'<{path}{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in offered if f != chosen
    )


@bp.get("/def/plan")
@bp.get("/def/plan.<suffix>")
def plan(suffix: str | None = None) -> Response:
    fmt = _pick(ONTOLOGY_FORMATS, suffix)
    docs = current_project().ontology_docs
    lang = page_lang()
    if fmt.name == "html":
        resp = Response(docs.html(lang), content_type=fmt.content_type)
        resp.headers["Content-Language"] = lang
        etag = f"def-{docs.version[:16]}-html-{lang}"
    else:
        resp = Response(docs.rdf(fmt), content_type=fmt.content_type)
        etag = f"def-{docs.version[:16]}-{fmt.name}"
    resp.headers["Link"] = _alternates("/def/plan", ONTOLOGY_FORMATS, fmt)
    resp.headers["Vary"] = "Accept, Accept-Language" if not suffix else "Accept-Language"
    return conditional(resp, etag)


@bp.get("/def/shapes")
@bp.get("/def/shapes.<suffix>")
def shapes_doc(suffix: str | None = None) -> Response:
    fmt = _pick(RDF_FORMATS, suffix)
    held = current_project().shapes_docs
    if not held.files:
        raise NotFound("this deployment holds no SHACL shapes (shapes/*.ttl)")
    resp = Response(held.rdf(fmt), content_type=fmt.content_type)
    resp.headers["Link"] = _alternates("/def/shapes", RDF_FORMATS, fmt)
    if not suffix:
        resp.headers["Vary"] = "Accept"
    return conditional(resp, f"shapes-{held.version[:16]}-{fmt.name}")
