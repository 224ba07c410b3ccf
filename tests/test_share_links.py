"""Share links (issue 18): a curated query's page links to its own parameter set (every value written out) and
opens that parameter set in the SPARQL page with the values bound in the text; the text it carries answers what
the curated query answers. (The query page keeping its address up to date is tested in Chromium:
tests/browser/test_desk_browser.py.)"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from planlink.foundation.errors import BadRequest

LOWER_NORTH = "https://w3id.org/planlink/id/lower-north-1"
NAKHON_SAWAN = "https://w3id.org/planlink/id/nakhon-sawan-2564"


def links(html: str) -> tuple[str, str]:
    """The page's link to its parameter set, and its link to the SPARQL page."""
    share = re.search(r'<a href="([^"]+)" id="share-link"', html)
    sparql = re.search(r'<a href="([^"]+)" id="open-in-sparql"', html)
    assert share and sparql, "the page has both links"
    return unescape(share.group(1)), unescape(sparql.group(1))


def rows(answer: dict) -> list[dict]:
    return sorted(
        ({k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]),
        key=lambda r: sorted(r.items()),
    )


def test_a_parameter_set_has_its_own_link(client, project) -> None:
    page = client.get(
        "/queries/items-without-counterpart?"
        + urlencode({"plan": NAKHON_SAWAN, "other": LOWER_NORTH, "lang": "en"})
    )
    assert page.status_code == 200
    share, sparql = links(page.get_data(as_text=True))
    path, query = urlsplit(share).path, parse_qs(urlsplit(share).query)
    assert path == "/queries/items-without-counterpart"
    assert query == {"plan": [NAKHON_SAWAN], "other": [LOWER_NORTH], "lang": ["en"]}
    # the link gives the same answer as the page it was taken from
    again = client.get(share)
    assert again.status_code == 200 and links(again.get_data(as_text=True)) == (share, sparql)

    fragment = parse_qs(urlsplit(sparql).fragment)
    text, title = fragment["query"][0], fragment["tabTitle"][0]
    assert f"<{NAKHON_SAWAN}>" in text and f"<{LOWER_NORTH}>" in text
    assert (
        title
        == project.catalog["items-without-counterpart"].label("en")
        + " (plan=nakhon-sawan-2564, other=lower-north-1, lang=en)"
    )
    by_text = client.post("/sparql", data={"query": text, "format": "json"}).get_json()
    curated = client.get(
        "/queries/items-without-counterpart.json?"
        + urlencode({"plan": NAKHON_SAWAN, "other": LOWER_NORTH, "lang": "en"})
    ).get_json()
    assert rows(by_text) == rows(curated) and rows(curated)


def test_defaults_are_written_out_and_open_the_curated_tab(client, project) -> None:
    page = client.get("/queries/items-without-counterpart?lang=en")
    share, sparql = links(page.get_data(as_text=True))
    q = project.catalog["items-without-counterpart"]
    assert parse_qs(urlsplit(share).query) == {"plan": [LOWER_NORTH], "other": [NAKHON_SAWAN], "lang": ["en"]}
    fragment = parse_qs(urlsplit(sparql).fragment)
    # the same parameter set as the curated tab of the SPARQL page, except the language: its own tab
    assert fragment["tabTitle"][0] == q.label("en") + " (lang=en)"
    th = client.get("/queries/items-without-counterpart?lang=th")
    _, sparql_th = links(th.get_data(as_text=True))
    fragment = parse_qs(urlsplit(sparql_th).fragment)
    assert fragment["tabTitle"][0] == q.label("th") and fragment["query"][0] == q.runnable_text(project.base)


def test_runnable_text_refuses_what_the_query_refuses(project) -> None:
    q = project.catalog["items-without-counterpart"]
    with pytest.raises(BadRequest, match="planet"):
        q.runnable_text(project.base, {"planet": "x"})
    with pytest.raises(BadRequest, match="absolute IRI"):
        q.runnable_text(project.base, {"plan": "lower-north-1"})
    assert q.runnable_text(project.base, {}) == q.runnable_text(project.base)
