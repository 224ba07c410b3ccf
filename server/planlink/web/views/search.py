"""Search at /search?q=: HTML (Thai or English) for readers, JSON for machines (Accept: application/json,
/search.json or ?format=json). Paged with ?page= and ?limit=."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from planlink.foundation import formats
from planlink.foundation.errors import BadRequest
from planlink.readmodels.search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    highlight_pattern,
    present,
    warm_up,
)
from planlink.web.http import add_timing, conditional, current_project, page_lang

bp = Blueprint("search", __name__)

OFFERED = formats.LISTING_FORMATS
EXAMPLES = ("ท่องเที่ยว", "เกษตร", "โลจิสติกส์", "logistics", "HEAVEN", "ป่าไม้")


@bp.record_once
def _warm(state: Any) -> None:
    warm_up()  # in the process that builds the app (the server's main process), before its workers fork


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {value}")
    return value


@bp.get("/search")
@bp.get("/search.<any(json, html):suffix>")
def search(suffix: str | None = None) -> Response:
    fmt = formats.negotiate(OFFERED, request.headers.get("Accept"), suffix or request.args.get("format"))
    lang = page_lang()
    text = (request.args.get("q") or "").strip()
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    page = _int_arg("page", 1, 1, 10_000)
    p = current_project()
    if not text:
        if fmt.name == "json":
            raise BadRequest(
                "no search text: give it as ?q=, e.g. /search?q=ท่องเที่ยว", examples=list(EXAMPLES)
            )
        html = render_template(
            "search.html",
            lang=lang,
            q="",
            results=None,
            hits=[],
            examples=EXAMPLES,
            max_chars=MAX_QUERY_CHARS,
        )
        return conditional(
            Response(html, content_type=fmt.content_type), f"search-{p.version[:16]}-empty-{lang}"
        )
    started = time.perf_counter()
    results = current_project().search.search(
        text, limit, (page - 1) * limit
    )  # BadRequest when the text is too long
    add_timing("search", time.perf_counter() - started)
    pattern = highlight_pattern(results.terms)
    hits = [present(h, lang, pattern, p.base) for h in results.hits]
    if fmt.name == "json":
        body = {
            "query": text,
            "terms": [t.word for t in results.terms],
            "total": results.total,
            "page": page,
            "limit": limit,
            "allTerms": results.all_terms,
            "lang": lang,
            "hits": [
                {k: (str(v) if k.endswith("Html") and v is not None else v) for k, v in h.items()}
                for h in hits
            ],
        }
        resp = jsonify(body)
    else:
        resp = Response(
            render_template(
                "search.html",
                lang=lang,
                q=text,
                results=results,
                hits=hits,
                page=page,
                limit=limit,
                examples=EXAMPLES,
                max_chars=MAX_QUERY_CHARS,
            ),
            content_type=fmt.content_type,
        )
    resp.headers["Vary"] = "Accept, Accept-Language"
    asked = hashlib.sha1(f"{text}\0{limit}\0{page}".encode()).hexdigest()[:12]
    return conditional(resp, f"search-{p.version[:16]}-{fmt.name}-{lang}-{asked}")
