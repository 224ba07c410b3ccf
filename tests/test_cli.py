"""`planlink validate`, `stats` and `export` as a user runs them (a real process, exit codes, output)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
NS_FILE = ROOT / "data" / "nakhon-sawan-2564.ttl"
SUPPORT = [ROOT / "data" / "areas.ttl"]


def planlink(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planlink.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_validate_shipped_data_exits_0():
    r = planlink("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "conforms" in r.stdout.splitlines()[0]


def test_validate_reports_a_missing_label_with_exit_1(tmp_path):
    # Drop the English label of guideline 1.4 and validate the file (with the areas it points to).
    g = rdflib.Graph().parse(NS_FILE)
    item = rdflib.URIRef("https://w3id.org/planlink/id/nakhon-sawan-2564/issue/1/guideline/4")
    en = [o for o in g.objects(item, rdflib.SKOS.prefLabel) if o.language == "en"]
    assert en
    g.remove((item, rdflib.SKOS.prefLabel, en[0]))
    broken = tmp_path / "nakhon-sawan-2564.ttl"
    g.serialize(broken, format="turtle")
    r = planlink("validate", str(broken), *map(str, SUPPORT), "--format", "json")
    assert r.returncode == 1, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert not report["conforms"]
    hits = [v for v in report["violations"] if v["focus"] == str(item)]
    assert hits and any("prefLabel" in (v["path"] or "") for v in hits)
    text = planlink("validate", str(broken), *map(str, SUPPORT))
    assert text.returncode == 1 and str(item) in text.stdout


def test_validate_syntax_error_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:b "ok" .\nex:c ex:d "unterminated .\n', "utf-8"
    )
    r = planlink("validate", str(bad))
    assert r.returncode == 2
    assert f"{bad}:3" in r.stderr


def test_validate_missing_file_exits_2(tmp_path):
    r = planlink("validate", str(tmp_path / "nope.ttl"))
    assert r.returncode == 2 and "nope.ttl" in r.stderr


def test_validate_writes_nothing(tmp_path):
    before = sorted(
        p
        for p in ROOT.rglob("*")
        if ".git" not in p.parts
        and ".venv" not in p.parts
        and "__pycache__" not in p.parts
        and "node_modules" not in p.parts
        and ".pytest_cache" not in p.parts
    )
    planlink("validate")
    after = sorted(
        p
        for p in ROOT.rglob("*")
        if ".git" not in p.parts
        and ".venv" not in p.parts
        and "__pycache__" not in p.parts
        and "node_modules" not in p.parts
        and ".pytest_cache" not in p.parts
    )
    assert before == after


def test_stats_json_counts(project):
    r = planlink("stats", "--format", "json")
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    plans = {p["iri"]: p for p in stats["plans"]}
    ln1 = plans["https://w3id.org/planlink/id/lower-north-1"]
    assert (
        ln1["items"]["Goal"] == 19 and ln1["plan_indicators"] == 15 and ln1["issue_indicator_entries"] == 40
    )
    ns = plans["https://w3id.org/planlink/id/nakhon-sawan-2564"]
    assert ns["items"]["Guideline"] == 16 and ns["plan_indicators"] == 4
    assert stats["totalTriples"] == project.data.total_triples


@pytest.mark.parametrize(
    "fmt,oxfmt",
    [("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS), ("jsonld", ox.RdfFormat.JSON_LD)],
)
def test_export_dataset_formats_hold_every_graph(tmp_path, project, fmt, oxfmt):
    out = tmp_path / f"dump.{fmt}"
    r = planlink("export", "--format", fmt, "-o", str(out))
    assert r.returncode == 0, r.stderr
    quads = list(ox.parse(path=str(out), format=oxfmt))
    assert len(quads) == project.data.total_triples
    per_graph: dict[str, int] = {}
    for q in quads:
        per_graph[q.graph_name.value] = per_graph.get(q.graph_name.value, 0) + 1
    assert per_graph == project.data.triples_per_graph


def test_export_turtle_is_the_union(project):
    r = subprocess.run(
        [sys.executable, "-m", "planlink.cli", "export", "--format", "turtle"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        timeout=300,
    )
    assert r.returncode == 0
    g = rdflib.Graph().parse(data=r.stdout.decode("utf-8"), format="turtle")
    union = rdflib.Graph()
    for f in project.files:
        union += rdflib.Graph().parse(f.path)
    assert len(g) == len(union)


def test_a_folder_that_is_not_a_project_is_named_with_exit_2(tmp_path) -> None:
    """Started outside a project (the root defaults to the working folder), every command says so plainly."""
    for args in (["stats"], ["validate"], ["query", "plan-items"]):
        done = subprocess.run(
            [sys.executable, "-m", "planlink.cli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert "is not a planlink project folder" in done.stderr and "Traceback" not in done.stderr
