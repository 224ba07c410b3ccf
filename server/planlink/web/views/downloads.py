"""Downloads: /downloads lists them (HTML or JSON); /downloads/{file} serves the whole dataset (TriG, N-Quads,
JSON-LD), the union of the graphs (Turtle, N-Triples) and each named graph (/downloads/graph/{stem}.ttl, .nt,
.jsonld). Gzip on ``Accept-Encoding: gzip`` or with a ``.gz`` suffix; ETag, Last-Modified, 304, HEAD."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import NotFound
from planlink.readmodels.export import GZIP, Download
from planlink.web.http import conditional, current_project, host_url, page_lang

bp = Blueprint("downloads", __name__)

LISTING_FORMATS = formats.LISTING_FORMATS


def describe(item: Download) -> dict[str, Any]:
    """One download as the listing shows it (what, where, how big)."""
    p = current_project().downloads.payload(item)
    graph_name = item.graph.rsplit("/", 1)[-1] if item.graph else None
    return {
        "path": item.path,
        "url": host_url(f"/downloads/{item.path}"),
        "gzipUrl": host_url(f"/downloads/{item.path}.gz"),
        "format": item.format.name,
        "mediaType": item.format.media_type,
        "scope": item.scope,
        "graph": item.graph,
        "graphName": graph_name,
        "triples": p.triples,
        "bytes": len(p.body),
        "gzipBytes": len(p.gzipped),
    }


@bp.get("/downloads")
@bp.get("/downloads/")
@bp.get("/downloads.<any(json, html):suffix>")
def index(suffix: str | None = None) -> Response:
    lang = page_lang()
    fmt = formats.negotiate(
        LISTING_FORMATS, request.headers.get("Accept"), suffix or request.args.get("format")
    )
    items = [describe(d) for d in current_project().downloads.items]
    p = current_project()
    extra = {
        "void": host_url("/.well-known/void"),
        "ontology": host_url("/def/plan"),
        "shapes": host_url("/def/shapes"),
        "sparql": host_url("/sparql"),
    }
    if fmt.name == "json":
        resp = jsonify({"version": p.version, "triples": p.data.total_triples, "downloads": items, **extra})
    else:
        whole = [i for i in items if i["scope"] != "graph"]
        graphs: dict[str, list[dict[str, Any]]] = {}
        for i in items:
            if i["scope"] == "graph":
                graphs.setdefault(i["graphName"], []).append(i)
        resp = Response(
            render_template(
                "downloads.html",
                lang=lang,
                whole=whole,
                graphs=graphs,
                links=extra,
                total=p.data.total_triples,
            ),
            content_type="text/html; charset=utf-8",
        )
    resp.headers["Vary"] = "Accept, Accept-Language"
    return conditional(resp, f"dl-{p.version[:16]}-{fmt.name}-{lang}")


@bp.get("/downloads/<path:path>")
def download(path: str) -> Response:
    compressed_file = path.endswith(".gz")
    item = current_project().downloads.find(path[:-3] if compressed_file else path)
    if item is None:
        suggestions = [
            {"href": f"/downloads/{d.path}", "label": d.filename, "iri": d.graph or ""}
            for d in current_project().downloads.items
            if d.format.suffix == _suffix(path)
        ] or [{"href": "/downloads", "label": "/downloads", "iri": ""}]
        raise NotFound(f"no download named {path!r}; /downloads lists them all", suggestions=suggestions)
    payload = current_project().downloads.payload(item)
    if compressed_file:  # a .gz file: the client keeps it compressed
        resp = Response(payload.gzipped, content_type=GZIP)
        resp.headers["Content-Disposition"] = f'attachment; filename="{item.filename}.gz"'
        etag = payload.etag + "-gzfile"
    elif _accepts_gzip():
        resp = Response(payload.gzipped, content_type=item.format.content_type)
        resp.headers["Content-Encoding"] = "gzip"
        resp.headers["Content-Disposition"] = f'inline; filename="{item.filename}"'
        etag = payload.etag + "-gzip"
    else:
        resp = Response(payload.body, content_type=item.format.content_type)
        resp.headers["Content-Disposition"] = f'inline; filename="{item.filename}"'
        etag = payload.etag
    if not compressed_file:
        resp.headers["Vary"] = "Accept-Encoding"
    resp.last_modified = current_project().last_modified()  # type: ignore[assignment]
    resp = conditional(resp, etag)
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""
