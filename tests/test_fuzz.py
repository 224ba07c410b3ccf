"""Hostile input, generated: every request gets an answer below 500 in the error shape, none hangs past the
time limit, no body shows a stack trace or a file path, and the service answers ASK {} promptly afterwards.

The requests are made from fixed seeds (the same every run), against the real service (granian on loopback).
"""

from __future__ import annotations

import random
import re
from urllib.parse import quote

import pytest
import requests

SEED = 20261203
TIME_LIMIT = 3 + 5  # the live server's query time limit, plus the time to answer
LEAKS = re.compile(r"Traceback|File \"/|/work/|site-packages|\.py\b|/usr/lib|/root/|/home/")

THAI = "ท่องเที่ยวเกษตรนครสวรรค์ภาคเหนือตอนล่าง"
QUERY_PIECES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ",
    "ASK { FILTER(",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT -1",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY",
    'SELECT * WHERE { ?s ?p "\\u0000" }',
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x>",
    "DROP ALL",
    'SELECT * WHERE { ?s ?p ?o FILTER regex(?o, "(a+)+$") } LIMIT 5',
    "PREFIX : <javascript:alert(1)> SELECT * WHERE { ?s :p ?o }",
    "SELECT * WHERE { <../../../etc/passwd> ?p ?o }",
    "DESCRIBE <https://w3id.org/planlink/id/" + "x" * 8000 + ">",
    "SELECT * WHERE { ?s ?p '''" + THAI * 50 + "''' }",
    "SELECT * WHERE " + "{" * 400 + "}" * 400,
    "SELECT * WHERE { ?s ?p ?o } " + "ORDER BY ?o " * 200,
    "\x00\x01\x02",
    "SELECT * WHERE { ?s ?p ?o } #" + "\ud7ff" * 100,
]
SEARCH_TERMS = [
    'NEAR("a" "b")',
    "ท่องเที่ยว AND OR NOT",
    '"unbalanced',
    "*",
    "^x",
    "col:value",
    "(((((",
    "a" * 10_000,
    THAI * 400,
    "'; DROP TABLE items; --",
    "%00",
    "\x00",
    "{}[]()<>",
    "RCEP OR Digital",
]
PARAM_VALUES = [
    '"> } ; DROP ALL ; SELECT * { ?s ?p ?o',
    "<https://w3id.org/planlink/id/x> } UNION { ?s ?p ?o",
    "https://w3id.org/planlink/id/" + "a" * 8000,
    "nakhon-sawan-2564\x00",
    "../../etc/passwd",
    "javascript:alert(1)",
    "'''",
    'ท่องเที่ยว" . ?s ?p ?o . FILTER("',
    "",
    "-1",
    "1e999",
]
PATHS = [
    "/id/../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/id/nakhon-sawan-2564%00.ttl",
    "/doc/" + "a/" * 4000,
    "/graph/..%2Fsecret",
    "/downloads/../../pyproject.toml",
    "/static/../cli.py",
    "/static/%2e%2e/cli.py",
    "/def/plan.exe",
    "/queries/..%2F..%2Fetc",
    "/reports/alignment.sssom.tsv?source=%00",
    "/reports/alignment?source=" + "x" * 5000,
    "/search.json?q=a&page=-1",
    "/search.json?q=a&limit=99999999999999999999",
    "/search?q=a&page=1e9",
    "/doc/nakhon-sawan-2564?format=../../etc",
    "/id/%ff%fe",
    "/doc/nakhon-sawan-2564/issue/1.ttl.ttl",
]
HEADERS = [
    {"Accept": "*/*;q=abc"},
    {"Accept": "text/html;q=2, application/json;q=-1"},
    {"Accept": ","},
    {"Accept": "a" * 6000},
    {"Accept": "application/sparql-results+json; charset=\x7f"},
    {"Range": "bytes=999999999-"},
    {"Range": "bytes=-0"},
    {"Range": "lines=1-2"},
    {"If-None-Match": '"' + "x" * 5000},
    {"If-None-Match": "*"},
    {"If-Modified-Since": "yesterday"},
    {"Accept-Language": "th;q=nonsense, en;q=0.5"},
    {"Accept-Encoding": "gzip;q=0, identity;q=0"},
    {"Content-Type": "application/sparql-query; charset=utf-9"},
]
ROUTES = [
    "/sparql",
    "/",
    "/doc/nakhon-sawan-2564",
    "/queries/plan-items",
    "/reports/alignment",
    "/search?q=ท่องเที่ยว",
    "/downloads/planlink.ttl",
    "/def/plan",
    "/.well-known/void",
]


