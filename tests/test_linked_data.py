"""Linked data: every IRI of ours dereferences (303 from /id to /doc), in every RDF format, with the resource's
own statements; pages render in Thai and English; negotiation, 404 with near matches, 400, 406, 304."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
import requests
from planlink.engine.store import iter_graph, to_rdflib_dataset, to_rdflib_term
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as DEFAULT_GRAPH
from rdflib.namespace import FOAF, PROV, RDF, SKOS

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/planlink/"
PLAN = rdflib.Namespace(BASE + "def/plan#")
RDF_FORMATS = {  # format name -> (suffix, media type, rdflib parser)
    "turtle": (".ttl", "text/turtle", "turtle"),
    "jsonld": (".jsonld", "application/ld+json", "json-ld"),
    "ntriples": (".nt", "application/n-triples", "nt"),
    "rdfxml": (".rdf", "application/rdf+xml", "xml"),
}
DATASET_FORMATS = {
    "trig": (".trig", "application/trig", "trig"),
    "nquads": (".nq", "application/n-quads", "nquads"),
}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


# -- what the store holds ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(project) -> rdflib.Dataset:
    return to_rdflib_dataset(project.data)


@pytest.fixture(scope="module")
def union(project) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in project.data.files:
        for t in iter_graph(project.data.store, f.iri):
            g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return g


@pytest.fixture(scope="module")
def resources(union) -> list[str]:
    """Every IRI under the base that is a subject in the union graph, outside /def/ (the ontology's terms
    dereference to /def/plan, the ontology document; see test_ontology_terms_dereference)."""
    subjects = {str(s) for s in union.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(BASE)}
    found = sorted(s for s in subjects if s.startswith(BASE + "id/"))
    assert len(found) > 200 and len(subjects - set(found)) == len({s for s in subjects if "/def/" in s})
    return found


def local(iri: str) -> str:
    return "/" + iri[len(BASE) :]


def doc(iri: str) -> str:
    return "/doc/" + iri[len(BASE + "id/") :]


def own(union: rdflib.Graph, iri: str) -> set:
    return set(union.triples((rdflib.URIRef(iri), None, None)))


# -- every resource, every format --------------------------------------------------------------------------


def store_quads(dataset: rdflib.Dataset) -> set:
    return {
        (s, p, o, g.identifier if hasattr(g, "identifier") else g)
        for s, p, o, g in dataset.quads((None, None, None, None))
    }


def named_quads(body: bytes, parser: str) -> tuple[set, rdflib.Dataset]:
    got = rdflib.Dataset()
    got.parse(data=body, format=parser)
    quads = {
        (s, p, o, g)
        for s, p, o, g in got.quads((None, None, None, None))
        if g is not None and g != DEFAULT_GRAPH
    }
    return quads, got


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_every_resource_dereferences_in_every_rdf_format(client, union, dataset, resources, name):
    suffix, media_type, parser = RDF_FORMATS[name]
    quads = store_quads(dataset)
    missing: dict[str, int] = {}
    for iri in resources:
        resp = client.get(doc(iri) + suffix)
        assert resp.status_code == 200, (iri, resp.status_code, resp.data[:300])
        assert resp.mimetype == media_type
        got = rdflib.Graph().parse(data=resp.data, format=parser)
        lost = own(union, iri) - set(got)
        if lost:
            missing[iri] = len(lost)
        # The document says what it is about and which named graphs its statements come from.
        document = rdflib.URIRef(BASE + "doc/" + iri[len(BASE + "id/") :])
        assert (document, FOAF.primaryTopic, rdflib.URIRef(iri)) in got
        graphs = {g for s, _, _, g in quads if s == rdflib.URIRef(iri)}
        assert graphs <= set(got.objects(document, PROV.wasDerivedFrom)), iri
    assert not missing, f"statements of these resources missing from their {name} description: {missing}"


@pytest.mark.parametrize("name", sorted(DATASET_FORMATS))
def test_every_statement_is_traceable_to_its_named_graph(client, dataset, resources, name):
    """TriG and N-Quads keep each statement in the named graph (data file) it comes from: every quad served is
    a quad of the store, and each resource's own statements are all there, each in its graph."""
    suffix, media_type, parser = DATASET_FORMATS[name]
    quads = store_quads(dataset)
    wrong, missing = {}, {}
    for iri in resources:
        resp = client.get(doc(iri) + suffix)
        assert resp.status_code == 200 and resp.mimetype == media_type, iri
        named, _ = named_quads(resp.data, parser)
        expected = {q for q in quads if q[0] == rdflib.URIRef(iri)}
        if named - quads:
            wrong[iri] = len(named - quads)
        if expected - named:
            missing[iri] = len(expected - named)
    assert not missing and not wrong


