"""planlink's SHACL engine (planlink.engine.shacl) reports what pySHACL reports.

pySHACL is the reference. On every example of tests/shapes/, on the ontology, on the shipped data and on a corpus
of seeded faults in generated plan files (bench/generate.py at the tiny scale, one fault of each kind the shapes
define), both engines must give the same set of (focus node, path, source shape, severity), and the same values.
Both run on the same rdflib shapes graph, so that the blank nodes of property shapes and paths compare.
A construct the engine does not evaluate is refused when the shapes are compiled, naming shape and construct.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from planlink.engine import shacl
from planlink.engine.store import parse_file, parse_to_rdflib, rdf_files
from planlink.readmodels.validation import _pyshacl
from pyshacl.rdfutil.inoculate import inoculate
from rdflib.compare import isomorphic
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/ is put on the path just above)

Key = tuple[str, str, str, str, str]


@cache
def shapes() -> rdflib.Graph:
    return parse_to_rdflib(rdf_files(ROOT / "shapes"))


@cache
def ontology() -> rdflib.Graph:
    return parse_to_rdflib(rdf_files(ROOT / "ontology"))


def reference(data: rdflib.Graph) -> set[Key]:
    results = _pyshacl(data, shapes(), ontology())

    def text(node: rdflib.term.Node | None) -> str:
        return "" if node is None else str(node)  # not "node or ''": a Literal 0 is false

    out = set()
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        out.add(
            (
                text(results.value(r, SH.focusNode)),
                text(results.value(r, SH.resultPath)),
                text(results.value(r, SH.sourceShape)),
                text(results.value(r, SH.resultSeverity)),
                text(results.value(r, SH.value)),
            )
        )
    return out


def fast(triples: list[ox.Triple]) -> set[Key]:
    store = shacl.data_store(triples, shacl.ontology_axioms(ontology()))
    program = shacl.compile_shapes(shapes())
    return {
        (*r.key(), str(shacl.to_rdflib(r.value)) if r.value is not None else "")
        for r in program.validate(store)
    }


def as_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in triples:
        g.add((shacl.to_rdflib(t.subject), shacl.to_rdflib(t.predicate), shacl.to_rdflib(t.object)))
    return g


def same(triples: list[ox.Triple]) -> tuple[set[Key], set[Key]]:
    return reference(as_rdflib(triples)), fast(triples)


EXAMPLES = sorted((ROOT / "tests" / "shapes").glob("*/*.ttl"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in EXAMPLES])
def test_each_shape_example_gives_pyshacls_results(path: Path) -> None:
    ref, mine = same(parse_file(path))
    assert mine == ref, f"only pySHACL: {sorted(ref - mine)}\nonly planlink: {sorted(mine - ref)}"
    if path.stem == "fail":
        assert mine, "a fail example raises something"


def test_the_ontology_as_data_gives_pyshacls_results() -> None:
    ref, mine = same(parse_file(ROOT / "ontology" / "plan.ttl"))
    assert mine == ref


def test_the_shipped_data_gives_pyshacls_results() -> None:
    triples = [t for p in rdf_files(ROOT / "data") for t in parse_file(p)]
    ref, mine = same(triples)
    assert mine == ref


def test_the_ontology_axioms_are_what_pyshacl_copies() -> None:
    copied = inoculate(rdflib.Graph(), ontology())
    assert isomorphic(shacl.ontology_axioms(ontology()), copied)


# --- seeded faults ----------------------------------------------------------------------------------------------

ID = "https://w3id.org/planlink/id/"
PREFIXES = (
    "PREFIX plan: <https://w3id.org/planlink/def/plan#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX org: <http://www.w3.org/ns/org#> "
    "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX vann: <http://purl.org/vocab/vann/> "
    f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> BASE <{ID}> "
)
PH = "phichit-2564"
LN2 = "lower-north-2-2564"
AL = "alignment/phichit-2564--lower-north-2-2564"
ALF = "alignment-phichit-2564--lower-north-2-2564"
DECISION = f"decision/{PH}--{LN2}"


def decision(n: int, leave: str = "", add: str = "") -> tuple[str, str, str, str]:
    """A fault of CurationDecisionShape: a rejected proposal as `planlink curate` writes it, less the statement
    whose predicate is ``leave``, plus ``add``."""
    statements = {
        "plan:alignmentSubject": f"<{PH}/issue/1/guideline/{n}>",
        "plan:alignmentObject": f"<{LN2}/issue/1/goal/1>",
        "plan:status": "plan:Rejected",
        "plan:method": "plan:Curated",
        "plan:rationale": "'ไม่เกี่ยวข้องกัน'@th",
        "<http://www.w3.org/ns/prov#wasAttributedTo>": "<agent/curator/somchai>",
        "dcterms:created": "'2026-12-04'^^<http://www.w3.org/2001/XMLSchema#date>",
    }
    body = " ; ".join(f"{p} {o}" for p, o in statements.items() if p != leave)
    return (
        ALF,
        f"INSERT DATA {{ <{DECISION}/{n}> a plan:CurationDecision ; {body} {add} }}",
        f"{DECISION}/{n}",
        "CurationDecisionShape",
    )


# (file stem, SPARQL update, the focus node, the shape that must report it: local name in shapes#)
FAULTS: list[tuple[str, str, str, str]] = [
    # PlanItemShape
    (
        PH,
        f"DELETE {{ <{PH}/issue/1/guideline/1> skos:prefLabel ?l }} WHERE {{ <{PH}/issue/1/guideline/1> skos:prefLabel ?l FILTER (lang(?l) = 'th') }}",
        f"{PH}/issue/1/guideline/1",
        "PlanItemShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/1/guideline/2> skos:prefLabel 'A second English label'@en }}",
        f"{PH}/issue/1/guideline/2",
        "PlanItemShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/1/guideline/3> skos:prefLabel 'Une étiquette'@fr }}",
        f"{PH}/issue/1/guideline/3",
        "PlanItemShape",
    ),
    (
        PH,
        f"DELETE {{ ?s skos:notation ?n }} INSERT {{ ?s skos:notation <{PH}/notation> }} WHERE {{ BIND (<{PH}/issue/2/guideline/1> AS ?s) ?s skos:notation ?n }}",
        f"{PH}/issue/2/guideline/1",
        "PlanItemShape",
    ),
    (
        PH,
        f"DELETE {{ ?s plan:position ?n }} INSERT {{ ?s plan:position '2' }} WHERE {{ BIND (<{PH}/issue/2/guideline/2> AS ?s) ?s plan:position ?n }}",
        f"{PH}/issue/2/guideline/2",
        "PlanItemShape",
    ),
    (
        PH,
        f"DELETE {{ ?s plan:position ?n }} INSERT {{ ?s plan:position 0 }} WHERE {{ BIND (<{PH}/issue/2/guideline/3> AS ?s) ?s plan:position ?n }}",
        f"{PH}/issue/2/guideline/3",
        "PlanItemShape",
    ),
    (
        PH,
        f"DELETE {{ ?s plan:sourceText ?t }} INSERT {{ ?s plan:sourceText 'no language tag' }} WHERE {{ BIND (<{PH}/issue/3/guideline/1> AS ?s) ?s plan:sourceText ?t }}",
        f"{PH}/issue/3/guideline/1",
        "PlanItemShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/4/guideline/4> plan:inPlan <{LN2}> }}",
        f"{PH}/issue/4/guideline/4",
        "PlanItemShape",
    ),
    # ThaiLabelSpellingShape: the three kinds of damage
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/3/guideline/2> skos:altLabel 'เพิ่มพื้นที่ปุาไม้'@th }}",
        f"{PH}/issue/3/guideline/2",
        "ThaiLabelSpellingShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/3/guideline/3> skos:altLabel 'บริหารจัดการน้้ำ'@th }}",
        f"{PH}/issue/3/guideline/3",
        "ThaiLabelSpellingShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/3/guideline/4> skos:altLabel 'ดาเนินการ'@th }}",
        f"{PH}/issue/3/guideline/4",
        "ThaiLabelSpellingShape",
    ),
    # IssueItemReachabilityShape: no issue; an issue of another plan
    (
        PH,
        f"DELETE WHERE {{ ?issue plan:hasGuideline <{PH}/issue/4/guideline/2> }}",
        f"{PH}/issue/4/guideline/2",
        "IssueItemReachabilityShape",
    ),
    (
        "kamphaeng-phet-2564",
        f"INSERT DATA {{ <kamphaeng-phet-2564/issue/1> plan:hasGuideline <{PH}/issue/4/guideline/3> }}",
        f"{PH}/issue/4/guideline/3",
        "IssueItemReachabilityShape",
    ),
    # IndicatorReachabilityShape: listed by another plan; listed by nobody; listed by a mission
    (
        "kamphaeng-phet-2564",
        f"INSERT DATA {{ <kamphaeng-phet-2564> plan:hasPlanIndicator <{PH}/indicator/1> }}",
        f"{PH}/indicator/1",
        "IndicatorReachabilityShape",
    ),
    (
        PH,
        f"DELETE WHERE {{ ?p plan:hasPlanIndicator <{PH}/indicator/2> }}",
        f"{PH}/indicator/2",
        "IndicatorReachabilityShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/mission/1> plan:hasIndicator <{PH}/indicator/3> }}",
        f"{PH}/indicator/3",
        "IndicatorReachabilityShape",
    ),
    # PlanLevelItemReachabilityShape: a mission listed by a second plan
    (
        "kamphaeng-phet-2564",
        f"INSERT DATA {{ <kamphaeng-phet-2564> plan:hasMission <{PH}/mission/2> }}",
        f"{PH}/mission/2",
        "PlanLevelItemReachabilityShape",
    ),
    # IndicatorShape: no unit, a unit that is none, a direction that is none
    (
        LN2,
        f"DELETE WHERE {{ <{LN2}/issue/2/indicator/1> plan:unit ?u }}",
        f"{LN2}/issue/2/indicator/1",
        "IndicatorShape",
    ),
    (
        LN2,
        f"DELETE {{ ?s plan:unit ?u }} INSERT {{ ?s plan:unit plan:Kilograms }} WHERE {{ BIND (<{LN2}/issue/2/indicator/2> AS ?s) ?s plan:unit ?u }}",
        f"{LN2}/issue/2/indicator/2",
        "IndicatorShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/2/indicator/3> plan:direction plan:Up }}",
        f"{LN2}/issue/2/indicator/3",
        "IndicatorShape",
    ),
    # NearDuplicateShape: one direction only, no notes; to a non-indicator of another plan
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/3/indicator/1> plan:nearDuplicateOf <{LN2}/issue/3/indicator/2> }}",
        f"{LN2}/issue/3/indicator/1",
        "NearDuplicateShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/3/indicator/5> plan:nearDuplicateOf <{PH}/issue/1> }}",
        f"{LN2}/issue/3/indicator/5",
        "NearDuplicateShape",
    ),
    # ValueChainLinkShape: to an issue of another plan, no skos:related, no notes; from a mission
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/value-chain/1> plan:valueChainOf <upper-northeast-2-2564/issue/1> }}",
        f"{LN2}/value-chain/1",
        "ValueChainLinkShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/mission/1> plan:valueChainOf <{LN2}/issue/1> }}",
        f"{LN2}/mission/1",
        "ValueChainLinkShape",
    ),
    # DevelopmentIssueShape: plan:hasGoal to an objective
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/4> plan:hasGoal <{LN2}/issue/4/objective> }}",
        f"{LN2}/issue/4",
        "DevelopmentIssueShape",
    ),
    # DevelopmentPlanShape: fiscal year as text; the wrong kind of area; a source that is not a source;
    # a title in French and a year out of range
    (
        "uthai-thani-2564",
        "DELETE { ?p plan:fiscalYear ?y } INSERT { ?p plan:fiscalYear '2564' } WHERE { BIND (<uthai-thani-2564> AS ?p) ?p plan:fiscalYear ?y }",
        "uthai-thani-2564",
        "DevelopmentPlanShape",
    ),
    (
        "kamphaeng-phet-2564",
        "DELETE { ?p plan:coversArea ?a } INSERT { ?p plan:coversArea <area/lower-north-2> } WHERE { BIND (<kamphaeng-phet-2564> AS ?p) ?p plan:coversArea ?a }",
        "kamphaeng-phet-2564",
        "DevelopmentPlanShape",
    ),
    (
        "mukdahan-2564",
        "DELETE { ?p plan:sourceDocument ?d } INSERT { ?p plan:sourceDocument <mukdahan-2564/target> } WHERE { BIND (<mukdahan-2564> AS ?p) ?p plan:sourceDocument ?d }",
        "mukdahan-2564",
        "DevelopmentPlanShape",
    ),
    (
        "sakon-nakhon-2564",
        "DELETE { ?p plan:fiscalYear ?y } INSERT { ?p plan:fiscalYear 2800 ; dcterms:title 'Un titre'@fr } WHERE { BIND (<sakon-nakhon-2564> AS ?p) ?p plan:fiscalYear ?y }",
        "sakon-nakhon-2564",
        "DevelopmentPlanShape",
    ),
    # UnchangedFromShape: unchanged from itself, with no change note; a non-plan unchanged from a plan
    (
        "nakhon-phanom-2564",
        "INSERT DATA { <nakhon-phanom-2564> plan:unchangedFrom <nakhon-phanom-2564> }",
        "nakhon-phanom-2564",
        "UnchangedFromShape",
    ),
    (
        "nakhon-phanom-2564",
        "INSERT DATA { <nakhon-phanom-2564/mission/1> plan:unchangedFrom <nakhon-phanom-2564> }",
        "nakhon-phanom-2564/mission/1",
        "UnchangedFromShape",
    ),
    # AreaShape, ProvinceShape
    (
        "areas",
        "DELETE { ?a skos:prefLabel ?l } WHERE { BIND (<area/phichit> AS ?a) ?a skos:prefLabel ?l FILTER (lang(?l) = 'en') }",
        "area/phichit",
        "AreaShape",
    ),
    (
        "areas-national",
        "DELETE { ?a plan:isoCode ?c } INSERT { ?a plan:isoCode '49' } WHERE { BIND (<area/mukdahan> AS ?a) ?a plan:isoCode ?c }",
        "area/mukdahan",
        "ProvinceShape",
    ),
    (
        "areas-national",
        "DELETE WHERE { <area/sakon-nakhon> org:memberOf ?c }",
        "area/sakon-nakhon",
        "ProvinceShape",
    ),
    # SourceDocumentShape
    (
        PH,
        f"DELETE {{ ?d plan:sourceFile ?f }} INSERT {{ ?d plan:sourceFile 'x.txt'@th }} WHERE {{ BIND (<source/synthetic-{PH}> AS ?d) ?d plan:sourceFile ?f }}",
        f"source/synthetic-{PH}",
        "SourceDocumentShape",
    ),
    # AlignmentRecordShape
    (
        ALF,
        f"DELETE {{ ?r plan:mappingRelation ?m ; plan:level ?l }} INSERT {{ ?r plan:mappingRelation skos:sameMatch }} WHERE {{ BIND (<{AL}/2> AS ?r) ?r plan:mappingRelation ?m ; plan:level ?l }}",
        f"{AL}/2",
        "AlignmentRecordShape",
    ),
    (ALF, f"INSERT DATA {{ <{AL}/3> plan:score 1.5 }}", f"{AL}/3", "AlignmentRecordShape"),
    (
        ALF,
        f"DELETE {{ ?s ?m ?o }} WHERE {{ <{AL}/4> plan:alignmentSubject ?s ; plan:mappingRelation ?m ; plan:alignmentObject ?o . ?s ?m ?o }}",
        f"{AL}/4",
        "AlignmentRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:method ?m }} INSERT {{ ?r plan:method plan:Computed }} WHERE {{ BIND (<{AL}/5> AS ?r) ?r plan:method ?m }}",
        f"{AL}/5",
        "AlignmentRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:alignmentObject ?o }} INSERT {{ ?r plan:alignmentObject <{PH}/mission/3> }} WHERE {{ BIND (<{AL}/6> AS ?r) ?r plan:alignmentObject ?o }}",
        f"{AL}/6",
        "AlignmentRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:alignmentSubject ?o }} INSERT {{ ?r plan:alignmentSubject <area/phichit> }} WHERE {{ BIND (<{AL}/7> AS ?r) ?r plan:alignmentSubject ?o }}",
        f"{AL}/7",
        "AlignmentRecordShape",
    ),
    (ALF, f"INSERT DATA {{ <{AL}/8> plan:rationale 'Begründung'@de }}", f"{AL}/8", "AlignmentRecordShape"),
    # RelationLevelShape
    (
        ALF,
        f"DELETE {{ ?r plan:level ?l }} INSERT {{ ?r plan:level plan:Weak }} WHERE {{ BIND (<{AL}/9> AS ?r) ?r plan:level ?l ; plan:mappingRelation skos:narrowMatch }}",
        f"{AL}/9",
        "RelationLevelShape",
    ),
    # MappingTripleShape: a plain SKOS triple with no record behind it
    (
        ALF,
        f"INSERT DATA {{ <{PH}/issue/2> skos:closeMatch <{LN2}/issue/3> }}",
        f"{PH}/issue/2",
        "MappingTripleShape",
    ),
    # NoCounterpartRecordShape
    (
        ALF,
        f"INSERT DATA {{ <{AL}/gap/1> plan:alignmentObject <{LN2}/issue/1> ; plan:mappingRelation skos:closeMatch }}",
        f"{AL}/gap/1",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:targetPlan ?p }} INSERT {{ ?r plan:targetPlan <{PH}> }} WHERE {{ BIND (<{AL}/gap/2> AS ?r) ?r plan:targetPlan ?p }}",
        f"{AL}/gap/2",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:method ?m }} INSERT {{ ?r plan:method plan:Computed }} WHERE {{ BIND (<{AL}/gap/3> AS ?r) ?r plan:method ?m }}",
        f"{AL}/gap/3",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:alignmentSubject ?s }} INSERT {{ ?r plan:alignmentSubject ?t }} WHERE {{ BIND (<{AL}/gap/4> AS ?r) ?r plan:alignmentSubject ?s . <{AL}/10> plan:alignmentSubject ?t }}",
        f"{AL}/gap/4",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:targetPlan ?p }} INSERT {{ ?r plan:targetPlan <{PH}/issue/1> }} WHERE {{ BIND (<{AL}/gap/5> AS ?r) ?r plan:targetPlan ?p }}",
        f"{AL}/gap/5",
        "NoCounterpartRecordShape",
    ),
    # DuplicateAlignmentRecordShape (a warning): record 11 said twice
    (
        ALF,
        f"INSERT {{ <{AL}/11-again> ?p ?o }} WHERE {{ <{AL}/11> ?p ?o }}",
        f"{AL}/11-again",
        "DuplicateAlignmentRecordShape",
    ),
    # OntologyShape and OntologyTermShape: an ontology document in a data file, without its header's parts
    # and with a term that has no labels or definitions
    (
        "anchors",
        "INSERT DATA { <https://w3id.org/planlink/def/example> a owl:Ontology ; dcterms:title 'Example'@en ; vann:preferredNamespaceUri 'https://w3id.org/planlink/def/example#' . <https://w3id.org/planlink/def/example#Thing> a owl:Class . }",
        "https://w3id.org/planlink/def/example",
        "OntologyShape",
    ),
    (
        "anchors",
        "INSERT DATA { <https://w3id.org/planlink/def/example#links> a owl:ObjectProperty ; rdfs:label 'links'@en }",
        "https://w3id.org/planlink/def/example#links",
        "OntologyTermShape",
    ),
    # --- one of each remaining kind: every property shape and SPARQL constraint raises at least once
    (
        ALF,
        f"DELETE {{ ?r plan:rationale ?t }} WHERE {{ BIND (<{AL}/12> AS ?r) ?r plan:rationale ?t FILTER (lang(?t) = 'en') }}",
        f"{AL}/12",
        "AlignmentRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:rationale ?t }} WHERE {{ BIND (<{AL}/13> AS ?r) ?r plan:rationale ?t FILTER (lang(?t) = 'th') }}",
        f"{AL}/13",
        "AlignmentRecordShape",
    ),
    (ALF, f"DELETE WHERE {{ <{AL}/14> plan:alignmentObject ?o }}", f"{AL}/14", "AlignmentRecordShape"),
    (
        ALF,
        f"INSERT DATA {{ <{AL}/15> plan:alignmentSubject <{PH}/issue/1> }}",
        f"{AL}/15",
        "AlignmentRecordShape",
    ),
    (ALF, f"DELETE WHERE {{ <{AL}/16> plan:method ?m }}", f"{AL}/16", "AlignmentRecordShape"),
    (ALF, f"DELETE WHERE {{ <{AL}/17> plan:status ?m }}", f"{AL}/17", "AlignmentRecordShape"),
    (
        "areas",
        "DELETE { ?a skos:prefLabel ?l } WHERE { BIND (<area/uthai-thani> AS ?a) ?a skos:prefLabel ?l FILTER (lang(?l) = 'th') }",
        "area/uthai-thani",
        "AreaShape",
    ),
    (
        PH,
        f"INSERT DATA {{ <{PH}/issue/1> plan:hasGuideline <{PH}/mission/3> }}",
        f"{PH}/issue/1",
        "DevelopmentIssueShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/5> plan:hasIndicator <{LN2}/ksf/1> ; plan:hasObjective <{LN2}/issue/3/goal/1> }}",
        f"{LN2}/issue/5",
        "DevelopmentIssueShape",
    ),
    (
        "mukdahan-2564",
        f"INSERT DATA {{ <mukdahan-2564> plan:hasDevelopmentTarget <{PH}/target> ; plan:unchangedFrom <mukdahan-2563> , <mukdahan-2562> }}",
        "mukdahan-2564",
        "DevelopmentPlanShape",
    ),
    (
        "nakhon-phanom-2564",
        "INSERT DATA { <nakhon-phanom-2564> skos:prefLabel 'Ein Plan'@de ; plan:coversArea <area/mukdahan> }",
        "nakhon-phanom-2564",
        "DevelopmentPlanShape",
    ),
    (
        "upper-northeast-2-2564",
        "DELETE WHERE { <upper-northeast-2-2564> plan:hasIssue ?i }",
        "upper-northeast-2-2564",
        "DevelopmentPlanShape",
    ),
    (
        "upper-northeast-2-2564",
        "DELETE WHERE { <upper-northeast-2-2564> plan:sourceDocument ?d }",
        "upper-northeast-2-2564",
        "DevelopmentPlanShape",
    ),
    (PH, f"DELETE WHERE {{ <{PH}> plan:fiscalYear ?y }}", PH, "DevelopmentPlanShape"),
    (
        PH,
        f"DELETE {{ ?p skos:prefLabel ?l ; dcterms:title ?t }} WHERE {{ BIND (<{PH}> AS ?p) ?p skos:prefLabel ?l ; dcterms:title ?t FILTER (lang(?l) = 'en' && lang(?t) = 'en') }}",
        PH,
        "DevelopmentPlanShape",
    ),
    (
        "uthai-thani-2564",
        "DELETE { ?p skos:prefLabel ?l ; dcterms:title ?t } WHERE { BIND (<uthai-thani-2564> AS ?p) ?p skos:prefLabel ?l ; dcterms:title ?t FILTER (lang(?l) = 'th' && lang(?t) = 'th') }",
        "uthai-thani-2564",
        "DevelopmentPlanShape",
    ),
    (
        LN2,
        f"DELETE {{ ?p plan:coversArea ?a }} INSERT {{ ?p plan:coversArea <{LN2}/issue/1> }} WHERE {{ BIND (<{LN2}> AS ?p) ?p plan:coversArea ?a }}",
        LN2,
        "DevelopmentPlanShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}> plan:hasKeySuccessFactor <{LN2}/mission/2> ; plan:hasMission <{LN2}/ksf/2> ; plan:hasPlanIndicator <{LN2}/issue/1/goal/1> ; plan:hasValueChainElement <{LN2}/ksf/3> }}",
        LN2,
        "DevelopmentPlanShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/1> plan:hasPlanIndicator <{LN2}/indicator/2> }}",
        f"{LN2}/indicator/2",
        "IndicatorReachabilityShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/issue/3/indicator/7> plan:nearDuplicateOf <{LN2}/issue/3/indicator/7> }}",
        f"{LN2}/issue/3/indicator/7",
        "NearDuplicateShape",
    ),
    (
        ALF,
        f"INSERT DATA {{ <{AL}/gap/6> plan:rationale 'Begründung'@de }}",
        f"{AL}/gap/6",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:rationale ?t }} WHERE {{ BIND (<{AL}/gap/7> AS ?r) ?r plan:rationale ?t FILTER (lang(?t) = 'en') }}",
        f"{AL}/gap/7",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE {{ ?r plan:rationale ?t }} WHERE {{ BIND (<{AL}/gap/8> AS ?r) ?r plan:rationale ?t FILTER (lang(?t) = 'th') }}",
        f"{AL}/gap/8",
        "NoCounterpartRecordShape",
    ),
    (
        ALF,
        f"DELETE WHERE {{ <{AL}/gap/9> plan:alignmentSubject ?s }}",
        f"{AL}/gap/9",
        "NoCounterpartRecordShape",
    ),
    (ALF, f"DELETE WHERE {{ <{AL}/gap/10> plan:method ?s }}", f"{AL}/gap/10", "NoCounterpartRecordShape"),
    (ALF, f"DELETE WHERE {{ <{AL}/gap/11> plan:status ?s }}", f"{AL}/gap/11", "NoCounterpartRecordShape"),
    (ALF, f"DELETE WHERE {{ <{AL}/gap/12> plan:targetPlan ?s }}", f"{AL}/gap/12", "NoCounterpartRecordShape"),
    (
        ALF,
        f"DELETE {{ ?r plan:alignmentSubject ?s }} INSERT {{ ?r plan:alignmentSubject <area/phichit> }} WHERE {{ BIND (<{AL}/gap/13> AS ?r) ?r plan:alignmentSubject ?s }}",
        f"{AL}/gap/13",
        "NoCounterpartRecordShape",
    ),
    (
        "anchors",
        "INSERT DATA { <https://w3id.org/planlink/def/example2> a owl:Ontology ; dcterms:title 'Example 2'@en . }",
        "https://w3id.org/planlink/def/example2",
        "OntologyShape",
    ),
    (
        "uthai-thani-2564",
        "DELETE { ?d dcterms:title ?t } WHERE { BIND (<source/synthetic-uthai-thani-2564> AS ?d) ?d dcterms:title ?t FILTER (lang(?t) = 'th') }",
        "source/synthetic-uthai-thani-2564",
        "SourceDocumentShape",
    ),
    (
        LN2,
        f"INSERT DATA {{ <{LN2}/value-chain/2> plan:valueChainOf <{LN2}/mission/3> }}",
        f"{LN2}/value-chain/2",
        "ValueChainLinkShape",
    ),
    # CurationDecisionShape (the decisions `planlink curate` writes beside an alignment file)
    decision(1, "plan:alignmentSubject"),
    decision(2, "plan:alignmentObject"),
    decision(3, "plan:status"),
    decision(4, "plan:method"),
    decision(5, "<http://www.w3.org/ns/prov#wasAttributedTo>"),
    decision(6, "dcterms:created"),
    decision(7, "plan:rationale"),  # a rejection without its reason
    decision(8, add="; plan:rationale 'sans rapport'@fr"),
    decision(9, add="; plan:score 1.5"),
    (
        ALF,
        f"INSERT {{ <{DECISION}/10> a plan:CurationDecision ; plan:alignmentSubject ?s ; plan:alignmentObject ?o ; "
        "plan:status plan:Rejected ; plan:method plan:Curated ; plan:rationale 'ไม่เกี่ยวข้องกัน'@th ; "
        "<http://www.w3.org/ns/prov#wasAttributedTo> <agent/curator/somchai> ; "
        "dcterms:created '2026-12-04'^^<http://www.w3.org/2001/XMLSchema#date> } "
        "WHERE { { SELECT ?s ?o WHERE { ?r a plan:AlignmentRecord ; plan:status plan:Accepted ; "
        "plan:alignmentSubject ?s ; plan:alignmentObject ?o } ORDER BY ?r LIMIT 1 } }",
        f"{DECISION}/10",
        "CurationDecisionShape",
    ),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated tiny data with every fault of FAULTS written into its plan, alignment and area files."""
    out = tmp_path_factory.mktemp("faults")
    generate.generate("tiny", out, seed=6)
    by_file: dict[str, list[str]] = {}
    for stem, update, _focus, _shape in FAULTS:
        by_file.setdefault(stem, []).append(update)
    for stem, updates in by_file.items():
        path = out / "data" / f"{stem}.ttl"
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        for update in updates:
            before = set(store)
            store.update(PREFIXES + update)
            assert set(store) != before, f"this fault changed nothing in {stem}: {update}"
        path.write_bytes(store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()))
    return out