def generated() -> list[tuple[str, str, dict, dict | bytes | None]]:
    """(method, url path, headers, body): at least 200 requests, made from the lists above and mutations."""
    rnd = random.Random(SEED)
    out: list[tuple[str, str, dict, dict | bytes | None]] = []
    for q in QUERY_PIECES:
        out.append(("GET", "/sparql?query=" + quote(q, safe=""), {}, None))
        out.append(
            ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, q.encode("utf-8", "replace"))
        )
    for _ in range(60):  # mutations: a curated-looking query cut, doubled or spliced at random points
        a, b = rnd.sample(QUERY_PIECES, 2)
        cut = rnd.randrange(len(a) + 1)
        q = a[:cut] + b[rnd.randrange(len(b) + 1) :]
        out.append(("POST", "/sparql", {}, {"query": q}))
    for term in SEARCH_TERMS:
        out.append(("GET", "/search.json?q=" + quote(term, safe=""), {}, None))
        out.append(("GET", "/search?q=" + quote(term, safe=""), {"Accept": "text/html"}, None))
    for value in PARAM_VALUES:
        for name in ("plan-items", "items-containing-word", "cluster-of-province"):
            out.append(
                (
                    "GET",
                    f"/queries/{name}.json?"
                    + rnd.choice(["plan", "word", "province", "zzz"])
                    + "="
                    + quote(value, safe=""),
                    {},
                    None,
                )
            )
    for path in PATHS:
        out.append(("GET", path, {}, None))
    for header in HEADERS:
        for route in rnd.sample(ROUTES, 3):
            out.append(("GET", route + ("?query=ASK%7B%7D" if route == "/sparql" else ""), header, None))
    return out


REQUESTS = generated()


def test_there_are_at_least_200_generated_requests() -> None:
    assert len(REQUESTS) >= 200


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_requests_get_clear_4xx_answers(live_server, chunk) -> None:
    failures = []
    for method, path, headers, body in REQUESTS[chunk::4]:
        url = live_server.url + path
        try:
            if isinstance(body, dict):
                r = requests.request(method, url, data=body, headers=headers, timeout=TIME_LIMIT)
            else:
                r = requests.request(method, url, data=body, headers=headers, timeout=TIME_LIMIT)
        except requests.Timeout:
            failures.append(f"{method} {path[:80]}: no answer within {TIME_LIMIT} s")
            continue
        text = r.text
        if r.status_code >= 500 and not (r.status_code == 503 and r.json().get("error") == "timeout"):
            failures.append(f"{method} {path[:80]} {headers}: {r.status_code} {text[:200]}")
        if LEAKS.search(text) and not path.startswith(("/downloads", "/def", "/queries")):
            failures.append(f"{method} {path[:80]}: the body shows {LEAKS.search(text).group()!r}")
        if r.status_code >= 400 and "json" in r.headers.get("Content-Type", ""):
            err = r.json()
            if not {"error", "status", "message"} <= set(err):
                failures.append(f"{method} {path[:80]}: error not in the error shape: {text[:200]}")
    ask = requests.get(
        live_server.sparql, params={"query": "ASK {}"}, headers={"Accept": "application/json"}, timeout=5
    )
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert not failures, "\n".join(failures)