def test_the_document_names_the_graphs_it_draws_on(client, dataset):
    for path in (
        "/doc/lower-north-1.trig",
        "/doc/nakhon-sawan-2564/issue/1.trig",
        "/doc/area/nakhon-sawan.nq",
        "/doc/alignment/nakhon-sawan-2564--lower-north-1/1.trig",
    ):
        served, got = named_quads(client.get(path).data, "trig" if path.endswith("trig") else "nquads")
        assert served and served <= store_quads(dataset), path
        # The default graph holds the statements about the document, which name every graph used.
        default = got.graph(DEFAULT_GRAPH)
        derived = set(default.objects(None, PROV.wasDerivedFrom))
        assert derived == {g for _, _, _, g in served}, path


def test_description_holds_inbound_links_and_labels_of_what_it_points_to(client, union):
    issue = rdflib.URIRef(BASE + "id/nakhon-sawan-2564/issue/1")
    got = rdflib.Graph().parse(data=client.get(doc(str(issue)) + ".ttl").data, format="turtle")
    # inbound: the plan lists the issue, the guidelines point up to it, anchors and alignment records exist
    for s, p in union.subject_predicates(issue):
        assert (s, p, issue) in got
    # labels of every IRI it points to (items, SDGs, plan, classes)
    for o in union.objects(issue, None):
        if isinstance(o, rdflib.URIRef):
            for pred in (SKOS.prefLabel, rdflib.RDFS.label):
                for label in union.objects(o, pred):
                    assert (o, pred, label) in got, (o, label)
    sdg8 = rdflib.URIRef("http://metadata.un.org/sdg/8")
    assert (issue, PLAN.contributesTo, sdg8) in got
    assert got.value(sdg8, SKOS.prefLabel) is not None


def test_ontology_terms_dereference(client, union):
    """The ontology's terms ({base}def/plan#Term) dereference to the ontology document /def/plan (served by
    views/ontology.py), which holds each term's statements."""
    resp = client.get("/def/plan", headers={"Accept": "text/turtle"})
    if resp.status_code == 404:
        pytest.skip("/def/plan is not registered in this checkout (views/ontology.py, issue 5 part 3)")
    got = rdflib.Graph().parse(data=resp.data, format="turtle")
    terms = {s for s in union.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(BASE + "def/")}
    assert len(terms) > 60
    missing = {t for t in terms if not own(union, str(t)) <= set(got)}
    assert not missing


# -- 303 and negotiation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted({**RDF_FORMATS, **DATASET_FORMATS}))
def test_thing_iri_303_to_document_and_accept_decides(client, union, name):
    suffix, media_type, parser = {**RDF_FORMATS, **DATASET_FORMATS}[name]
    iri = BASE + "id/nakhon-sawan-2564/issue/1/guideline/3"
    first = client.get(local(iri), headers={"Accept": media_type})
    assert first.status_code == 303
    assert first.headers["Location"] == doc(iri)
    resp = client.get(local(iri), headers={"Accept": media_type}, follow_redirects=True)
    assert resp.status_code == 200 and resp.mimetype == media_type
    assert resp.headers["Content-Location"] == doc(iri) + suffix
    assert "Accept" in resp.headers["Vary"]
    links = requests.utils.parse_header_links(resp.headers["Link"])
    assert {link["type"] for link in links if link["rel"] == "alternate"} == {
        "text/html",
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    } - {media_type}
    if parser in ("trig", "nquads"):
        got = rdflib.Dataset()
        got.parse(data=resp.data, format=parser)
        triples = {(s, p, o) for s, p, o, _ in got.quads((None, None, None, None))}
    else:
        triples = set(rdflib.Graph().parse(data=resp.data, format=parser))
    assert own(union, iri) <= triples


