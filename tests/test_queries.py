"""The curated queries (queries/*.rq): headers, golden answers, the same rows in rdflib's evaluator and in
Oxigraph, the standalone (VALUES) form, parameters bound as values (injection), and the /queries pages.

Golden files: tests/golden/queries/<name>.json, the answer with default parameters (rows sorted, so the order
of tied rows does not matter). After a deliberate change to the data or a query, rewrite them with
``PLANLINK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_queries.py -k golden`` and review the diff.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from planlink.engine.store import to_rdflib_dataset, to_rdflib_term
from planlink.foundation.errors import BadRequest
from planlink.foundation.namespaces import prefixes
from planlink.readmodels import curated
from planlink.readmodels.catalog import PARAM_TYPES, load_catalog

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "queries"
CATALOG = load_catalog(ROOT / "queries")
NAMES = sorted(CATALOG)
INJECTIONS = (
    'x" } ; DROP ALL ; SELECT * { "',
    "<http://evil>",
    "x' } ; CLEAR DEFAULT ; #",
    "\\u0022 } DROP ALL {",
)


def test_there_are_at_least_ten_curated_queries() -> None:
    assert len(NAMES) >= 10


# -- headers and text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_header_has_titles_descriptions_and_typed_params(name: str) -> None:
    q = CATALOG[name]
    assert set(q.title) >= {"th", "en"} and set(q.description) >= {"th", "en"}
    assert re.search(r"[\u0E00-\u0E7F]", q.title["th"] + q.description["th"]), "the Thai title is Thai"
    text = q.text
    for prm in q.params:
        assert prm.type in PARAM_TYPES
        assert prm.default is not None, f"{name}: every parameter has a default, so the query runs as it is"
        assert prm.description
        # pyoxigraph binds a parameter only when the SELECT projects it
        head = text[text.index("SELECT") : text.index("WHERE")]
        assert f"?{prm.name}" in head.split(), f"{name}: parameter ?{prm.name} must be in the SELECT clause"


@pytest.mark.parametrize("name", NAMES)
def test_prefix_lines_are_the_project_prefixes(name: str) -> None:
    declared = dict(re.findall(r"^PREFIX\s+(\w*):\s*<([^>]*)>", CATALOG[name].text, re.MULTILINE))
    assert declared, "each query declares its prefixes, to run on any SPARQL client"
    known = prefixes()
    for p, iri in declared.items():
        assert known.get(p) == iri, f"{name}: PREFIX {p}: <{iri}> differs from namespaces.py"


# -- answers -------------------------------------------------------------------------------------------------


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "bnode", "value": term.value}


def _answer(project, name: str) -> dict:
    table = curated.table(project, name)
    rows = [
        {v: _json_term(t) for v, t in zip(table.variables, row, strict=True) if t is not None}
        for row in table.rows
    ]
    rows.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
    return {
        "query": name,
        "params": {k: _json_term(v) for k, v in table.params.items()},
        "variables": table.variables,
        "rows": rows,
    }


def _golden_text(answer: dict) -> str:
    """JSON with one row per line, so that a change shows as a readable diff."""
    head = {k: v for k, v in answer.items() if k != "rows"}
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in answer["rows"]]
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [\n' + ",\n".join(lines) + "\n]}\n"


@pytest.mark.parametrize("name", NAMES)
def test_golden(project, name: str) -> None:
    got = _answer(project, name)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("PLANLINK_UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_golden_text(got), "utf-8")
        if os.environ.get("PLANLINK_UPDATE_GOLDEN") != "1":
            pytest.fail(f"wrote the missing golden file {path}; review it and run again")
    want = json.loads(path.read_text("utf-8"))
    assert got["variables"] == want["variables"]
    assert len(got["rows"]) == len(want["rows"])
    assert got["rows"] == want["rows"]


@pytest.fixture(scope="module")
def rdflib_dataset(project) -> rdflib.Dataset:
    return to_rdflib_dataset(project.data)


def _multiset(variables: list[str], rows) -> collections.Counter:  # type: ignore[no-untyped-def]
    return collections.Counter(tuple(r) for r in rows)


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_and_oxigraph_return_the_same_rows(project, rdflib_dataset, name: str) -> None:
    """rdflib's own evaluator (the reference) and Oxigraph agree on every curated query, as multisets of rows,
    with the same parameter values (rdflib through initBindings)."""
    q = CATALOG[name]
    subs = q.bindings({}, project.base)
    table = curated.table(project, name)
    ox_rows = [tuple(None if t is None else to_rdflib_term(t) for t in row) for row in table.rows]
    result = rdflib_dataset.query(
        q.text_for(project.base), initBindings={k: to_rdflib_term(v) for k, v in subs.items()}
    )
    assert [str(v) for v in result.vars] == table.variables
    rd_rows = [tuple(row[v] for v in result.vars) for row in result]
    assert _multiset(table.variables, ox_rows) == _multiset(table.variables, rd_rows)


@pytest.mark.parametrize("name", NAMES)
def test_standalone_form_gives_the_same_rows(project, name: str) -> None:
    """The text a person copies (defaults in a VALUES block, no substitution) answers as the service does."""
    q = CATALOG[name]
    want = collections.Counter(curated.table(project, name).rows)
    out = project.query.run(q.runnable_text(project.base), "rows").outcome
    assert collections.Counter(out.rows or []) == want


def test_every_query_answers_something_with_its_defaults(project) -> None:
    empty = [n for n in NAMES if not curated.table(project, n).rows]
    assert not empty


# -- parameters are values -----------------------------------------------------------------------------------


def _triples(project) -> int:
    return len(project.data.store)


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameter_is_a_literal(project, value: str) -> None:
    before = _triples(project)
    table = curated.table(project, "items-containing-word", {"word": value})
    assert table.rows == []
    assert table.params["word"] == ox.Literal(value)
    assert _triples(project) == before


@pytest.mark.parametrize("value", ["not an iri", "<http://evil>", "x> } DROP ALL { <y", 'http://a"b', ""])
def test_iri_parameter_must_be_an_iri(project, value: str) -> None:
    if value == "":  # empty means the default
        assert curated.table(project, "plan-items", {"plan": value}).rows
        return
    with pytest.raises(BadRequest):
        curated.table(project, "plan-items", {"plan": value})


def test_integer_parameter_is_checked(project) -> None:
    rows = curated.rows(project, "guidelines-serving-several-issues", {"min": "1"})
    assert len({r["guideline"].value for r in rows}) > 2
    with pytest.raises(BadRequest):
        curated.table(project, "guidelines-serving-several-issues", {"min": "two"})


def test_unknown_parameter_is_refused(project) -> None:
    with pytest.raises(BadRequest, match="unknown parameter"):
        curated.table(project, "plan-items", {"plans": "x"})


def test_swapped_parameters_give_the_reverse_gaps(project) -> None:
    ns, ln1 = project.base + "id/nakhon-sawan-2564", project.base + "id/lower-north-1"
    rows = curated.rows(project, "items-without-counterpart", {"plan": ns, "other": ln1, "lang": "en"})
    stated = {r["item"].value for r in rows if r["statedGap"].value == "true"}
    assert stated == {ns + "/indicator/4", ns + "/issue/4/guideline/1"}
    assert all("reason" in r for r in rows if r["statedGap"].value == "true")
    cluster = curated.rows(project, "items-without-counterpart")
    assert all(r["item"].value.startswith(ln1 + "/") for r in cluster)
    # every cluster item left without a link is a stated gap, with its reason
    assert len(cluster) == 10 and all(r["statedGap"].value == "true" and "reason" in r for r in cluster)


def test_nakhon_sawan_is_in_cluster_2(project) -> None:
    rows = curated.rows(project, "cluster-of-province", {"lang": "en"})
    assert {r["cluster"].value for r in rows} == {project.base + "id/area/lower-north-2"}
    assert project.base + "id/area/nakhon-sawan" in {r["member"].value for r in rows}
    areas = curated.rows(project, "plan-areas", {"lang": "en"})
    cluster_plan = [r for r in areas if r["plan"].value.endswith("/id/lower-north-1")]
    assert len(cluster_plan) == 5
    assert project.base + "id/area/nakhon-sawan" not in {r["province"].value for r in cluster_plan}


# -- the web ---------------------------------------------------------------------------------------------------


def test_list_page_in_both_languages(client) -> None:
    for lang, title in (("th", "คำค้นสำเร็จรูป"), ("en", "Curated queries")):
        r = client.get(f"/queries?lang={lang}")
        assert r.status_code == 200 and r.mimetype == "text/html"
        html = r.get_data(as_text=True)
        assert title in html
        for name in NAMES:
            assert f'href="/queries/{name}.csv' in html and f'href="/queries/{name}.json' in html
            assert CATALOG[name].title[lang] in html.replace("&#39;", "'").replace("&amp;", "&")
        assert html.count('href="/sparql#query=') == len(NAMES)
    listing = client.get("/queries.json").get_json()
    assert [q["name"] for q in listing["queries"]] == NAMES


def test_sparql_link_carries_the_runnable_text(client) -> None:
    from urllib.parse import parse_qs, unquote, urlparse

    listing = client.get("/queries.json?lang=en").get_json()["queries"]
    link = next(q["sparql"] for q in listing if q["name"] == "plan-items")
    fragment = parse_qs(urlparse(link).fragment)
    assert "VALUES" in fragment["query"][0] and "plan:inPlan" in unquote(fragment["query"][0])


def test_html_table_links_items_and_shows_labels(client) -> None:
    r = client.get("/queries/alignment-matrix?lang=en")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'href="/id/nakhon-sawan-2564/issue/1/guideline/3' in html
    assert "Upgrading agriculture to organic farming" in html  # a label, not the IRI, in the cell
    assert '<th scope="col">subjectLabel</th>' not in html  # folded into the subject column
    assert html.count("<tr>") - 1 == 102


def test_csv_and_json_by_suffix_accept_and_format(client) -> None:
    for url, headers in (
        ("/queries/shared-indicators.csv", {}),
        ("/queries/shared-indicators", {"Accept": "text/csv"}),
        ("/queries/shared-indicators?format=csv", {"Accept": "application/json"}),
    ):
        r = client.get(url, headers=headers)
        assert r.status_code == 200 and r.mimetype == "text/csv", url
        rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
        assert len(rows) == 12 and rows[0]["sourceIndicator"].endswith("/nakhon-sawan-2564/indicator/1")
    for url, headers in (
        ("/queries/shared-indicators.json", {}),
        ("/queries/shared-indicators", {"Accept": "application/sparql-results+json"}),
    ):
        r = client.get(url, headers=headers)
        assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
        assert len(r.get_json()["results"]["bindings"]) == 12


def test_parameters_from_the_query_string(client) -> None:
    r = client.get("/queries/items-containing-word.json?word=TOURISM&lang=en")
    labels = [b["label"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert labels and all(b["label"]["xml:lang"] == "en" for b in r.get_json()["results"]["bindings"])
    assert any("tourism" in x.lower() for x in labels)


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_the_web_is_harmless(client, project, value: str) -> None:
    before = _triples(project)
    r = client.get("/queries/items-containing-word.json", query_string={"word": value})
    assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []
    r = client.get("/queries/items-containing-word", query_string={"word": value, "lang": "en"})
    assert r.status_code == 200
    assert "<http://evil>" not in r.get_data(as_text=True)  # shown escaped in the form
    assert _triples(project) == before


def test_bad_parameters_are_400(client) -> None:
    assert client.get("/queries/plan-items?plan=nakhon-sawan").status_code == 400
    assert client.get("/queries/plan-items?plan=%3Chttp://evil%3E").status_code == 400
    assert client.get("/queries/plan-items.json?planet=x").status_code == 400
    assert client.get("/queries/plan-items.json?lang=th&lang=en").status_code == 400
    assert client.get("/queries/guidelines-serving-several-issues.csv?min=2.5").status_code == 400
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/plan-items.docx").status_code == 406


def test_etag_and_304(client) -> None:
    for url in ("/queries/plan-items.csv", "/queries/plan-items?lang=en", "/queries"):
        r = client.get(url)
        etag = r.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
    assert (
        client.get("/queries/plan-items?lang=en").headers["ETag"]
        != client.get("/queries/plan-items?lang=th").headers["ETag"]
    )


def test_cli_query(tmp_path) -> None:
    from click.testing import CliRunner
    from planlink.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["query", "coverage-by-level", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["results"]["bindings"]
    out = runner.invoke(main, ["query", "items-containing-word", "-p", "word=GPP", "-p", "lang=en"])
    assert out.exit_code == 0 and "GPP" in out.stdout
    lines = out.stdout.splitlines()
    assert lines[1].startswith("----") and len(lines) == 3
    out = runner.invoke(main, ["query", "plan-items", "--format", "csv", "-p", "lang=en"])
    assert next(iter(csv.DictReader(io.StringIO(out.stdout))))["plan"].endswith("/nakhon-sawan-2564")
    assert runner.invoke(main, ["query", "plan-items", "-p", "plan=bad"]).exit_code == 2
    assert runner.invoke(main, ["query", "nope"]).exit_code != 0


def test_under_another_base(tmp_path) -> None:
    """Deployed under another base, the data moves and so do the queries' IRIs and parameter defaults."""
    from planlink.foundation.settings import load_settings
    from planlink.project import open_project
    from planlink.readmodels import alignment

    base = "http://plans.example.org/"
    other = open_project(
        load_settings(
            {
                "root": str(ROOT),
                "base_iri": base,
                "validate_on_start": False,
                "access_log": False,
                "state_dir": str(tmp_path),
            }
        )
    )
    try:
        table = curated.table(other, "coverage-by-level")
        assert table.params["target"] == ox.NamedNode(base + "id/lower-north-1")
        assert len(table.rows) == len(
            json.loads((GOLDEN / "coverage-by-level.json").read_text("utf-8"))["rows"]
        )
        assert CATALOG["plan-items"].runnable_text(base).count(base) >= 2
        report = alignment.build(other, lang="en")
        assert report.headline()["coverage"]["indicators"]["total"] == 40 and len(report.links) == 102
    finally:
        other.close()


