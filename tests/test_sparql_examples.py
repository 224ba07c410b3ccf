"""The curated queries as SPARQL examples (issue 18): /.well-known/sparql-examples in the convention of public
SPARQL example collections (each query a sh:SPARQLExecutable with rdfs:comment in Thai and English, its text,
schema:target the endpoint), checked with pySHACL against that convention's own rules, and listed in the service
description. Each example's text runs on the endpoint and answers what the curated query answers."""

from __future__ import annotations

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import RDF, RDFS

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SPEX = rdflib.Namespace("https://purl.expasy.org/sparql-examples/ontology#")
BASE = "https://w3id.org/planlink/"

# The example collections' own check of an example (one text, a comment in a language or as HTML, a target).
CONVENTION = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix spex: <https://purl.expasy.org/sparql-examples/ontology#> .
[] sh:targetClass sh:SPARQLExecutable ;
  sh:property [ sh:path [ sh:alternativePath ( sh:select sh:ask spex:describe sh:construct ) ] ;
                sh:minCount 1 ; sh:maxCount 1 ] ,
              [ sh:path rdfs:comment ; sh:minCount 1 ;
                sh:or ( [ sh:datatype rdf:langString ] [ sh:datatype rdf:HTML ] ) ] ,
              [ sh:path schema:target ; sh:minCount 1 ] .
"""


@pytest.fixture
def graph(client) -> rdflib.Graph:
    resp = client.get("/.well-known/sparql-examples")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=resp.get_data(as_text=True), format="turtle")


def test_every_curated_query_is_an_example(graph, project) -> None:
    found = set(graph.subjects(RDF.type, SH.SPARQLExecutable))
    assert {str(s) for s in found} == {f"{BASE}.well-known/sparql-examples#{n}" for n in project.catalog}
    conforms, _, text = validate(graph, shacl_graph=rdflib.Graph().parse(data=CONVENTION, format="turtle"))
    assert conforms, text
    endpoint = rdflib.URIRef("http://localhost/sparql")  # the host the test client asks
    for s in found:
        comments = {c.language: str(c) for c in graph.objects(s, RDFS.comment)}
        name = str(s).rsplit("#", 1)[1]
        q = project.catalog[name]
        assert comments == {"th": q.description["th"], "en": q.description["en"]}
        assert set(graph.objects(s, SCHEMA.target)) == {endpoint}
        assert (s, RDF.type, SH.SPARQLSelectExecutable) in graph
        assert str(graph.value(s, SH.select)) == q.runnable_text(project.base)
        declared = {
            (str(graph.value(d, SH.prefix)), str(graph.value(d, SH.namespace)))
            for d in graph.objects(graph.value(s, SH.prefixes), SH.declare)
        }
        assert ("plan", f"{BASE}def/plan#") in declared


@pytest.mark.parametrize("name", ["links-per-issue", "plan-items"])
def test_an_examples_text_answers_as_the_curated_query(client, graph, name: str) -> None:
    text = str(graph.value(rdflib.URIRef(f"{BASE}.well-known/sparql-examples#{name}"), SH.select))
    by_text = client.post("/sparql", data={"query": text, "format": "json"}).get_json()
    curated = client.get(f"/queries/{name}.json").get_json()
    assert by_text["results"]["bindings"] == curated["results"]["bindings"] and by_text["results"]["bindings"]


def test_listed_in_the_service_description(client, project) -> None:
    sd = rdflib.Graph().parse(
        data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    service = sd.value(
        predicate=RDF.type, object=rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#Service")
    )
    assert rdflib.URIRef("http://localhost/.well-known/sparql-examples") in set(
        sd.objects(service, RDFS.seeAlso)
    )
    listed = {str(s) for s in sd.subjects(RDF.type, SH.SPARQLExecutable)}
    assert len(listed) == len(project.catalog)
    endpoint = sd.value(service, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"))
    assert {o for s in sd.subjects(RDF.type, SH.SPARQLExecutable) for o in sd.objects(s, SCHEMA.target)} == {
        endpoint
    }


def test_other_formats_and_a_bad_suffix(client) -> None:
    as_jsonld = client.get("/.well-known/sparql-examples.jsonld")
    assert as_jsonld.status_code == 200 and as_jsonld.mimetype == "application/ld+json"
    assert len(rdflib.Graph().parse(data=as_jsonld.data, format="json-ld")) > 100
    bad = client.get("/.well-known/sparql-examples.docx")
    assert bad.status_code == 404 and ".ttl" in bad.get_json()["message"]