def test_browser_gets_the_page(client):
    resp = client.get("/id/lower-north-1", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert resp.headers["Content-Location"] == "/doc/lower-north-1.html"
    assert client.get("/id/lower-north-1").status_code == 303  # curl's */* too
    assert client.get("/doc/lower-north-1").mimetype == "text/html"


def test_suffix_and_format_win_over_accept(client):
    ttl = client.get("/doc/lower-north-1/issue/2.ttl", headers={"Accept": "application/ld+json"})
    assert ttl.mimetype == "text/turtle" and "Content-Location" not in ttl.headers
    nt = client.get("/doc/lower-north-1/issue/2?format=nt", headers={"Accept": "text/turtle"})
    assert nt.mimetype == "application/n-triples"
    html = client.get("/doc/lower-north-1/issue/2.html", headers={"Accept": "text/turtle"})
    assert html.mimetype == "text/html"
    # the suffix is kept across the 303
    r = client.get("/id/lower-north-1/issue/2.jsonld?lang=en", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["Location"] == "/doc/lower-north-1/issue/2.jsonld?lang=en"
    jsonld = client.get("/id/lower-north-1/issue/2.jsonld", follow_redirects=True)
    assert jsonld.mimetype == "application/ld+json"
    assert rdflib.Graph().parse(data=jsonld.data, format="json-ld")
    conflict = client.get("/doc/lower-north-1/issue/2.ttl?format=nt")
    assert conflict.status_code == 400


def test_unservable_accept_is_406(client):
    for path in ("/id/lower-north-1", "/doc/lower-north-1", "/graph/areas"):
        resp = client.get(path, headers={"Accept": "image/png"})
        assert resp.status_code == 406, path
    assert client.get("/doc/lower-north-1?format=xlsx").status_code == 406


def test_conditional_requests(client):
    for path in (
        "/doc/lower-north-1/issue/2.ttl",
        "/doc/lower-north-1?lang=en",
        "/graph/areas.ttl",
        "/?lang=th",
    ):
        first = client.get(path)
        assert first.status_code == 200 and first.headers.get("ETag"), path
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
    th = client.get("/doc/lower-north-1?lang=th").headers["ETag"]
    en = client.get("/doc/lower-north-1?lang=en").headers["ETag"]
    assert th != en


# -- unknown and malformed ---------------------------------------------------------------------------------


def test_unknown_iri_is_404_with_near_matches(client):
    resp = client.get("/id/lower-north-1/isue/1", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    body = resp.get_json()
    assert body["error"] == "not-found" and body["iri"] == BASE + "id/lower-north-1/isue/1"
    assert BASE + "id/lower-north-1/issue/1" in [s["iri"] for s in body["suggestions"]][:3]
    assert all(s["href"].startswith("/") for s in body["suggestions"])
    # by label: a Thai name finds the province and the plan
    by_label = client.get("/id/นครสวรรค์", headers={"Accept": "application/json"}).get_json()
    assert {BASE + "id/area/nakhon-sawan", BASE + "id/nakhon-sawan-2564"} & {
        s["iri"] for s in by_label["suggestions"]
    }
    # a person gets a page that links the suggestions
    page = client.get("/doc/nakhon-sawan-2564/issue/9", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 404 and page.mimetype == "text/html"
    hrefs = parse_html(page.data).hrefs
    assert "/id/nakhon-sawan-2564/issue/1" in hrefs or "/id/nakhon-sawan-2564/issue/4" in hrefs
    assert client.get("/graph/nope", headers={"Accept": "application/json"}).status_code == 404
    assert client.get("/id/", headers={"Accept": "application/json"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/id/lower-north-1/../nakhon-sawan-2564",
        "/id/a%20b",
        "/id/%3Cscript%3E",
        "/doc/lower-north-1/%22",
        "/id/" + "x" * 400,
        "/id/lower-north-1//issue/1",
        "/graph/..%2Fetc",
        "/doc/a%00b",
    ],
)
def test_malformed_iri_is_400(client, path):
    resp = client.get(path, headers={"Accept": "application/json"})
    assert resp.status_code == 400, (path, resp.status_code)
    assert resp.get_json()["error"] == "bad-request"


# -- named graphs -------------------------------------------------------------------------------------------


def test_named_graph_iri_serves_the_graph(client, project, dataset):
    for f in project.data.files:
        path = local(f.iri)
        resp = client.get(path + ".ttl")
        assert resp.status_code == 200
        got = rdflib.Graph().parse(data=resp.data, format="turtle")
        expected = dataset.graph(rdflib.URIRef(f.iri))
        assert isomorphic(got, expected), f.iri
        trig = rdflib.Dataset()
        trig.parse(data=client.get(path + ".trig").data, format="trig")
        assert {g.identifier for g in trig.graphs() if len(g)} == {rdflib.URIRef(f.iri)}
        page = client.get(path + "?lang=en")
        assert page.status_code == 200 and page.mimetype == "text/html"


# -- pages ------------------------------------------------------------------------------------------------


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.h1 = ""
        self.hrefs: list[str] = []
        self.scripts = 0
        self.text = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self._in_h1 = True
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"])
        if tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self.text += data
        if self._in_h1:
            self.h1 += data


def parse_html(body: bytes) -> Page:
    p = Page()
    p.feed(body.decode("utf-8"))
    p.h1 = " ".join(p.h1.split())
    p.text = " ".join(p.text.split())
    return p


def label_in(union: rdflib.Graph, iri: str, lang: str) -> str | None:
    for pred in (SKOS.prefLabel, rdflib.RDFS.label):
        for lab in union.objects(rdflib.URIRef(iri), pred):
            if lab.language == lang:
                return " ".join(str(lab).split())
    return None


def one_per_type(union: rdflib.Graph, resources: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for iri in resources:
        for t in union.objects(rdflib.URIRef(iri), RDF.type):
            out.setdefault(str(t), iri)
    return out


@pytest.mark.parametrize("lang", ["th", "en"])
def test_pages_render_for_every_resource_type(client, union, resources, lang):
    samples = one_per_type(union, resources)
    assert len(samples) >= 18  # plans, 9 item kinds, areas, records, frameworks, goals, sources, agents...
    for rdf_type, iri in sorted(samples.items()):
        resp = client.get(local(iri) + f"?lang={lang}", follow_redirects=True)
        assert resp.status_code == 200 and resp.mimetype == "text/html", (rdf_type, iri)
        page = parse_html(resp.data)
        assert page.lang == lang
        expected = label_in(union, iri, lang)
        if expected:
            assert page.h1 == expected, (iri, page.h1)
        assert page.scripts == 0, "resource pages need no JavaScript"
    # Accept-Language decides when ?lang= is absent
    resp = client.get("/doc/area/tak", headers={"Accept-Language": f"{lang},en;q=0.5"})
    assert parse_html(resp.data).h1 == label_in(union, BASE + "id/area/tak", lang)


def test_home_page_links_plans_and_services(client, project):
    page = parse_html(client.get("/?lang=en").data)
    assert page.lang == "en"
    for target in (
        "/id/lower-north-1?lang=en",
        "/id/nakhon-sawan-2564?lang=en",
        "/reports/alignment?lang=en",
        "/sparql",
        "/queries?lang=en",
        "/search?lang=en",
        "/downloads?lang=en",
    ):
        assert target in page.hrefs, target
    for f in project.data.files:
        assert local(f.iri) + "?lang=en" in page.hrefs


def test_plan_page_links_every_item(client, union):
    plan = BASE + "id/lower-north-1"
    items = {str(s) for s in union.subjects(PLAN.inPlan, rdflib.URIRef(plan))}
    page = parse_html(client.get("/doc/lower-north-1?lang=th").data)
    linked = {h.split("?")[0] for h in page.hrefs}
    assert {local(i) for i in items} <= linked
    assert len(items) == 83


def test_item_page_shows_source_text_alignment_and_anchors(client, union):
    iri = BASE + "id/nakhon-sawan-2564/issue/1/guideline/3"
    resp = client.get(local(iri) + "?lang=en", follow_redirects=True)
    page = parse_html(resp.data)
    # breadcrumb plan > issue
    assert (
        "/id/nakhon-sawan-2564?lang=en" in page.hrefs
        and "/id/nakhon-sawan-2564/issue/1?lang=en" in page.hrefs
    )
    # alignment records where it is the subject, and their counterparts
    records = {str(r) for r in union.subjects(PLAN.alignmentSubject, rdflib.URIRef(iri))}
    assert records and {local(r) + "?lang=en" for r in records} <= set(page.hrefs)
    for r in records:
        obj = union.value(rdflib.URIRef(r), PLAN.alignmentObject)
        assert local(str(obj)) + "?lang=en" in page.hrefs
        rationale = next(
            str(x) for x in union.objects(rdflib.URIRef(r), PLAN.rationale) if x.language == "en"
        )
        assert " ".join(rationale.split()) in page.text
    # anchors through its issue: SDG IRIs are linked as they are (not ours)
    assert "http://metadata.un.org/sdg/2" in page.hrefs
    # links to its RDF forms
    for suffix in (".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq"):
        assert "/doc/nakhon-sawan-2564/issue/1/guideline/3" + suffix in page.hrefs


# -- another base, and hostile data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """A project under another base IRI, with a data file whose labels and IRIs try to inject markup."""
    from planlink import create_app
    from planlink.foundation.settings import load_settings
    from planlink.project import open_project

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "zz-hostile.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/planlink/id/hostile> skos:prefLabel "<script>alert(1)</script>"@en , '
        '"\\"><img src=x onerror=alert(1)>"@th ;\n'
        "  skos:related <javascript:alert(1)> , <https://w3id.org/planlink/id/lower-north-1> .\n",
        "utf-8",
    )
    p = open_project(
        load_settings(
            {
                "root": str(root),
                "base_iri": "https://example.org/pl/",
                "access_log": False,
                "validate_on_start": False,
                "state_dir": str(root / "var"),
            }
        )
    )
    yield create_app(project=p).test_client()
    p.close()


def test_base_iri_is_configurable(hostile_client):
    resp = hostile_client.get("/id/lower-north-1/issue/1.ttl", follow_redirects=True)
    got = rdflib.Graph().parse(data=resp.data, format="turtle")
    subject = rdflib.URIRef("https://example.org/pl/id/lower-north-1/issue/1")
    assert (subject, RDF.type, rdflib.URIRef("https://example.org/pl/def/plan#DevelopmentIssue")) in got
    assert not any(str(s).startswith(BASE) for s in got.subjects())
    page = parse_html(hostile_client.get("/id/lower-north-1/issue/1?lang=en", follow_redirects=True).data)
    assert "/id/lower-north-1?lang=en" in page.hrefs


def test_every_value_is_escaped(hostile_client):
    for lang in ("th", "en"):
        resp = hostile_client.get(f"/doc/hostile?lang={lang}")
        assert resp.status_code == 200
        page = parse_html(resp.data)
        assert page.scripts == 0
        assert not any(h.lower().startswith("javascript:") for h in page.hrefs)
        assert b"<img" not in resp.data and b"<script>" not in resp.data
    err = hostile_client.get("/id/%3Cimg", headers={"Accept": BROWSER_ACCEPT})
    assert err.status_code == 400 and b"<img" not in err.data


# -- the real server ---------------------------------------------------------------------------------------


def test_protocol_against_the_http_server(live_server, union):
    url = live_server.url
    iri = BASE + "id/nakhon-sawan-2564/issue/1"
    first = requests.get(
        url + local(iri), headers={"Accept": "text/turtle"}, allow_redirects=False, timeout=30
    )
    assert first.status_code == 303 and first.headers["Location"].endswith(doc(iri))
    resp = requests.get(url + local(iri), headers={"Accept": "text/turtle"}, timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/turtle")
    assert [h.status_code for h in resp.history] == [303]
    assert own(union, iri) <= set(rdflib.Graph().parse(data=resp.content, format="turtle"))
    page = requests.get(
        url + local(iri), headers={"Accept": BROWSER_ACCEPT, "Accept-Language": "th"}, timeout=30
    )
    assert page.status_code == 200 and parse_html(page.content).lang == "th"
    again = requests.get(
        resp.url, headers={"Accept": "text/turtle", "If-None-Match": resp.headers["ETag"]}, timeout=30
    )
    assert again.status_code == 304
    head = requests.head(url + "/doc/area/tak.jsonld", timeout=30)
    assert head.status_code == 200 and head.headers["Content-Type"].startswith("application/ld+json")
    missing = requests.get(url + "/id/area/nakhon-sawann", headers={"Accept": "application/json"}, timeout=30)
    assert missing.status_code == 404
    assert BASE + "id/area/nakhon-sawan" in [s["iri"] for s in missing.json()["suggestions"]]
    graph = requests.get(url + "/graph/anchors", headers={"Accept": "application/n-triples"}, timeout=30)
    assert (
        graph.status_code == 200 and len(rdflib.Graph().parse(data=graph.content, format="nt")) == 76
    )  # the triples of data/anchors.ttl
    assert (
        json.loads(requests.get(url + "/id/%3C", headers={"Accept": "application/json"}, timeout=30).content)[
            "status"
        ]
        == 400
    )


@pytest.mark.parametrize("lang,name", [("th", "ไม่มีการปรับปรุงจาก"), ("en", "unchanged from")])
def test_plan_page_says_the_strategy_is_unchanged_from_the_previous_year(client, union, lang, name):
    """The source says the FY2564 strategy is unchanged from FY2563 ("ไม่มีการปรับปรุงจากปีงบประมาณ พ.ศ. 2563"):
    the data says plan:unchangedFrom, never prov:wasRevisionOf, and the plan page shows it with the change note."""
    plan = rdflib.URIRef(BASE + "id/nakhon-sawan-2564")
    earlier = BASE + "id/nakhon-sawan-2563"
    assert list(union.objects(plan, PLAN.unchangedFrom)) == [rdflib.URIRef(earlier)]
    assert not list(union.subject_objects(rdflib.URIRef("http://www.w3.org/ns/prov#wasRevisionOf")))
    page = parse_html(client.get(f"/doc/nakhon-sawan-2564?lang={lang}").data)
    meta = page.text.split("Plan period" if lang == "en" else "ระยะเวลาของแผน", 1)[-1]
    assert name in meta and f"{local(earlier)}?lang={lang}" in page.hrefs
    assert "ไม่มีการปรับปรุงจากปีงบประมาณ พ.ศ. 2563" in page.text or "has not been revised" in page.text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_value_chain_and_issue_pages_show_their_link(client, union, lang):
    """A value-chain element's page links the issue whose value chain it is part of (plan:valueChainOf and
    skos:related), and the issue's page links back to the element."""
    names = {
        str(lab.language): str(lab)
        for lab in union.objects(PLAN.valueChainOf, rdflib.RDFS.label)
        if isinstance(lab, rdflib.Literal)
    }
    vc, issue = "/id/lower-north-1/value-chain/1", "/id/lower-north-1/issue/2"
    page = parse_html(client.get(vc.replace("/id/", "/doc/", 1) + f"?lang={lang}").data)
    assert f"{issue}?lang={lang}" in page.hrefs and names[lang] in page.text
    back = parse_html(client.get(issue.replace("/id/", "/doc/", 1) + f"?lang={lang}").data)
    assert f"{vc}?lang={lang}" in back.hrefs
    assert ("มีความเกี่ยวข้องกับ" if lang == "th" else "related") in back.text