def corpus_triples(folder: Path) -> list[ox.Triple]:
    return [t for p in rdf_files(folder / "data") for t in parse_file(p)]


def test_the_seeded_faults_give_pyshacls_results(corpus: Path) -> None:
    ref, mine = same(corpus_triples(corpus))
    assert mine == ref, f"only pySHACL: {sorted(ref - mine)}\nonly planlink: {sorted(mine - ref)}"


def test_every_seeded_fault_is_reported_by_its_shape(corpus: Path) -> None:
    found = fast(corpus_triples(corpus))
    families = {}
    g = shapes()
    for shape in g.subjects(rdflib.RDF.type, SH.NodeShape):
        families[str(shape)] = {str(shape), *(str(p) for p in g.objects(shape, SH.property))}
    missing = []
    for _stem, update, focus, name in FAULTS:
        iri = focus if focus.startswith("https://") else ID + focus
        family = families[f"https://w3id.org/planlink/def/shapes#{name}"]
        if not any(k[0] == iri and k[2] in family for k in found):
            missing.append(f"{name} at {iri}: {update}")
    assert not missing, "faults nobody reported:\n" + "\n".join(missing)


def test_every_constraint_of_the_shapes_is_seeded_somewhere(corpus: Path) -> None:
    """The corpus holds one of each kind of violation: every property shape and SPARQL constraint of a shape
    that applies to data raises at least one result on it (the ontology meta-shapes included)."""
    found = fast(corpus_triples(corpus))
    store = shacl.data_store(corpus_triples(corpus), shacl.ontology_axioms(ontology()))
    results = shacl.compile_shapes(shapes()).validate(store)
    raised = {str(r.shape) for r in results} | {
        str(r.constraint) for r in results if r.constraint is not None
    }
    g = shapes()
    silent = []
    for shape in g.subjects(rdflib.RDF.type, SH.NodeShape):
        for part in [*g.objects(shape, SH.property), *g.objects(shape, SH.sparql)]:
            if str(part) not in raised:
                message = next((str(m) for m in g.objects(part, SH.message) if m.language == "en"), str(part))
                silent.append(f"{shape}: {message[:90]}")
    assert found
    assert not silent, f"{len(silent)} constraint(s) the corpus never violates:\n" + "\n".join(sorted(silent))