def test_a_parameter_outside_the_select_list_is_refused_at_load(tmp_path):
    from planlink.foundation.errors import BadRequest
    from planlink.readmodels.catalog import parse_query_file

    bad = tmp_path / "bad-param.rq"
    bad.write_text(
        "# title@en: t\n# param: plan iri https://w3id.org/planlink/id/lower-north-1 the plan\n"
        "SELECT ?item WHERE { ?item <https://w3id.org/planlink/def/plan#inPlan> ?plan }\n",
        "utf-8",
    )
    with pytest.raises(BadRequest, match=r"\?plan must be in the SELECT list"):
        parse_query_file(bad)
    good = tmp_path / "good-param.rq"
    good.write_text(bad.read_text("utf-8").replace("SELECT ?item", "SELECT ?plan ?item"), "utf-8")
    assert [p.name for p in parse_query_file(good).params] == ["plan"]


def test_a_curated_page_names_its_parameters_in_the_page_language(client) -> None:
    thai = client.get("/queries/coverage-by-level?lang=th").get_data(as_text=True)
    english = client.get("/queries/coverage-by-level?lang=en").get_data(as_text=True)
    assert "<label>แผนต้นทาง" in thai and "<label>แผนปลายทาง" in thai
    assert "<label>Source plan" in english and "<code>?source</code>" in english
