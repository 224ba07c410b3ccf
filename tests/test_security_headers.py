"""Security headers: pages load from this host only and no script runs inline; nothing is content-sniffed; no
Referer leaves with a full URL; CORS stays on the API (read-only routes) for any origin."""

from __future__ import annotations

import re

import pytest

PAGES = [
    "/",
    "/sparql",
    "/queries",
    "/queries/plan-items",
    "/reports/alignment",
    "/search?q=ท่องเที่ยว",
    "/downloads",
    "/def/plan",
    "/.well-known/void",
    "/doc/nakhon-sawan-2564/issue/1",
    "/doc/no-such-plan",
]


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("path", PAGES)
def test_every_page_says_where_it_may_load_from(client, path) -> None:
    resp = client.get(path, headers={"Accept": "text/html"})
    assert resp.status_code in (200, 404)
    csp = directives(resp.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # With script-src 'self', an inline script would not run: every executable script is a file of ours.
    html = resp.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", html)
    assert not inline, inline
    sources = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    assert all(s.startswith("/static/") for s in sources), sources


def test_the_api_keeps_cors_and_gets_the_same_headers(client) -> None:
    resp = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://elsewhere.example"})
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
