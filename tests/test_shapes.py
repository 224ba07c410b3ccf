"""The SHACL shapes in shapes/: every named shape has a passing and a failing example.

Each named shape (an IRI typed sh:NodeShape or sh:PropertyShape in shapes/*.ttl) must have
tests/shapes/<ShapeLocalName>/pass.ttl and fail.ttl. Examples are validated exactly as the validation
module validates data: all shapes, the ontology as ont_graph, no inference, advanced mode.

- pass.ttl: no sh:Violation at all, and no result of any severity from the shape under test;
- fail.ttl: at least one result from the shape under test (the shape itself or a property shape reached
  from it by sh:property), and no result from any other shape, so the example fails on that shape alone.

The ontology itself must conform to shapes/ontology-shapes.ttl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
EXAMPLES_DIR = ROOT / "tests" / "shapes"
ONTOLOGY_FILE = ROOT / "ontology" / "plan.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PLAN = Namespace("https://w3id.org/planlink/def/plan#")
SHP = Namespace("https://w3id.org/planlink/def/shapes#")


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def named_shapes() -> list[URIRef]:
    rows = shapes_graph().query(
        """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT DISTINCT ?shape WHERE {
            VALUES ?kind { sh:NodeShape sh:PropertyShape }
            ?shape a ?kind .
            FILTER isIRI(?shape)
        }
        ORDER BY ?shape
        """
    )
    return [URIRef(str(row[0])) for row in rows]  # type: ignore[index]


def local_name(shape: URIRef) -> str:
    text = str(shape)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


def shape_family(shape: URIRef) -> set[Node]:
    """The shape and every property shape reached from it through sh:property (at any depth)."""
    graph = shapes_graph()
    family: set[Node] = {shape}
    todo: list[Node] = [shape]
    while todo:
        node = todo.pop()
        for prop in graph.objects(node, SH.property):
            if prop not in family:
                family.add(prop)
                todo.append(prop)
    return family


@dataclass(frozen=True)
class Result:
    source_shape: Node | None
    severity: Node | None
    focus_node: Node | None
    messages: tuple[str, ...]

    def describe(self) -> str:
        owner = local_name(self.source_shape) if isinstance(self.source_shape, URIRef) else "a property shape"
        owner_of = owning_shape(self.source_shape)
        where = f"{owner} of {local_name(owner_of)}" if owner_of is not None else owner
        message = next(iter(self.messages), "")
        return f"[{local_name(URIRef(str(self.severity)))}] {where}: {self.focus_node} - {message}"


def owning_shape(node: Node | None) -> URIRef | None:
    for shape in named_shapes():
        if node in shape_family(shape):
            return shape
    return None


def run_validation(data: Graph, shacl: Graph | None = None) -> list[Result]:
    """Validate as the project's validation module does, and return the parsed results."""
    _conforms, report, _text = validate(
        data,
        shacl_graph=shapes_graph() if shacl is None else shacl,
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        meta_shacl=False,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            Result(
                source_shape=report.value(result, SH.sourceShape),
                severity=report.value(result, SH.resultSeverity),
                focus_node=report.value(result, SH.focusNode),
                messages=tuple(str(m) for m in report.objects(result, SH.resultMessage)),
            )
        )
    return results


def load_example(shape: URIRef, kind: str) -> Graph:
    return Graph().parse(EXAMPLES_DIR / local_name(shape) / f"{kind}.ttl", format="turtle")


SHAPES = named_shapes()
IDS = [local_name(s) for s in SHAPES]


def test_shapes_are_found() -> None:
    assert len(SHAPES) >= 10
    assert SHP.PlanItemShape in SHAPES
    assert SHP.AlignmentRecordShape in SHAPES


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_shape_has_examples(shape: URIRef) -> None:
    folder = EXAMPLES_DIR / local_name(shape)
    assert (folder / "pass.ttl").is_file(), f"missing {folder / 'pass.ttl'}"
    assert (folder / "fail.ttl").is_file(), f"missing {folder / 'fail.ttl'}"


def test_no_examples_without_a_shape() -> None:
    names = set(IDS)
    orphans = sorted(p.name for p in EXAMPLES_DIR.iterdir() if p.is_dir() and p.name not in names)
    assert not orphans, f"example folders with no shape of that name: {orphans}"


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_pass_example_conforms(shape: URIRef) -> None:
    results = run_validation(load_example(shape, "pass"))
    violations = [r for r in results if r.severity == SH.Violation]
    assert not violations, "pass.ttl has violations:\n" + "\n".join(r.describe() for r in violations)
    family = shape_family(shape)
    own = [r for r in results if r.source_shape in family]
    assert not own, "pass.ttl has results from its own shape:\n" + "\n".join(r.describe() for r in own)


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_fail_example_fails_on_its_shape(shape: URIRef) -> None:
    results = run_validation(load_example(shape, "fail"))
    family = shape_family(shape)
    own = [r for r in results if r.source_shape in family]
    others = [r for r in results if r.source_shape not in family]
    assert own, "fail.ttl raised nothing from its shape; it raised:\n" + "\n".join(
        r.describe() for r in results
    )
    assert not others, "fail.ttl also fails on other shapes:\n" + "\n".join(r.describe() for r in others)


