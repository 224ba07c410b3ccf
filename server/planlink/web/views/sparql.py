"""The SPARQL 1.1 Protocol at /sparql: query by GET, POST form and POST sparql-query; service description;
the query page (YASGUI) for browsers."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request
from werkzeug.urls import iri_to_uri

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, QueryRefused, UnsupportedMediaType
from planlink.readmodels import metadata
from planlink.web.http import add_timing, cached_body, conditional, current_project, page_lang

bp = Blueprint("sparql", __name__)

SD_FORMATS = formats.RDF_DOCUMENT_FORMATS


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the {name!r} parameter was given {len(values)} times; give it once")
    return values[0] if values else None


def _read_request() -> tuple[str | None, list[str], list[str], str | None]:
    """(query, default-graph-uri, named-graph-uri, format) from any of the three protocol forms."""
    args = request.args
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/x-www-form-urlencoded":
            form = request.form
            if "update" in form:
                raise QueryRefused("this endpoint is read-only: SPARQL updates are not accepted")
            query = _single(form.getlist("query") + args.getlist("query"), "query")
            return (
                query,
                form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                form.getlist("named-graph-uri") + args.getlist("named-graph-uri"),
                form.get("format") or args.get("format"),
            )
        if ctype == "application/sparql-query":
            if "query" in args:
                raise BadRequest(
                    "a POST with an application/sparql-query body must not also carry a 'query' parameter"
                )
            body = request.get_data(cache=False)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("the query body is not UTF-8") from None
            return (
                text,
                args.getlist("default-graph-uri"),
                args.getlist("named-graph-uri"),
                args.get("format"),
            )
        if ctype == "application/sparql-update":
            raise QueryRefused("this endpoint is read-only: SPARQL updates are not accepted")
        raise UnsupportedMediaType(
            f"a POST to /sparql must be application/x-www-form-urlencoded or application/sparql-query, "
            f"not {request.mimetype or 'a body with no Content-Type'}"
        )
    if "update" in args:
        raise QueryRefused("this endpoint is read-only: SPARQL updates are not accepted")
    return (
        _single(args.getlist("query"), "query"),
        args.getlist("default-graph-uri"),
        args.getlist("named-graph-uri"),
        args.get("format"),
    )


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    query, default_graphs, named_graphs, explicit = _read_request()
    accept = request.headers.get("Accept")
    if query is None:
        if request.method == "GET" and not explicit and _wants_html(accept):
            return Response(
                render_template("sparql.html", lang=page_lang()), content_type="text/html; charset=utf-8"
            )
        if request.method == "GET":
            return service_description(accept, explicit)
        raise BadRequest(
            "no 'query' given: send the SPARQL query in a 'query' parameter or as an "
            "application/sparql-query body"
        )
    p = current_project()
    qt = p.query.check(query)
    offered = formats.GRAPH_FORMATS if qt.returns_graph else formats.RESULT_FORMATS
    fmt = formats.negotiate(offered, accept, explicit)
    answer = p.query.run(query, fmt.name, fmt, default_graphs or None, named_graphs or None)
    g.cache = "hit" if answer.cached else "miss"
    add_timing(
        "query", answer.outcome.seconds if not answer.cached else 0.0, "cache hit" if answer.cached else None
    )
    resp = Response(answer.body, content_type=fmt.content_type)
    resp.headers["Vary"] = "Accept"
    if fmt.name == "xlsx":
        resp.headers["Content-Disposition"] = 'attachment; filename="answer.xlsx"'
    if answer.outcome.truncated:
        resp.headers["Planlink-Truncated"] = f"true; row-cap={p.settings.row_cap}"
    if answer.missing_graphs:
        # Answered over an empty graph in their place; the header says so, for a client that must tell a
        # graph that is absent from one that is empty. IRIs are sent as URIs (non-ASCII percent-encoded).
        resp.headers["Planlink-Graphs-Not-Found"] = ", ".join(
            f"<{iri_to_uri(g)}>" for g in answer.missing_graphs
        )
    return conditional(resp, answer.etag)


def _wants_html(accept: str | None) -> bool:
    if not accept:
        return False
    try:
        best = formats.negotiate((formats.HTML, *SD_FORMATS), accept, default=SD_FORMATS[0])
    except Exception:  # noqa: BLE001 - anything unservable is not a browser
        return False
    return best.name == "html" and "text/html" in accept


def service_description(accept: str | None, explicit: str | None) -> Response:
    p = current_project()
    fmt = formats.negotiate(SD_FORMATS, accept, explicit)
    from planlink.readmodels.examples import examples

    host = request.url_root.rstrip("/")
    # the curated queries listed as SPARQL examples of this endpoint (also at /.well-known/sparql-examples)
    triples = metadata.service_description(
        p.data, host, federated=bool(p.settings.service_allowlist)
    ) + examples(p.catalog, p.base, host)
    resp = Response(metadata.serialize(triples, fmt, p.base), content_type=fmt.content_type)
    resp.headers["Vary"] = "Accept"
    return conditional(resp, f"sd-{p.version[:16]}-{fmt.name}-{request.host}")


@bp.get("/sparql/completions")
def completions() -> Response:
    """What the query page's editor completes from: planlink's prefixes, and the classes and properties of its
    ontology and its VoID partitions (readmodels/completions.py). JSON; the same for every request of a data
    version."""
    import json

    from planlink.readmodels.completions import vocabulary

    p = current_project()
    key = f"completions-{p.version}"

    def build() -> bytes:
        vocab = vocabulary(p.query, p.describer.statistics(), p.base)
        return json.dumps(vocab.as_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    resp = Response(cached_body(key, build), content_type="application/json")
    return conditional(resp, key[:40])