# --- refusals ------------------------------------------------------------------------------------------------------

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize(
    "body, construct",
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
            "sh:uniqueLang",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .",
            "sh:xone",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .",
            "sh:lessThan",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }" ] .',
            "MINUS",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { ?x ?p ?o FILTER (?x = $this) }" ] .',
            "$this",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?a . { ?a ?q ?b FILTER NOT EXISTS { $this ?r ?a } } UNION { ?a ?q ?c FILTER (?a != $this) } }" ] .',
            "$this",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/p> ?a . { $this <https://example.org/q> ?b FILTER (?b != ?a) } }" ] .',
            "?a",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/p> ?a } LIMIT 1" ] .',
            "LIMIT",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:ask "ASK { $this <https://example.org/p> ?a }" ] .',
            "sh:ask",
        ),
    ],
)
def test_an_unsupported_construct_is_refused_naming_shape_and_construct(body: str, construct: str) -> None:
    g = rdflib.Graph().parse(data=HEAD + body, format="turtle")
    with pytest.raises(shacl.Unsupported) as caught:
        shacl.compile_shapes(g)
    assert "https://example.org/S" in caught.value.message
    assert construct in caught.value.message


def test_planlink_validate_refuses_a_shape_it_cannot_evaluate(tmp_path: Path) -> None:
    for folder in ("ontology", "data", "shapes"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ontology" / "plan.ttl").write_bytes((ROOT / "ontology" / "plan.ttl").read_bytes())
    (tmp_path / "data" / "areas.ttl").write_bytes((ROOT / "data" / "areas.ttl").read_bytes())
    (tmp_path / "shapes" / "s.ttl").write_text(
        HEAD + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:equals ex:q .", "utf-8"
    )
    r = subprocess.run(
        [sys.executable, "-m", "planlink.cli", "--root", str(tmp_path), "validate"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2, r.stdout + r.stderr
    assert "https://example.org/S" in r.stderr and "sh:equals" in r.stderr


def test_a_filter_that_sees_a_variable_only_rdflib_passes_in_is_refused() -> None:
    """The form the cluster/province area check had before (issue 11): rdflib evaluates a UNION branch with the
    outer ?area bound, standard SPARQL does not, so the two engines would disagree."""
    g = rdflib.Graph().parse(
        data=HEAD
        + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select
        "SELECT $this ?area WHERE { $this <https://example.org/covers> ?area . { $this a <https://example.org/K> . FILTER NOT EXISTS { ?area a <https://example.org/A> } } UNION { $this a <https://example.org/L> } }" ] .""",
        format="turtle",
    )
    with pytest.raises(shacl.Unsupported, match=r"\?area"):
        shacl.compile_shapes(g)


# --- incremental validation ----------------------------------------------------------------------------------------


def test_after_a_change_to_one_file_only_what_it_reaches_is_validated_again_with_the_full_result(
    tmp_path: Path,
) -> None:
    """With a state folder, each file of the seeded corpus changed alone (then changed back): the incremental
    start validates a few files again, and reports exactly what a full validation of the same files reports."""
    from planlink.readmodels.validation import validate_files, validate_project

    root, state = tmp_path / "project", tmp_path / "state"
    generate.generate("tiny", root, seed=6)
    first = validate_project(root, state)
    assert first.conforms and first.revalidated is None  # the first start validates everything

    def words(vs: list) -> list[tuple[str, ...]]:
        return sorted(
            tuple(
                str(x) for x in (v.focus, v.path, v.shape, v.severity, v.value, v.message, v.graph, v.label)
            )
            for v in vs
        )

    by_file: dict[str, list[str]] = {}
    for stem, update, _focus, _shape in FAULTS:
        by_file.setdefault(stem, []).append(update)
    files = rdf_files(root / "data")
    for stem, updates in by_file.items():
        path = root / "data" / f"{stem}.ttl"
        original = path.read_bytes()
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        for update in updates:
            store.update(PREFIXES + update)
        path.write_bytes(store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()))

        again = validate_project(root, state)
        full = validate_files(files, root)
        assert not full.conforms or full.warnings
        assert again.revalidated is not None and 0 < len(again.revalidated) < len(files), stem
        assert words(again.violations) == words(full.violations), stem
        assert words(again.warnings) == words(full.warnings), stem
        assert again.triples == full.triples

        path.write_bytes(original)
        back = validate_project(root, state)
        assert back.conforms and not back.warnings and back.revalidated, stem
