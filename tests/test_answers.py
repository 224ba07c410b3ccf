"""SELECT answers written by pyoxigraph's own writers (engine/answers.native_solutions) say what planlink's
Python writers (which still write the answers of a remote Virtuoso, and the rows of curated pages) say, term
for term, and the row cap still cuts them and says so."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from planlink.engine.answers import WRITERS, write_answer
from planlink.engine.backend import Request

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def _iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    objects: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = [
        _iri("o"),
        ox.BlankNode("b0"),
        ox.Literal('two\nlines,\ta tab, "quotes", a \\ and ท่องเที่ยว'),
        ox.Literal("ยุทธศาสตร์", language="th"),
        ox.Literal("12345678901234567890", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("not a number", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("NaN", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("x", datatype=_iri("datatype")),
        ox.Literal(""),
        ox.Triple(_iri("a"), _iri("b"), ox.Literal("c")),
    ]
    for i, o in enumerate(objects):
        s.add(ox.Quad(_iri(f"s{i:02}"), _iri("p"), o))
    for i in range(2500):  # enough rows for several of the writer's chunks
        s.add(
            ox.Quad(
                _iri(f"many/{i:05}"), _iri("n"), ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))
            )
        )
    return s


TRICKY = f"SELECT ?s ?o ?none WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}nothing> ?none }} }} ORDER BY ?s"
MANY = f"SELECT ?s ?n WHERE {{ ?s <{EX}n> ?n }} ORDER BY ?s"


def _python_rows(store: ox.Store, text: str, cap: int) -> tuple[list[str], list[tuple], bool]:
    answer = store.query(text)
    variables = [v.value for v in answer.variables]
    rows = [tuple(s[v] for v in variables) for s in answer]
    return variables, rows[:cap], len(rows) > cap


def _solutions(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple]:
    answer = ox.parse_query_results(body, format=fmt)
    return [tuple(s[v] for v in answer.variables) for s in answer]


@pytest.mark.parametrize(
    "text", [TRICKY, MANY, "SELECT * WHERE { }", f"SELECT ?x WHERE {{ ?x <{EX}none> ?y }}"]
)
@pytest.mark.parametrize("cap", [1, 11, 12, 13, 2499, 2500, 10000])
def test_native_answers_are_the_python_writers_answers(store: ox.Store, text: str, cap: int) -> None:
    variables, rows, cut = _python_rows(store, text, cap)
    for output in ("json", "xml", "csv", "tsv"):
        out = write_answer(store.query(text), Request(text, output, cap))
        assert (out.count, out.truncated, out.variables) == (len(rows), cut, variables), output
        python = WRITERS[output][0](variables, rows, cut)
        if output == "json":
            assert json.loads(out.body) == json.loads(python)
        elif output == "csv":  # CSV is lossy (no types): the same cells, but for a triple term, which CSV
            # has no one form for (pyoxigraph writes its three values, planlink's writer its N-Triples)
            native_cells = list(csv.reader(io.StringIO(out.body.decode())))
            python_cells = list(csv.reader(io.StringIO(python.decode())))
            triple = '<http://example.org/a> <http://example.org/b> "c"'
            assert [
                [c for c in r if c != "http://example.org/a http://example.org/b c"] for r in native_cells
            ] == [[c for c in r if c != triple] for r in python_cells]
        else:
            fmt = ox.QueryResultsFormat.TSV if output == "tsv" else ox.QueryResultsFormat.XML
            assert _solutions(out.body, fmt) == _solutions(python, fmt) == rows, output


def test_a_cut_answer_carries_the_truncation_link(store: ox.Store) -> None:
    out = write_answer(store.query(MANY), Request(MANY, "json", 100))
    doc = json.loads(out.body)
    assert doc["head"] == {"vars": ["s", "n"], "link": ["urn:planlink:truncated"]}
    assert len(doc["results"]["bindings"]) == 100 and out.truncated
    assert doc["results"]["bindings"][-1]["n"]["value"] == "99"  # the first 100 rows, in the query's order
    out = write_answer(store.query(MANY), Request(MANY, "xml", 100))
    head = ET.fromstring(out.body).find(f"{RESULTS}head")
    assert head is not None
    assert [(e.tag[len(RESULTS) :], e.get("name") or e.get("href")) for e in head] == [
        ("variable", "s"),
        ("variable", "n"),
        ("link", "urn:planlink:truncated"),
    ]
    whole = write_answer(store.query(MANY), Request(MANY, "json", 2500))
    assert "link" not in json.loads(whole.body)["head"] and not whole.truncated


def test_the_cap_bounds_what_is_kept_of_a_long_answer(store: ox.Store) -> None:
    """The writer is stopped once the cap is passed: a cut answer costs the cap, not the whole answer."""
    out = write_answer(store.query(MANY), Request(MANY, "tsv", 3))
    assert out.body.decode().splitlines() == [
        "?s\t?n",
        f"<{EX}many/00000>\t0",
        f"<{EX}many/00001>\t1",
        f"<{EX}many/00002>\t2",
    ]
