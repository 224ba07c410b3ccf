"""The fast engine (Oxigraph, in evaluator processes) answers exactly as rdflib's reference evaluator."""

from __future__ import annotations

from collections import Counter

import pytest
from planlink.engine.store import to_rdflib_dataset, to_rdflib_term

P = (
    "PREFIX plan: <https://w3id.org/planlink/def/plan#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)

QUERIES = {
    "guidelines": P
    + """SELECT ?g ?no ?th ?en WHERE { ?g a plan:Guideline ; skos:notation ?no ;
        skos:prefLabel ?th , ?en . FILTER(LANG(?th) = "th" && LANG(?en) = "en") }""",
    "tourism": P + 'SELECT ?item ?l WHERE { ?item skos:prefLabel ?l FILTER(CONTAINS(?l, "ท่องเที่ยว")) }',
    "items-per-kind": P
    + """SELECT ?plan ?class (COUNT(?i) AS ?n) WHERE { ?i plan:inPlan ?plan ; a ?class }
        GROUP BY ?plan ?class""",
    "optional-direction": P
    + """SELECT ?i ?unit ?dir WHERE { ?i a plan:Indicator ; plan:unit ?unit .
        OPTIONAL { ?i plan:direction ?dir } }""",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "members": P + "SELECT ?c ?p WHERE { ?p org:memberOf ?c } ",
    "shared-indicators": P
    + """SELECT ?i (COUNT(DISTINCT ?issue) AS ?issues) WHERE { ?plan plan:hasPlanIndicator ?i .
        OPTIONAL { ?issue plan:hasIndicator ?i } } GROUP BY ?i""",
    "links-by-level": P
    + """SELECT ?level (COUNT(?r) AS ?n) WHERE { ?r a plan:AlignmentRecord ; plan:level ?level }
        GROUP BY ?level""",
    "minus": P
    + "SELECT ?g WHERE { ?g a plan:Guideline MINUS { ?r plan:alignmentSubject ?g ; plan:level plan:Full } }",
    "ask": P + "ASK { ?g a plan:Guideline }",
}


@pytest.fixture(scope="module")
def reference(project):
    return to_rdflib_dataset(project.data)


@pytest.mark.parametrize("name", QUERIES)
def test_same_answers_as_rdflib(project, reference, name):
    text = QUERIES[name]
    expected = reference.query(text)
    out = project.query.run(text, "rows", use_cache=False).outcome
    if out.kind == "ask":
        assert out.boolean == expected.askAnswer
        return
    variables = out.variables or []
    assert [str(v) for v in expected.vars] == variables
    got = Counter(tuple(to_rdflib_term(t) if t is not None else None for t in row) for row in out.rows or [])
    want = Counter(tuple(row) for row in expected)
    assert got == want and len(got) > 0
