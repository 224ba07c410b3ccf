"""The HTTP helpers every view shares: the project being served, the page language, timing and access log,
conditional answers, cached page bodies, and error rendering in the format asked for.

Views import from here and from the layers below; nothing here imports a view.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from urllib.parse import quote, urlencode

from flask import Response, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from planlink.foundation import formats
from planlink.foundation.errors import Busy, PlanlinkError, UriTooLong
from planlink.foundation.text import either
from planlink.project import Project

log = logging.getLogger("planlink.access")

# Every answer: pages load scripts, styles and data from this host only (no third party, no inline script),
# may not be framed, and send no Referer elsewhere; no answer is content-sniffed. CORS stays on the API routes.
SECURITY_HEADERS = {
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",  # YASGUI and CodeMirror set style attributes
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def current_project() -> Project:
    return current_app.config["PLANLINK"]  # type: ignore[no-any-return]


def host_url(path: str) -> str:
    """``path`` on the host this request came to."""
    return request.url_root.rstrip("/") + path


def href(iri: str) -> str:
    """Where a page links for ``iri``: our own IRIs on this host (keeping ?lang= when the reader chose one),
    other IRIs as they are."""
    base = current_project().base
    if not iri.startswith(base):
        return iri if iri.startswith(("http://", "https://")) else ""  # never a javascript: or data: link
    rest, _, fragment = iri[len(base) :].partition("#")
    out = "/" + quote(rest, safe="/:@!$&'()*+,;=-._~")
    lang = request.args.get("lang")
    if lang in ("th", "en"):
        out += "?" + urlencode({"lang": lang})
    return out + ("#" + fragment if fragment else "")


# -- languages --------------------------------------------------------------------------------------------


def page_lang() -> str:
    """``?lang=th|en``, else the better of th/en in Accept-Language, else Thai."""
    lang = request.args.get("lang")
    if lang in ("th", "en"):
        return lang
    best = request.accept_languages.best_match(["th", "en"])
    return best or "th"


def translate(th: str, en: str) -> str:
    """The fixed phrase in the language of this request (``t`` in templates)."""
    return either(page_lang(), th, en)


# -- timing and logging -----------------------------------------------------------------------------------


def start_timer() -> None:
    g.started = time.perf_counter()
    g.timing = []


def check_url() -> None:
    """Refuse, in planlink's error shape, a URL longer than the cap (a long query goes by POST). The HTTP
    server lets lines through up to 1 MB so that this check, not its own bare 414 page, answers."""
    cap = current_project().settings.url_cap
    size = len(request.environ.get("RAW_URI") or request.full_path)
    if size > cap:
        raise UriTooLong(
            f"the request URL is {size} bytes, over the limit of {cap}: send a long query by POST "
            "(form field 'query', or the body with Content-Type: application/sparql-query)",
            limit=cap,
        )


def add_timing(name: str, seconds: float | None = None, desc: str | None = None) -> None:
    part = (
        name
        + (f";dur={seconds * 1000:.2f}" if seconds is not None else "")
        + (f';desc="{desc}"' if desc else "")
    )
    g.setdefault("timing", []).append(part)


def finish(resp: Response) -> Response:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    parts = [*g.get("timing", []), f"total;dur={elapsed * 1000:.2f}"]
    resp.headers["Server-Timing"] = ", ".join(parts)
    resp.headers.update(SECURITY_HEADERS)
    if current_project().settings.access_log:
        log.info(
            json.dumps(
                {
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "method": request.method,
                    "path": request.path,
                    "status": resp.status_code,
                    "bytes": resp.content_length,
                    "ms": round(elapsed * 1000, 2),
                    "cache": g.get("cache"),
                    "remote": request.remote_addr,
                    "ua": request.user_agent.string[:120] or None,
                    "error": g.get("error_code"),
                },
                ensure_ascii=False,
            )
        )
    return resp


def conditional(resp: Response, etag: str) -> Response:
    """Set the ETag and answer 304 when the client already holds this version."""
    resp.set_etag(etag)
    resp.headers.setdefault("Cache-Control", "public, max-age=60")
    return resp.make_conditional(request)  # type: ignore[return-value]


def cached_body(key: str, build: Callable[[], str | bytes]) -> bytes:
    """A rendered page or document, built once per data version and kept in the answer cache (bounded, and
    keyed by the data version through ``key``, which must include it)."""
    cache = current_project().query.cache
    body = cache.get(("page", key))
    if body is None:
        built = build()
        body = built.encode("utf-8") if isinstance(built, str) else built
        cache.put(("page", key), body, len(body))
        g.cache = "miss"
    else:
        g.cache = "hit"
    return body  # type: ignore[no-any-return]


# -- errors ---------------------------------------------------------------------------------------------


def error_response(exc: PlanlinkError) -> Response:
    g.error_code = exc.code
    body = exc.to_dict()
    try:
        fmt = formats.negotiate(formats.ERROR_FORMATS, request.headers.get("Accept"))
    except PlanlinkError:
        fmt = formats.ERROR_FORMATS[0]
    if fmt.name == "html":
        html = render_template("error.html", error=body, lang=page_lang())
        resp = Response(html, exc.status, content_type="text/html; charset=utf-8")
    elif fmt.name == "text":
        resp = Response(
            f"{exc.status} {exc.code}: {exc.message}\n", exc.status, content_type="text/plain; charset=utf-8"
        )
    else:
        resp = Response(
            json.dumps(body, ensure_ascii=False) + "\n",
            exc.status,
            content_type="application/json; charset=utf-8",
        )
    if isinstance(exc, Busy):
        resp.headers["Retry-After"] = str(exc.retry_after)
    if exc.status in (503,) and "Retry-After" not in resp.headers:
        resp.headers["Retry-After"] = "1"
    resp.headers["Vary"] = "Accept"
    return resp


def planlink_error(exc: PlanlinkError) -> Response:
    return error_response(exc)


_HTTP_CODES = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    err = PlanlinkError(exc.description or exc.name)
    err.status = status
    err.code = _HTTP_CODES.get(status, "http-error")
    if status == 413:
        err.message = (
            f"the request body is larger than the limit of {current_project().settings.body_cap} bytes"
        )
    resp = error_response(err)
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        resp.headers["Allow"] = ", ".join(exc.valid_methods)
    return resp


def unexpected_error(exc: Exception) -> Response:
    logging.getLogger("planlink").exception("unexpected error on %s %s", request.method, request.path)
    return error_response(PlanlinkError("internal error: the problem was logged on the server"))
