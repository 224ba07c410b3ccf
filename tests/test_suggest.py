"""Suggested links (planlink suggest): runs on the real data, writes parseable Turtle of computed, proposed
records that conform to the alignment shapes and carry no SKOS triple, reports precision and recall in [0, 1],
and cuts Thai words with PyThaiNLP's bundled dictionary, never downloading anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from planlink.foundation.errors import BadRequest
from planlink.readmodels import suggest
from planlink.readmodels.validation import validate_files

ROOT = Path(__file__).resolve().parents[1]
PLAN = "https://w3id.org/planlink/def/plan#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NS = "https://w3id.org/planlink/id/nakhon-sawan-2564"
LN1 = "https://w3id.org/planlink/id/lower-north-1"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, str]:
    from click.testing import CliRunner
    from planlink.cli import main

    out = tmp_path_factory.mktemp("suggest") / "suggested-nakhon-sawan-2564--lower-north-1.ttl"
    result = CliRunner().invoke(main, ["suggest", "-k", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.stdout


def _graph(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_writes_computed_proposed_records(written) -> None:
    path, _ = written
    store = _graph(path)
    records = [
        q.subject
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(PLAN + "AlignmentRecord"),
        )
    ]
    assert 0 < len(records) <= 29 * 3

    def one(rec, pred: str):  # type: ignore[no-untyped-def]
        values = [q.object for q in store.quads_for_pattern(rec, ox.NamedNode(PLAN + pred), None)]
        assert len(values) == 1, (rec, pred)
        return values[0]

    for rec in records:
        assert one(rec, "method") == ox.NamedNode(PLAN + "Computed")
        assert one(rec, "status") == ox.NamedNode(PLAN + "Proposed")
        assert one(rec, "alignmentSubject").value.startswith(NS + "/")
        assert one(rec, "alignmentObject").value.startswith(LN1 + "/")
        score = one(rec, "score")
        assert score.datatype.value.endswith("#decimal") and 0 <= float(score.value) <= 1
        langs = {
            q.object.language for q in store.quads_for_pattern(rec, ox.NamedNode(PLAN + "rationale"), None)
        }
        assert langs == {"th", "en"}
    skos = [q for q in store if q.predicate.value.startswith(SKOS) and q.predicate.value.endswith("Match")]
    assert skos == [], "a computed suggestion asserts no plain SKOS triple"


def test_kept_out_of_the_curated_data(project, written) -> None:
    path, _ = written
    assert ROOT / "data" not in path.parents
    assert suggest.default_output(project, NS, LN1).parent == Path(project.settings.state_dir)
    assert "data" not in suggest.default_output(project, NS, LN1).parts[-2:]


def test_conforms_to_the_alignment_shapes(written) -> None:
    path, _ = written
    data = ROOT / "data"
    report = validate_files(
        [
            path,
            data / "nakhon-sawan-2564.ttl",
            data / "lower-north-1.ttl",
            data / "alignment-nakhon-sawan-2564--lower-north-1.ttl",
        ],
        ROOT,
    )
    assert report.conforms, [(v.focus, v.message) for v in report.violations]
    about_suggestions = [w for w in report.warnings if "/id/suggestion/" in w.focus]
    assert about_suggestions == []


def test_prints_precision_and_recall_in_range(written) -> None:
    _, stdout = written
    line = next(x for x in stdout.splitlines() if x.startswith("precision@3"))
    figures = dict(part.split(" = ") for part in line.split("  ")[:2])
    assert 0 <= float(figures["precision@3"]) <= 1 and 0 <= float(figures["recall@3"]) <= 1


def test_evaluation_against_the_curated_links(project) -> None:
    found, ev, src, tgt = suggest.run(project, k=3)
    assert (src, tgt) == (NS, LN1)
    assert ev.curated == 102 and ev.suggestions == 29 * 3 and 0 < ev.hits <= ev.suggestions
    # What is proposed is the ranking less the decided pairs (here: the curated links, nothing rejected yet).
    assert len(found) == ev.suggestions - ev.hits
    assert 0 <= ev.precision <= 1 and 0 <= ev.recall <= 1
    assert ev.recall == ev.hits / ev.curated
    one = suggest.run(project, k=1)[1]
    five = suggest.run(project, k=5)[1]
    assert one.recall <= ev.recall <= five.recall  # more suggestions find more of the curated links
    assert all(0 <= x.score <= 1 for x in found)
    with pytest.raises(BadRequest):
        suggest.run(project, "nowhere", None, 3)


def test_thai_words_and_shared_words() -> None:
    assert "ท่องเที่ยว" in suggest.words("ส่งเสริมการท่องเที่ยว เชิงนิเวศ") or "การท่องเที่ยว" in suggest.words(
        "ส่งเสริมการท่องเที่ยว เชิงนิเวศ"
    )
    assert "และ" not in suggest.words("เกษตรและอาหาร")  # a stop word
    a = suggest.Text("a", "Goal", "1", "พัฒนาการท่องเที่ยวเชิงสุขภาพ", "")
    b = suggest.Text("b", "Goal", "2", "ท่องเที่ยวเชิงสุขภาพและนิเวศ", "")
    c = suggest.Text("c", "Goal", "3", "การจัดการขยะมูลฝอย", "")
    found = suggest.suggest([a], [b, c], k=1)
    assert [x.object.iri for x in found] == ["b"] and found[0].shared


def test_no_download_is_attempted(tmp_path) -> None:
    """Word cutting and stop words come with the PyThaiNLP package: with the network refused and an empty data
    folder, they work, and nothing is fetched into the folder."""
    data = tmp_path / "pythainlp-data"
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network refused by the test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from planlink.readmodels import suggest\n"
        "w = suggest.words('พัฒนาแหล่งท่องเที่ยวและการจัดการท่องเที่ยวที่หลากหลาย')\n"
        "assert w and 'และ' not in w, w\n"
        "print(len(w))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHAINLP_DATA_DIR",)}
    env["PYTHAINLP_DATA"] = str(data)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    fetched = [p for p in data.rglob("*") if p.is_file()] if data.exists() else []
    assert fetched == []


def test_structural_levers_raise_the_figures(project) -> None:
    """Each lever measured against text alone; all three together do better than text alone on both figures."""
    text = suggest.run(project, k=3, levers=suggest.TEXT_ONLY, exclude=set())[1]
    full = suggest.run(project, k=3, exclude=set())[1]
    assert full.hits > text.hits and full.precision > text.precision and full.recall > text.recall
    for lever in ("kinds", "anchors", "parents"):
        alone = suggest.Levers(**{n: n == lever for n in ("kinds", "anchors", "parents")})
        assert suggest.run(project, k=3, levers=alone, exclude=set())[1].hits > text.hits, lever


def test_levers_never_read_the_items_own_links() -> None:
    """Leave-one-out: a source item's own curated links change neither its kinds factor nor its parents signal."""
    issue = suggest.Text("ns/issue/1", "DevelopmentIssue", "1", "", "")
    g = suggest.Text(
        "ns/issue/1/guideline/1", "Guideline", "1.1", "", "", ("ns/issue/1",), frozenset({"ns/issue/1"})
    )
    goal = suggest.Text("c/issue/2/goal/1", "Goal", "2.1", "", "", ("c/issue/2",), frozenset({"c/issue/2"}))
    ind = suggest.Text("c/indicator/9", "Indicator", "9", "", "")
    kinds = {x.iri: x.kind for x in (issue, g, goal, ind)}
    own = {(g.iri, goal.iri)}
    assert suggest.kind_factor(g, ind, own, kinds) == 1.0  # no other guideline is linked: no preference
    assert suggest.parent_signal(g, goal, own, {}) == 0.0
    other = suggest.Text("ns/issue/1/guideline/2", "Guideline", "1.2", "", "")
    kinds[other.iri] = "Guideline"
    links = own | {(other.iri, goal.iri), (issue.iri, "c/issue/2")}
    assert suggest.kind_factor(g, goal, links, kinds) == 1.0
    assert suggest.kind_factor(g, ind, links, kinds) == suggest.KIND_FLOOR
    assert suggest.parent_signal(g, goal, links, {}) == 1.0  # its issue is linked to the goal's issue


def test_decided_pairs_are_never_proposed(project) -> None:
    decided = suggest.decided_pairs(project, NS, LN1)
    assert len(decided) == 102  # the shipped data: every curated link is accepted, nothing rejected yet
    found, ev, _, _ = suggest.run(project, k=3)
    assert found and not {(x.subject.iri, x.object.iri) for x in found} & decided
    assert ev.hits > 0  # the evaluation still ranks every pair
