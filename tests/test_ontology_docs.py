"""The ontology at /def/plan: pyLODE documentation for browsers (each term's #fragment lands on it), Turtle,
JSON-LD, N-Triples and RDF/XML by negotiation or suffix; the SHACL shapes at /def/shapes."""

from __future__ import annotations

import logging
from html.parser import HTMLParser

import pytest
import rdflib
from planlink.engine.store import to_rdflib_graph
from planlink.readmodels.ontodoc import ontology_triples
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.lang: str | None = None
        self.headings: list[str] = []
        self._in_h3 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") is not None:
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        self._in_h3 = tag == "h3"

    def handle_data(self, data):
        if self._in_h3 and data.strip():
            self.headings.append(data.strip())
            self._in_h3 = False


@pytest.fixture(scope="module")
def held(project):
    return to_rdflib_graph(ontology_triples(project.data))


def terms(graph, base):
    ns = f"{base}def/plan#"
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(
        {str(s)[len(ns) :] for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(ns)}
    )


@pytest.mark.parametrize("lang", ["th", "en"])
def test_browsers_get_the_pylode_documentation_with_every_term_anchored(client, held, project, lang):
    resp = client.get(f"/def/plan?lang={lang}", headers={"Accept": BROWSER})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = Page()
    page.feed(resp.get_data(as_text=True))
    assert page.lang == lang
    names = terms(held, project.base)
    assert len(names) > 40
    missing = [n for n in names if n not in page.ids]
    assert not missing, f"no anchor for {missing}"
    assert "" not in page.ids
    # one language per document: the class heading is the label in that language only
    indicator = rdflib.URIRef(f"{project.base}def/plan#Indicator")
    label = next(o for o in held.objects(indicator, rdflib.RDFS.label) if o.language == lang)
    assert str(label) in page.headings


def test_the_html_suffix_and_the_accept_header_give_the_same_document(client):
    a = client.get("/def/plan.html?lang=en")
    b = client.get("/def/plan?lang=en", headers={"Accept": "text/html"})
    assert a.status_code == b.status_code == 200 and a.data == b.data


@pytest.mark.parametrize(
    "accept,suffix,fmt",
    [
        ("text/turtle", ".ttl", "turtle"),
        ("application/ld+json", ".jsonld", "json-ld"),
        ("application/n-triples", ".nt", "nt"),
        ("application/rdf+xml", ".rdf", "xml"),
    ],
)
def test_rdf_by_negotiation_and_by_suffix_is_the_loaded_ontology(client, held, accept, suffix, fmt):
    for resp in (
        client.get("/def/plan", headers={"Accept": accept}),
        client.get("/def/plan" + suffix),
        client.get("/def/plan?format=" + suffix[1:], headers={"Accept": "text/html"}),
    ):
        assert resp.status_code == 200 and resp.mimetype == accept
        got = rdflib.Graph().parse(data=resp.data, format=fmt)
        assert isomorphic(got, held)
        assert 'rel="alternate"' in resp.headers["Link"]


def test_no_accept_gets_turtle_and_term_iris_are_fragments_of_the_document(client, held, project):
    resp = client.get("/def/plan")
    assert resp.mimetype == "text/turtle"
    got = rdflib.Graph().parse(data=resp.data, format="turtle")
    onto = rdflib.URIRef(f"{project.base}def/plan")
    assert (onto, RDF.type, OWL.Ontology) in got
    for name in terms(got, project.base):
        assert rdflib.URIRef(f"{project.base}def/plan#{name}").defrag() == onto


def test_conditional_and_unknown_forms(client):
    first = client.get("/def/plan.ttl")
    assert client.get("/def/plan.ttl", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/def/plan.xyz").status_code == 404
    assert client.get("/def/plan", headers={"Accept": "image/png"}).status_code == 406


def test_pylode_leaves_the_root_logger_alone(client):
    before = list(logging.getLogger().handlers), logging.getLogger().level
    from planlink.readmodels.ontodoc import make_html

    from_project = client.application.config["PLANLINK"]
    make_html(ontology_triples(from_project.data), from_project.base, "en")
    assert (list(logging.getLogger().handlers), logging.getLogger().level) == before


def test_the_shapes_are_served_as_rdf(client):
    resp = client.get("/def/shapes", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    shapes = rdflib.Graph().parse(data=resp.data, format="turtle")
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) > 5
    jsonld = client.get("/def/shapes.jsonld")
    assert isomorphic(rdflib.Graph().parse(data=jsonld.data, format="json-ld"), shapes)
