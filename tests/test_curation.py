"""Curating links (planlink curate, issue 13): the model writes each decision whole into the pair's files, only
after the record conforms to the shapes and only against the version the curator saw; the curation app refuses
bad input with the right status in Thai or English; the public app has no way to reach any of it.

Every test works on a copy of the project in a temporary folder: the shipped data/ is never written."""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from planlink.foundation.errors import BadRequest, Conflict, RecordInvalid
from planlink.foundation.settings import load_settings
from planlink.project import open_project
from planlink.readmodels import review, suggest
from planlink.readmodels.alignment import to_sssom
from planlink.readmodels.curation import Curation
from planlink.readmodels.validation import validate_project

ROOT = Path(__file__).resolve().parents[1]
PLAN = "https://w3id.org/planlink/def/plan#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PAIR = "nakhon-sawan-2564--lower-north-1"


def copy_project(dest: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


@pytest.fixture(scope="module")
def opened(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path_factory.mktemp("curate"))
    p = open_project(
        load_settings({"root": str(root), "state_dir": "none", "access_log": False}), validate=False
    )
    yield root, p
    p.close()


@pytest.fixture()
def curation(opened) -> Curation:  # type: ignore[no-untyped-def]
    root, p = opened
    return Curation(p, None, None, "Somchai Curator", root=root)


def _graph(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _values(store: ox.Store, s: str, p: str) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]


def test_proposals_show_both_items_and_leave_decided_pairs_out(curation: Curation) -> None:
    proposals = curation.proposals()
    decided = curation.decisions()
    assert proposals
    assert len(decided) == 102 and all(d.status == "accepted" for d in decided.values())
    for x in proposals:
        assert (x.subject.iri, x.object.iri) not in decided
        assert x.subject.th and x.object.th and x.subject.en and x.object.en
        assert 0 < x.score <= 1
        assert {a.iri for a in x.anchors} == x.subject.anchors & x.object.anchors
        assert [q.iri for q in x.subject_parents] == list(x.subject.parents)
    assert any(x.anchors for x in proposals) and any(x.subject_parents for x in proposals)
    assert curation.counts()["awaiting"] == len(proposals)


def test_accept_writes_a_conforming_record_with_its_curator_date_and_method(
    opened, curation: Curation
) -> None:
    root, _ = opened
    x = curation.proposals()[0]
    before = curation.version()
    record, after = curation.accept(
        before, x.subject.iri, x.object.iri, "relatedMatch", "Weak", "เกี่ยวข้องกัน", "They are related.", "en"
    )
    assert after != before and after == curation.version()
    store = _graph(curation.alignment_file)
    assert _values(store, record, RDF_TYPE) == [PLAN + "AlignmentRecord"]
    assert _values(store, record, PLAN + "method") == [PLAN + "Curated"]
    assert _values(store, record, PLAN + "status") == [PLAN + "Accepted"]
    assert _values(store, record, DCT + "created")[0].count("-") == 2
    (curator,) = _values(store, record, PROV + "wasAttributedTo")
    assert "Somchai Curator" in _values(store, curator, "http://www.w3.org/2000/01/rdf-schema#label")
    assert sorted(_values(store, record, PLAN + "rationale")) == sorted(["เกี่ยวข้องกัน", "They are related."])
    assert x.object.iri in _values(store, x.subject.iri, SKOS + "relatedMatch")
    assert curation.decisions()[(x.subject.iri, x.object.iri)].status == "accepted"
    assert (x.subject.iri, x.object.iri) not in {(p.subject.iri, p.object.iri) for p in curation.proposals()}
    report = validate_project(root)
    assert report.conforms, [(v.focus, v.message) for v in report.violations]
    assert "# Curated alignment" in curation.alignment_file.read_text(
        "utf-8"
    )  # the hand-written head is kept


def test_an_invalid_record_is_refused_in_both_languages_and_nothing_is_written(curation: Curation) -> None:
    x = curation.proposals()[0]
    v, text = curation.version(), curation.alignment_file.read_bytes()
    with pytest.raises(RecordInvalid) as caught:
        curation.accept(v, x.subject.iri, x.object.iri, "closeMatch", "Weak", "ก", "a", "th")
    assert caught.value.status == 422
    assert "does not agree with the relation" in caught.value.message
    assert "ไม่สอดคล้องกับความสัมพันธ์" in caught.value.details["message_th"]
    with pytest.raises(RecordInvalid) as caught:
        curation.accept(v, x.subject.iri, x.object.iri, "relatedMatch", "Partial", "มีเหตุผลภาษาไทย", "", "en")
    assert "English rationale" in caught.value.message
    assert curation.alignment_file.read_bytes() == text and curation.version() == v
    assert not [p for p in curation.alignment_file.parent.iterdir() if p.name.startswith(".")]


def test_bad_fields_are_refused_precisely(curation: Curation) -> None:
    x = curation.proposals()[0]
    v = curation.version()
    with pytest.raises(BadRequest, match="relation 'sameAs'"):
        curation.accept(v, x.subject.iri, x.object.iri, "sameAs", "Full", "ก", "a")
    with pytest.raises(BadRequest, match="level 'Strong'"):
        curation.accept(v, x.subject.iri, x.object.iri, "exactMatch", "Strong", "ก", "a")
    with pytest.raises(BadRequest, match="not an item of the source plan"):
        curation.reject(v, x.object.iri, x.subject.iri, "ผิดทาง", "th")
    with pytest.raises(BadRequest, match="language must be th or en"):
        curation.reject(v, x.subject.iri, x.object.iri, "no", "fr")
    assert curation.version() == v


def test_reject_and_unsure_go_to_the_decisions_file(curation: Curation) -> None:
    first, second = curation.proposals()[:2]
    v = curation.version()
    with pytest.raises(RecordInvalid, match="needs its reason"):
        curation.reject(v, first.subject.iri, first.object.iri, "   ", "en")
    assert not curation.decisions_file.exists()
    record, v = curation.reject(v, first.subject.iri, first.object.iri, "คนละเรื่องกัน", "th")
    store = _graph(curation.decisions_file)
    assert _values(store, record, PLAN + "status") == [PLAN + "Rejected"]
    assert _values(store, record, PLAN + "method") == [PLAN + "Curated"]
    assert 0 < float(_values(store, record, PLAN + "score")[0]) <= 1
    assert _values(store, record, PROV + "wasAttributedTo") and _values(store, record, DCT + "created")
    unsure, v = curation.unsure(v, second.subject.iri, second.object.iri, "", "en")
    pairs = {(p.subject.iri, p.object.iri): p for p in curation.proposals()}
    assert (first.subject.iri, first.object.iri) not in pairs  # rejected: never proposed again
    assert pairs[(second.subject.iri, second.object.iri)].unsure is not None  # unsure: still awaits review
    with pytest.raises(Conflict, match="already rejected"):
        curation.accept(v, first.subject.iri, first.object.iri, "relatedMatch", "Weak", "ก", "a")


def test_a_stale_version_is_refused_with_409(curation: Curation) -> None:
    first, second = curation.proposals()[:2]
    seen = curation.version()
    curation.unsure(seen, first.subject.iri, first.object.iri, "ask the province", "en")  # tab A
    text = curation.decisions_file.read_bytes()
    with pytest.raises(Conflict) as caught:  # tab B, still showing the old page
        curation.reject(seen, second.subject.iri, second.object.iri, "unrelated", "en")
    assert caught.value.status == 409 and "reload" in caught.value.message
    assert "โหลดหน้าใหม่" in caught.value.details["message_th"]
    assert curation.decisions_file.read_bytes() == text


def test_two_writers_at_once_one_wins_and_the_other_is_told(curation: Curation) -> None:
    first, second = curation.proposals()[:2]
    seen = curation.version()
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def decide(x) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            curation.reject(seen, x.subject.iri, x.object.iri, "unrelated", "en")
            outcomes.append("written")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=decide, args=(x,)) for x in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "written"]
    _graph(curation.decisions_file)  # still whole Turtle


