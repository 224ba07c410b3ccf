"""The alignment report at /reports/alignment?source=&target=&lang= (defaults: Nakhon Sawan FY2564 -> the Lower
Northern Cluster 1 plan): an HTML page in Thai or English, or the same content as Markdown (.md), CSV (.csv: one
row per link and per gap), JSON (.json) or a spreadsheet (.xlsx: one sheet per table), by suffix, ?format= or
Accept; the links as an SSSOM mapping table at /reports/alignment.sssom.tsv. The model is built in
readmodels/alignment/ from curated queries."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, NotAcceptable
from planlink.readmodels import alignment, review
from planlink.readmodels.alignment import to_csv, to_json, to_markdown, to_sssom, to_xlsx
from planlink.web.http import cached_body, conditional, current_project, href, page_lang

bp = Blueprint("reports", __name__)

OFFERED = formats.REPORT_FORMATS
KNOWN_ARGS = {"source", "target", "lang", "format"}


@bp.get("/reports/alignment")
@bp.get("/reports/alignment.<path:suffix>")
def alignment_report(suffix: str | None = None) -> Response:
    explicit = request.args.get("format")
    if suffix is not None:
        fmt_by_suffix = formats.by_suffix("." + suffix, OFFERED)
        if fmt_by_suffix is None:
            raise NotAcceptable(
                f"no report format with the suffix .{suffix}; use one of "
                + ", ".join(f.suffix for f in OFFERED)
            )
        explicit = fmt_by_suffix.name
    fmt = formats.negotiate(OFFERED, request.headers.get("Accept"), explicit)
    unknown = sorted(set(request.args) - KNOWN_ARGS)
    if unknown:
        raise BadRequest(
            f"unknown parameter(s) {', '.join(unknown)}; the report takes source, target and lang"
        )
    for name in ("source", "target"):
        if len(request.args.getlist(name)) > 1:
            raise BadRequest(f"the parameter {name!r} was given more than once", param=name)
    p = current_project()
    lang = page_lang()
    # The ETag depends only on the data version and the request: a client holding this version gets its 304
    # before anything is built.
    key = f"{p.version}|{fmt.name}|{lang}|{request.host}|{request.query_string!r}"
    etag = hashlib.sha1(key.encode()).hexdigest()[:24]
    if etag in request.if_none_match:
        early = Response(status=304)
        early.headers["Vary"] = "Accept, Accept-Language"
        return conditional(early, etag)
    body = cached_body(key, lambda: _render(fmt, lang))
    resp = Response(body, content_type=fmt.content_type)
    if fmt.name in ("csv", "sssom", "markdown"):
        resp.headers["Content-Disposition"] = f'inline; filename="alignment{fmt.suffix}"'
    elif fmt.name == "xlsx":
        resp.headers["Content-Disposition"] = 'attachment; filename="alignment.xlsx"'
    resp.headers["Vary"] = "Accept, Accept-Language"
    return conditional(resp, etag)


def _render(fmt: formats.Format, lang: str) -> str | bytes:
    p = current_project()
    report = review.report(p, request.args.get("source"), request.args.get("target"), lang)
    if fmt.name == "xlsx":
        return to_xlsx(report)
    if fmt.name == "html":
        body = render_template(
            "report.html",
            lang=lang,
            r=report,
            pic=alignment.picture(report),
            bars=alignment.coverage_bars(report),
            href=href,
            level_name=alignment.level_name,
            kind_name=alignment.kind_name,
            levels=alignment.LEVELS,
            kinds=alignment.COVERED_KINDS,
            level_keys=alignment.LEVEL_KEYS,
            downloads=_downloads(report, lang),
        )
    elif fmt.name == "markdown":
        body = to_markdown(report)
    elif fmt.name == "csv":
        body = to_csv(report)
    elif fmt.name == "sssom":
        body = to_sssom(report, p.base, _mapping_set_id(report, lang), p.version[:16])
    else:
        body = to_json(report)
    return body


def _query(report: alignment.Report, lang: str) -> str:
    return urlencode({"source": report.source.iri, "target": report.target.iri, "lang": lang})


def _mapping_set_id(report: alignment.Report, lang: str) -> str:
    return f"{current_project().base}reports/alignment.sssom.tsv?{_query(report, lang)}"


def _downloads(report: alignment.Report, lang: str) -> list[dict[str, str]]:
    qs = _query(report, lang)
    return [
        {"name": name, "href": f"/reports/alignment{suffix}?{qs}"}
        for name, suffix in (
            ("Markdown", ".md"),
            ("CSV", ".csv"),
            ("JSON", ".json"),
            ("SSSOM", ".sssom.tsv"),
            ("XLSX", ".xlsx"),
        )
    ]
