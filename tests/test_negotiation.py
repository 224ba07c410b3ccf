"""The content-negotiation contract of every route that negotiates, as one table driven by the formats table.

For each route and each format it offers: ``Accept: <its media type>`` answers in that format; no Accept and
``*/*`` answer in the route's default; a media type it does not offer is 406 (with the error in JSON); a suffix
and ``?format=`` win over a contrary Accept. The answer is parsed where that is cheap. A format added to a group
of ``foundation/formats.py`` is covered here without a change.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from planlink.foundation import formats
from planlink.foundation.formats import Format

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # without a suffix
    offered: tuple[Format, ...]
    default: Format
    query: str = ""  # the query string every request carries (without ?)
    suffixes: bool = True  # whether path + a format's suffix names that format
    format_param: bool = True  # whether ?format=<name> names a format
    status: int = 200

    def url(self, suffix: str = "", **params: str) -> str:
        qs = "&".join(p for p in (self.query, urlencode(params)) if p)
        return self.path + suffix + ("?" + qs if qs else "")


ROUTES = (
    Route(
        "sparql-results",
        "/sparql",
        formats.RESULT_FORMATS,
        formats.get("json"),
        urlencode({"query": SELECT}),
        suffixes=False,
    ),
    Route(
        "sparql-graph",
        "/sparql",
        formats.GRAPH_FORMATS,
        formats.get("turtle"),
        urlencode({"query": CONSTRUCT}),
        suffixes=False,
    ),
    # The service description; a browser asking for HTML gets the query page instead.
    Route(
        "sparql-description",
        "/sparql",
        (*formats.RDF_DOCUMENT_FORMATS, formats.HTML),
        formats.RDF_DOCUMENT_FORMATS[0],
        suffixes=False,
    ),
    Route(
        "doc",
        "/doc/nakhon-sawan-2564/issue/1",
        (formats.HTML, *formats.RESOURCE_FORMATS),
        formats.HTML,
    ),
    Route("graph", "/graph/anchors", (formats.HTML, *formats.RESOURCE_FORMATS), formats.HTML),
    Route(
        "def-plan",
        "/def/plan",
        (*formats.RDF_DOCUMENT_FORMATS, formats.HTML),
        formats.RDF_DOCUMENT_FORMATS[0],
    ),
    Route("def-shapes", "/def/shapes", formats.RDF_DOCUMENT_FORMATS, formats.RDF_DOCUMENT_FORMATS[0]),
    Route(
        "void",
        "/.well-known/void",
        (*formats.RDF_DOCUMENT_FORMATS, formats.HTML),
        formats.RDF_DOCUMENT_FORMATS[0],
    ),
    Route("queries", "/queries", formats.LISTING_FORMATS, formats.LISTING_FORMATS[0]),
    Route("query", "/queries/plan-items", (formats.HTML, *formats.RESULT_FORMATS), formats.HTML),
    Route("report", "/reports/alignment", formats.REPORT_FORMATS, formats.REPORT_FORMATS[0]),
    Route(
        "search", "/search", formats.LISTING_FORMATS, formats.LISTING_FORMATS[0], urlencode({"q": "HEAVEN"})
    ),
    Route("downloads", "/downloads", formats.LISTING_FORMATS, formats.LISTING_FORMATS[0]),
    # Error bodies: JSON unless the client prefers a page or plain text; never a 406 (formats are not offered to
    # choose from by suffix or parameter).
    Route(
        "error",
        "/doc/no-such-thing-here",
        formats.ERROR_FORMATS,
        formats.ERROR_FORMATS[0],
        suffixes=False,
        format_param=False,
        status=404,
    ),
)


def expected(route: Route, media_type: str) -> Format:
    """What the route answers for an Accept of exactly ``media_type``: the first offered format with it."""
    return next(f for f in route.offered if f.media_type == media_type)


def other_than(route: Route, fmt: Format) -> Format:
    """An offered format of another media type, to send as a contrary Accept."""
    return next(f for f in route.offered if f.media_type != fmt.media_type)


def check_answer(resp, fmt: Format, status: int = 200) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, (resp.status_code, resp.data[:300])
    assert resp.mimetype == fmt.media_type, (resp.content_type, fmt.name)
    if fmt.media_type.startswith("text/"):  # (JSON has no charset parameter: some views send one, some not)
        assert resp.mimetype_params.get("charset") == "utf-8", resp.content_type
    body: bytes = resp.data
    if isinstance(fmt.ox, ox.RdfFormat):
        list(ox.parse(body, format=fmt.ox))  # raises on a body that is not this format
    elif isinstance(fmt.ox, ox.QueryResultsFormat) and fmt.name != "csv":
        ox.parse_query_results(body, format=fmt.ox)
    elif fmt.name in ("csv", "sssom"):
        text = body.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt.name == "csv" else "\t"))
        assert rows and rows[0]
    elif fmt.media_type == "application/json":
        json.loads(body)
    elif fmt.name == "html":
        assert b"<html" in body[:500].lower()
    elif fmt.name == "xlsx":
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(body), read_only=True).sheetnames
    else:
        assert body.decode("utf-8").strip()


def _rows() -> list[tuple[Route, str, Format | None]]:
    rows: list[tuple[Route, str, Format | None]] = []
    for route in ROUTES:
        for f in route.offered:
            rows.append((route, f.media_type, expected(route, f.media_type)))
        rows.append((route, "", route.default))
        rows.append((route, "*/*", route.default))
        # q-values: the least preferred offered format loses to the most preferred
        first, last = route.offered[0], route.offered[-1]
        if first.media_type != last.media_type:
            rows.append(
                (route, f"{first.media_type};q=0.2, {last.media_type}", expected(route, last.media_type))
            )
        rows.append((route, "image/png", None))
    return rows


ACCEPT_TABLE = _rows()


@pytest.mark.parametrize(
    "route,accept,fmt",
    ACCEPT_TABLE,
    ids=[f"{r.name}-{a or 'none'}" for r, a, _ in ACCEPT_TABLE],
)
def test_accept_header(client, route: Route, accept: str, fmt: Format | None) -> None:
    resp = client.get(route.url(), headers={"Accept": accept} if accept else {})
    if fmt is None:
        if route.name == "error":  # an error is answered in JSON whatever Accept says
            check_answer(resp, formats.ERROR_FORMATS[0], route.status)
            return
        assert resp.status_code == 406, resp.data[:300]
        check_answer(resp, formats.ERROR_FORMATS[0], 406)
        assert json.loads(resp.data)["error"] == "not-acceptable"
        return
    if route.name == "sparql-description" and fmt.name == "html":
        # the YASGUI query page, not a description
        assert resp.status_code == 200 and resp.mimetype == "text/html"
        return
    check_answer(resp, fmt, route.status)
    assert "Accept" in resp.headers.get("Vary", ""), resp.headers.get("Vary")


SUFFIX_TABLE = [(r, f) for r in ROUTES if r.suffixes for f in r.offered]


@pytest.mark.parametrize("route,fmt", SUFFIX_TABLE, ids=[f"{r.name}{f.suffix}" for r, f in SUFFIX_TABLE])
def test_a_suffix_wins_over_accept(client, route: Route, fmt: Format) -> None:
    contrary = other_than(route, fmt)
    check_answer(
        client.get(route.url(fmt.suffix), headers={"Accept": contrary.media_type}), fmt, route.status
    )


# (?format= on /sparql asks for a description: the query page is for browsers, by Accept only.)
FORMAT_TABLE = [
    (r, f)
    for r in ROUTES
    if r.format_param
    for f in r.offered
    if not (r.name == "sparql-description" and f.name == "html")
]


@pytest.mark.parametrize(
    "route,fmt", FORMAT_TABLE, ids=[f"{r.name}-format={f.name}" for r, f in FORMAT_TABLE]
)
def test_the_format_parameter_wins_over_accept(client, route: Route, fmt: Format) -> None:
    contrary = other_than(route, fmt)
    resp = client.get(route.url(format=fmt.name), headers={"Accept": contrary.media_type})
    check_answer(resp, fmt, route.status)


def test_every_format_is_offered_somewhere() -> None:
    # A format in the table that no route offers would be dead weight, or a route this table misses.
    offered = {f for r in ROUTES for f in r.offered}
    assert set(formats.FORMATS) <= offered, sorted(f.name for f in set(formats.FORMATS) - offered)