def test_a_failed_rename_leaves_the_old_file_whole(curation: Curation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    x = curation.proposals()[0]
    v, text = curation.version(), curation.alignment_file.read_bytes()

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full (simulated by the test)")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        curation.accept(v, x.subject.iri, x.object.iri, "relatedMatch", "Weak", "ก", "a")
    monkeypatch.undo()
    assert curation.alignment_file.read_bytes() == text
    assert not [p for p in curation.alignment_file.parent.iterdir() if p.name.startswith(".")]


def test_suggest_leaves_out_what_the_files_decided(tmp_path) -> None:
    """After a rejection and an acceptance are written, a fresh start's suggestions hold neither pair."""
    root = copy_project(tmp_path)
    settings = load_settings({"root": str(root), "state_dir": "none", "access_log": False})
    p = open_project(settings, validate=False)
    try:
        c = Curation(p, None, None, "Somchai", root=root)
        first, second = c.proposals()[:2]
        _, v = c.reject(c.version(), first.subject.iri, first.object.iri, "unrelated", "en")
        c.accept(v, second.subject.iri, second.object.iri, "relatedMatch", "Weak", "ก", "a")
    finally:
        p.close()
    p = open_project(settings, validate=False)
    try:
        found, _, src, tgt = suggest.run(p)
        decided = suggest.decided_pairs(p, src, tgt)
        pairs = {(x.subject.iri, x.object.iri) for x in found}
        for x in (first, second):
            assert (x.subject.iri, x.object.iri) in decided and (x.subject.iri, x.object.iri) not in pairs
        # The report and its SSSOM table carry both decisions, with who made them and when.
        rep = review.report(p, lang="en")
        assert rep.review is not None and rep.review.awaiting == len(found) and rep.review.rejected == 1
        sssom = to_sssom(rep, p.base, "https://example.org/set", "v")
        rows = list(
            csv.DictReader(
                io.StringIO("\n".join(x for x in sssom.splitlines() if not x.startswith("#"))), delimiter="\t"
            )
        )
        ids = {"planlink:" + x.removeprefix(p.base + "id/") for x in (first.subject.iri, first.object.iri)}
        (negative,) = [r for r in rows if r["predicate_modifier"] == "Not"]
        assert {negative["subject_id"], negative["object_id"]} == ids
        assert negative["mapping_justification"] == "semapv:ManualMappingCuration"
        assert negative["author_label"] == "Somchai" and negative["comment"] == "unrelated"
        (accepted,) = [
            r
            for r in rows
            if r["subject_id"] == "planlink:" + second.subject.iri.removeprefix(p.base + "id/")
            and r["object_id"] == "planlink:" + second.object.iri.removeprefix(p.base + "id/")
        ]
        assert (
            accepted["author_id"] == "planlink:agent/curator/somchai"
            and accepted["mapping_date"] == negative["mapping_date"]
        )
        assert accepted["confidence"] == "0.33" and accepted["predicate_modifier"] == ""
    finally:
        p.close()


def test_the_public_app_cannot_reach_curation(client) -> None:  # type: ignore[no-untyped-def]
    rules = [r.rule for r in client.application.url_map.iter_rules()]
    assert not [r for r in rules if "curate" in r]
    before = {p.name: p.read_bytes() for p in (ROOT / "data").iterdir()}
    assert client.get("/curate").status_code == 404
    form = {"action": "reject", "subject": "x", "object": "y", "version": "v", "reason": "r"}
    assert client.post("/curate/decide", data=form).status_code in (404, 405)
    assert {p.name: p.read_bytes() for p in (ROOT / "data").iterdir()} == before


def test_the_curation_app_answers_with_the_right_status_in_both_languages(opened) -> None:  # type: ignore[no-untyped-def]
    from planlink.web.curate import build_curate_app

    root, p = opened
    app = build_curate_app(p, lambda: Curation(p, None, None, "Somchai Curator", root=root))
    client = app.test_client()
    page = client.get("/curate?lang=en")
    assert page.status_code == 200 and "Curating link proposals" in page.get_data(as_text=True)
    assert "คัดสรรข้อเสนอความเชื่อมโยง" in client.get("/curate?lang=th").get_data(as_text=True)
    assert client.get("/curate?source=x").status_code == 400
    c = Curation(p, None, None, "Somchai Curator", root=root)
    x = c.proposals()[0]
    form = {"subject": x.subject.iri, "object": x.object.iri, "version": c.version()}
    bad = client.post(
        "/curate/decide", data={**form, "action": "delete"}, headers={"Accept": "application/json"}
    )
    assert bad.status_code == 400 and bad.get_json()["field"] == "action"
    missing = client.post("/curate/decide", data={"action": "reject"}, headers={"Accept": "application/json"})
    assert missing.status_code == 400 and "subject" in missing.get_json()["message"]
    stale = {**form, "version": "0" * 16, "action": "reject", "reason": "no"}
    th = client.post("/curate/decide?lang=th", data=stale)
    assert th.status_code == 409 and "โหลดหน้าใหม่" in th.get_data(as_text=True)
    en = client.post("/curate/decide?lang=en", data=stale, headers={"Accept": "application/json"})
    assert (
        en.status_code == 409
        and en.get_json()["error"] == "edit-conflict"
        and "reload" in en.get_json()["message"]
    )
    ok = client.post("/curate/decide?lang=en", data={**form, "action": "unsure"})
    assert ok.status_code == 303 and "done=unsure" in ok.headers["Location"]
    assert client.get("/curate/decide").status_code == 405


def test_the_command_listens_on_loopback_only_and_checks_the_pair(tmp_path) -> None:
    from click.testing import CliRunner
    from planlink.cli import main

    runner = CliRunner()
    wide = runner.invoke(main, ["curate", "--host", "0.0.0.0"])
    assert wide.exit_code == 2 and "No such option" in wide.output
    assert "127.0.0.1" in runner.invoke(main, ["curate", "--help"]).output
    env = {"PLANLINK_STATE_DIR": str(tmp_path)}
    unknown = runner.invoke(main, ["curate", "--source", "nowhere", "--curator", "x"], env=env)
    assert unknown.exit_code == 2 and "no items found" in unknown.stderr