def test_every_shape_and_constraint_speaks_thai_and_english() -> None:
    """Named shapes have labels (th, en) and a comment; every property shape and SPARQL constraint has
    an sh:message in English and in Thai."""
    graph = shapes_graph()
    problems = []
    for shape in SHAPES:
        label_langs = {lit.language for lit in graph.objects(shape, RDFS.label) if isinstance(lit, Literal)}
        if not {"th", "en"} <= label_langs:
            problems.append(f"{local_name(shape)}: rdfs:label needs @th and @en")
        if graph.value(shape, RDFS.comment) is None:
            problems.append(f"{local_name(shape)}: no rdfs:comment")
        carriers = [p for p in shape_family(shape) if p != shape]
        carriers += list(graph.objects(shape, SH.sparql))
        for carrier in carriers:
            langs = sorted(
                lit.language or "" for lit in graph.objects(carrier, SH.message) if isinstance(lit, Literal)
            )
            if langs != ["en", "th"]:
                path = graph.value(carrier, SH.path)
                problems.append(
                    f"{local_name(shape)}: constraint on {path} has messages {langs}, not one en and one th"
                )
    assert not problems, "\n".join(problems)


THAI = re.compile("[\u0e00-\u0e7f]")


def test_sparql_messages_can_be_told_apart_by_script() -> None:
    """pySHACL drops the language tags of SPARQL-constraint messages when it fills in {?var}, so a reader
    must tell Thai from English by script: English ones carry no Thai letter, Thai ones start with one."""
    graph = shapes_graph()
    problems = []
    for constraint in set(graph.objects(None, SH.sparql)):
        for message in graph.objects(constraint, SH.message):
            assert isinstance(message, Literal)
            if message.language == "en" and THAI.search(message):
                problems.append(f"English message with Thai letters: {message}")
            if message.language == "th" and not THAI.match(message):
                problems.append(f"Thai message not starting with a Thai letter: {message}")
    assert not problems, "\n".join(problems)


def test_shapes_graph_is_valid_shacl() -> None:
    conforms, _report, text = validate(
        Graph(), shacl_graph=shapes_graph(), meta_shacl=True, advanced=True, allow_warnings=True
    )
    assert conforms, text


def test_ontology_conforms_to_ontology_shapes() -> None:
    shacl = Graph().parse(SHAPES_DIR / "ontology-shapes.ttl", format="turtle")
    conforms, _report, text = validate(
        ontology_graph(), shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
    )
    assert conforms, text


def test_ontology_shapes_really_check_the_ontology() -> None:
    """Not vacuous: take a Thai definition and the licence away and the ontology fails on them."""
    shacl = Graph().parse(SHAPES_DIR / "ontology-shapes.ttl", format="turtle")
    broken = Graph()
    for triple in ontology_graph():
        broken.add(triple)
    broken.remove((PLAN.Goal, SKOS.definition, Literal("ผลลัพธ์ที่ประเด็นการพัฒนาตั้งไว้ให้บรรลุ", lang="th")))
    broken.remove((None, DCTERMS.license, None))
    _conforms, report, _text = validate(
        broken, shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
    )
    focus = {report.value(r, SH.focusNode) for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert focus == {PLAN.Goal, URIRef("https://w3id.org/planlink/def/plan")}


def test_ontology_shapes_stay_quiet_in_data_validation() -> None:
    """With the ontology passed as ont_graph, pyshacl copies only part of it into the data graph; the
    meta-shapes must not fire on that copy."""
    assert run_validation(Graph()) == []


SPELLING_CASES = [
    ("พื้นที่ปุาไม้", True),
    ("ผู้ปุวยติดเตียง", True),
    ("การบริหารจัดการน้้ำ", True),
    ("ส่งเสริมการจาหน่ายสินค้า", True),
    ("การดาเนินงาน", True),
    ("ตามแนวพระราชดาริ", True),
    ("ทาให้เกิดรายได้", True),
    ("โดยนาแนวพระราชดำริมาใช้", True),
    ("พื้นที่ป่าไม้", False),
    ("การบริหารจัดการน้ำ", False),
    ("ลดการใช้ปุ๋ยเคมี", False),
    ("การพัฒนาแนวทางใหม่", False),
    ("ส่งเสริมการจำหน่าย การดำเนินงาน ตามแนวพระราชดำริ ทำให้ นำแนวคิด", False),
    ("Forest area", False),
]


@pytest.mark.parametrize("text,damaged", SPELLING_CASES, ids=[c[0] for c in SPELLING_CASES])
def test_thai_spelling_patterns(text: str, damaged: bool) -> None:
    data = Graph()
    data.add((URIRef("https://w3id.org/planlink/id/x"), RDFS.label, Literal(text, lang="th")))
    family = shape_family(SHP.ThaiLabelSpellingShape)
    hits = [r for r in run_validation(data) if r.source_shape in family]
    assert bool(hits) == damaged
