"""VoID and DCAT at /.well-known/void: parsed, its counts checked against direct SPARQL counts, every dump
and download URL answered."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

DCAT = rdflib.Namespace(
    "http://www.w3.org/ns/dcat#"
)  # rdflib's closed DCAT namespace trips pytest's introspection
ONTOLOGY_LICENSE = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def void(app):
    resp = app.test_client().get("/.well-known/void")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=resp.data, format="turtle")


@pytest.fixture(scope="module")
def dataset(void, project):
    found = [s for s in void.subjects(VOID.uriSpace, rdflib.Literal(f"{project.base}id/"))]
    assert len(found) == 1
    return found[0]


def count(project, query, **subs):
    rows = project.query.rows(query, {k: ox.NamedNode(v) for k, v in subs.items()})
    return int(rows[0]["n"].value) if rows else 0


def local(url):
    return url.replace("http://localhost", "", 1)


def test_the_dataset_is_void_and_dcat_with_access_points(void, dataset, project):
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    assert void.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("http://localhost/sparql")
    assert void.value(dataset, DCTERMS.license) == ONTOLOGY_LICENSE
    assert int(void.value(dataset, VOID.triples)) == count(
        project, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )
    vocabularies = {str(v) for v in void.objects(dataset, VOID.vocabulary)}
    assert {
        f"{project.base}def/plan",
        "http://www.w3.org/2004/02/skos/core",
        "http://purl.org/dc/terms/",
    } <= vocabularies
    sources = set(void.objects(dataset, DCTERMS.source))
    want = {
        r["d"].value
        for r in project.query.rows(
            "SELECT ?d WHERE { ?d a <https://w3id.org/planlink/def/plan#SourceDocument> }"
        )
    }
    assert {str(s) for s in sources} == want and len(want) == 2
    titles = {t.language for t in void.objects(dataset, DCTERMS.title)}
    assert titles == {"th", "en"}


def test_class_partitions_match_sparql(void, dataset, project):
    parts = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    classes = {r["c"].value for r in project.query.rows("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    assert {str(c) for c in parts} == classes
    for cls, n in parts.items():
        assert n == count(
            project, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", c=str(cls)
        )
    assert parts[rdflib.URIRef(f"{project.base}def/plan#Guideline")] == 16


def test_property_partitions_match_sparql(void, dataset, project):
    parts = {
        void.value(p, VOID.property): int(void.value(p, VOID.triples))
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    props = {r["p"].value for r in project.query.rows("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    assert {str(p) for p in parts} == props
    for prop, n in parts.items():
        assert n == count(project, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", p=str(prop))
    assert sum(parts.values()) == int(void.value(dataset, VOID.triples))


def test_one_subset_per_named_graph_with_its_triples(void, dataset, project):
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(dataset, VOID.subset)}
    assert subsets == project.data.triples_per_graph
    for iri, n in subsets.items():
        assert n == count(
            project, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", g=iri
        )
        assert list(void.objects(rdflib.URIRef(iri), VOID.dataDump))


def test_every_dump_and_distribution_answers(client, void, dataset):
    dumps = set(void.objects(None, VOID.dataDump))
    assert len(set(void.objects(dataset, VOID.dataDump))) == 5
    downloads = set()
    for dist in void.objects(None, DCAT.distribution):
        url = void.value(dist, DCAT.downloadURL)
        downloads.add(url)
        media = str(void.value(dist, DCAT.mediaType)).rsplit("/media-types/", 1)[1]
        resp = client.head(local(str(url)))
        assert resp.status_code == 200 and resp.mimetype == media
        assert int(resp.headers["Content-Length"]) == int(void.value(dist, DCAT.byteSize))
    assert downloads == dumps
    for url in dumps:
        assert client.get(local(str(url))).status_code == 200, url


def test_json_ld_and_the_page(client, void):
    resp = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert resp.mimetype == "application/ld+json"
    assert isomorphic(rdflib.Graph().parse(data=resp.data, format="json-ld"), void)
    assert isomorphic(rdflib.Graph().parse(data=client.get("/.well-known/void.nt").data, format="nt"), void)
    page = client.get("/.well-known/void?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    first = client.get("/.well-known/void")
    assert (
        client.get("/.well-known/void", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    )


def test_the_service_description_points_here(client):
    sd = rdflib.Graph().parse(
        data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    service = sd.value(
        predicate=RDF.type, object=rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#Service")
    )
    see_also = {local(str(o)) for o in sd.objects(service, RDFS.seeAlso)}
    assert see_also == {"/.well-known/void", "/.well-known/sparql-examples"}
    for path in see_also:
        assert client.get(path).status_code == 200
