"""Downloads: every file parses and holds exactly what the service holds; gzip; conditional requests; HEAD."""

from __future__ import annotations

import gzip
import os
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser

import pytest
import rdflib
import requests
from planlink.engine.store import fingerprint, iter_graph, load, to_rdflib_graph
from planlink.readmodels.export import Downloads, union_triples
from rdflib.compare import isomorphic

RDFLIB_FORMAT = {
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
}


@pytest.fixture(scope="module")
def listing(app):
    resp = app.test_client().get("/downloads", headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


@pytest.fixture(scope="module")
def held(project):
    """What the service holds: its files parsed again into memory by the one loader (the same data version).
    The test process does not scan an on-disk store: that would start RocksDB threads in a process that
    forks query evaluators."""
    data = load(project.data.files, project.base)
    assert fingerprint(project.data.files, project.base) == project.version
    return data


def held_graph(held, iri):
    return to_rdflib_graph(iter_graph(held.store, iri))


def local(url):
    return url.replace("http://localhost", "", 1)


def assert_holds(project, held, item, body):
    """``body`` (a download) parses, and is isomorphic to what the service holds (graph by graph)."""
    fmt = RDFLIB_FORMAT[item["mediaType"]]
    if item["scope"] == "dataset":
        ds = rdflib.Dataset()
        ds.parse(data=body, format=fmt)
        names = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert names == set(project.data.graph_iris)
        for iri in project.data.graph_iris:
            assert isomorphic(ds.graph(rdflib.URIRef(iri)), held_graph(held, iri)), iri
        return
    got = rdflib.Graph().parse(data=body, format=fmt)
    want = (
        to_rdflib_graph(union_triples(held)) if item["scope"] == "union" else held_graph(held, item["graph"])
    )
    assert len(got) == item["triples"]
    assert isomorphic(got, want), item["path"]


def test_the_listing_offers_the_dataset_the_union_and_every_graph(listing, project):
    items = listing["downloads"]
    assert {(i["format"], i["scope"]) for i in items if i["scope"] != "graph"} == {
        ("trig", "dataset"),
        ("nquads", "dataset"),
        ("jsonld", "dataset"),
        ("turtle", "union"),
        ("ntriples", "union"),
    }
    for iri in project.data.graph_iris:
        assert {i["format"] for i in items if i["graph"] == iri} == {"turtle", "ntriples", "jsonld"}
    assert listing["triples"] == project.data.total_triples


def test_every_download_parses_and_is_isomorphic_to_the_service(client, listing, project, held):
    for item in listing["downloads"]:
        resp = client.get(local(item["url"]))
        assert resp.status_code == 200, item["path"]
        assert resp.mimetype == item["mediaType"]
        assert int(resp.headers["Content-Length"]) == len(resp.data) == item["bytes"]
        assert_holds(project, held, item, resp.data)


def test_gzip_on_request_and_with_the_gz_suffix(client, listing):
    for item in listing["downloads"]:
        plain = client.get(local(item["url"]), headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
        zipped = client.get(local(item["url"]), headers={"Accept-Encoding": "gzip, deflate"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["Vary"]
        assert zipped.mimetype == item["mediaType"]
        assert int(zipped.headers["Content-Length"]) == len(zipped.data) == item["gzipBytes"]
        assert gzip.decompress(zipped.data) == plain.data
        assert zipped.headers["ETag"] != plain.headers["ETag"]
        gz_file = client.get(local(item["gzipUrl"]))
        assert gz_file.status_code == 200 and gz_file.mimetype == "application/gzip"
        assert "Content-Encoding" not in gz_file.headers
        assert gzip.decompress(gz_file.data) == plain.data


def test_conditional_requests_get_304(client):
    first = client.get("/downloads/planlink.trig")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/downloads/planlink.trig", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/downloads/planlink.trig", headers={"If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(days=1), usegmt=True)
    assert client.get("/downloads/planlink.trig", headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get("/downloads/planlink.trig", headers={"If-None-Match": '"other"'}).status_code == 200
    zipped = client.get("/downloads/planlink.trig", headers={"Accept-Encoding": "gzip"})
    again = client.get(
        "/downloads/planlink.trig",
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304
    assert (
        client.get("/downloads/planlink.trig", headers={"If-None-Match": zipped.headers["ETag"]}).status_code
        == 200
    )


def test_head_has_the_length_and_no_body(client, listing):
    for item in listing["downloads"][:8]:
        get = client.get(local(item["url"]))
        head = client.head(local(item["url"]))
        assert head.status_code == 200
        assert head.data == b""
        assert int(head.headers["Content-Length"]) == len(get.data)
        assert head.headers["ETag"] == get.headers["ETag"]


def test_an_unknown_download_is_404_with_suggestions(client):
    resp = client.get("/downloads/graph/nowhere.ttl", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    body = resp.get_json()
    assert body["error"] == "not-found"
    assert any(s["href"] == "/downloads/graph/areas.ttl" for s in body["suggestions"])


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_page_links_every_download(client, listing, lang):
    resp = client.get(f"/downloads?lang={lang}", headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    parser = Links()
    parser.feed(resp.get_data(as_text=True))
    for item in listing["downloads"]:
        assert item["url"] in parser.hrefs
    assert any(h.endswith("/.well-known/void") for h in parser.hrefs)


def test_serialising_starts_no_thread(project):
    before = len(os.listdir("/proc/self/task"))
    downloads = Downloads(project.data)
    for item in downloads.items:
        downloads.payload(item)
    assert len(os.listdir("/proc/self/task")) == before


def test_the_real_server_sends_gzip_and_304(live_server, project, held):
    url = live_server.url + "/downloads/planlink.ttl"
    resp = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    raw = resp.raw.read(decode_content=False)
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    assert int(resp.headers["Content-Length"]) == len(raw)
    body = gzip.decompress(raw)
    got = rdflib.Graph().parse(data=body, format="turtle")
    assert isomorphic(got, to_rdflib_graph(union_triples(held)))
    assert (
        requests.get(
            url, headers={"If-None-Match": resp.headers["ETag"], "Accept-Encoding": "gzip"}, timeout=30
        ).status_code
        == 304
    )
    head = requests.head(url, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(body) and not head.content
    nq = requests.get(live_server.url + "/downloads/planlink.nq.gz", timeout=30)
    assert nq.headers["Content-Type"] == "application/gzip"
    ds = rdflib.Dataset().parse(data=gzip.decompress(nq.content), format="nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == set(project.data.graph_iris)
