"""The persisted store: a start with unchanged files reuses the on-disk store and the validation result; a
changed file invalidates both (that start serves from memory while the store is persisted in the background);
evaluators open the store themselves (nothing on disk crosses a fork)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from planlink.engine.diskstore import BUILDERS, MARKER, PREFIX, open_persisted, read_marker
from planlink.engine.store import discover
from planlink.foundation.errors import DataFileError, QueryTimeout
from planlink.foundation.settings import DEFAULT_BASE, load_settings
from planlink.project import open_project

ROOT = Path(__file__).resolve().parents[1]
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def copy_project(dest: Path) -> Path:
    for folder in ("ontology", "shapes", "data", "queries"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def opened(root: Path, state: Path | str, validate: bool = False, **extra):  # type: ignore[no-untyped-def]
    settings = load_settings(
        {
            "root": str(root),
            "state_dir": str(state),
            "access_log": False,
            "validate_on_start": validate,
            "store_mode": "disk",  # what these tests are about (the default, auto, serves small data from memory)
            **extra,
        }
    )
    return open_project(settings)


def counts(project) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r["g"].value: int(r["n"].value) for r in project.query.rows(COUNT_PER_GRAPH)}


def stores(state: Path) -> list[Path]:
    return sorted(p for p in state.glob(PREFIX + "*") if p.is_dir())


def persisted() -> None:
    """Wait for the background builders this process started."""
    while BUILDERS:
        assert BUILDERS.pop().wait(120) == 0


def on_disk(root: Path, state: Path, **extra):  # type: ignore[no-untyped-def]
    """A project served from its persisted store (built first if need be)."""
    opened(root, state, **extra).close()
    persisted()
    p = opened(root, state, **extra)
    assert p.startup["store"] == "disk"
    return p


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_unchanged_files_reuse_the_store_and_the_validation_result(root: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = opened(root, state, validate=True)
    try:  # nothing to reuse: served from memory, persisted in the background
        assert first.startup["store"] == "memory" and first.startup["store_persisting"] is True
        assert first.startup["store_reused"] is False and first.startup["validation_reused"] is False
        assert first.validation is not None and first.validation.conforms
        expected = counts(first)
    finally:
        first.close()
    persisted()
    [folder] = stores(state)
    meta = read_marker(folder)
    assert meta is not None and meta["version"] == first.version and meta["graphs"] == expected

    second = opened(root, state, validate=True)
    try:
        assert second.startup["store"] == "disk"
        assert second.startup["store_reused"] is True and second.startup["validation_reused"] is True
        assert second.startup["store_path"] == str(folder) and second.data.location == folder
        assert second.version == first.version
        assert counts(second) == expected
        assert second.data.triples_per_graph == first.data.triples_per_graph
        assert second.validation is not None and second.validation.to_dict() == first.validation.to_dict()
    finally:
        second.close()

    # A changed file (even a comment: the version is a hash of the bytes) invalidates both.
    changed = root / "data" / "anchors.ttl"
    changed.write_text(changed.read_text("utf-8") + "\n# changed\n", "utf-8")
    third = opened(root, state, validate=True)
    try:
        assert third.startup["store"] == "memory" and third.startup["store_persisting"] is True
        assert third.startup["store_reused"] is False and third.startup["validation_reused"] is False
        assert third.version != first.version
        assert counts(third) == expected
    finally:
        third.close()
    persisted()
    assert len(stores(state)) == 2  # the new store, and the previous one (another process may still use it)


def test_the_store_answers_as_the_in_memory_store_does(root: Path, tmp_path: Path) -> None:
    disk = on_disk(root, tmp_path / "state")
    memory = opened(root, tmp_path / "state", store_mode="memory")
    try:
        assert memory.startup["store"] == "memory" and disk.startup["store"] == "disk"
        assert disk.data.triples_per_graph == memory.data.triples_per_graph
        assert counts(disk) == counts(memory)
        for graph in disk.data.graph_iris:  # the parent reads the store directly too (downloads, ontology)
            n = sum(1 for _ in disk.data.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            assert n == disk.data.triples_per_graph[graph]
        q = (
            "SELECT ?plan ?label WHERE { ?plan a ?t ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
            "VALUES ?t { <https://w3id.org/planlink/def/plan#ClusterPlan> "
            "<https://w3id.org/planlink/def/plan#ProvincialPlan> } } ORDER BY ?plan ?label"
        )
        assert disk.query.rows(q) == memory.query.rows(q)
    finally:
        disk.close()
        memory.close()


def test_older_versions_are_removed_and_partial_builds_are_not_used(root: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    data_file = root / "data" / "areas.ttl"
    folders = []
    for i in range(3):
        data_file.write_text(data_file.read_text("utf-8") + f"\n# edit {i}\n", "utf-8")
        p = opened(root, state)
        folders.append(Path(p.startup["store_path"]))
        p.close()
        persisted()
    opened(root, state).close()  # removes what the last builder left over
    assert stores(state) == sorted(folders[1:])  # the current one and the one before it

    # A store a process serves from is never removed, however old.
    in_use = on_disk(root, state)
    try:
        for i in range(3):
            data_file.write_text(data_file.read_text("utf-8") + f"\n# more {i}\n", "utf-8")
            opened(root, state).close()
            persisted()
        assert in_use.data.location in stores(state) and len(stores(state)) == 3
        assert sum(counts(in_use).values()) == in_use.data.total_triples
    finally:
        in_use.close()
    for i in range(3):  # back to the version of folders[-1]
        data_file.write_text(data_file.read_text("utf-8").rsplit(f"\n# more {i}\n", 1)[0], "utf-8")

    # A folder with the current version's name but no marker is not trusted: it is rebuilt.
    current = folders[-1]
    (current / MARKER).unlink()
    files = discover(root)
    data, how = open_persisted(files, DEFAULT_BASE, state, background=False)
    assert how == "built" and data.location == current and read_marker(current) is not None
    p = opened(root, state)
    try:
        assert p.startup["store_reused"] is True
        assert sum(counts(p).values()) == p.data.total_triples == data.total_triples
    finally:
        p.close()


def test_a_file_that_does_not_parse_leaves_no_store(root: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    (root / "data" / "broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", "utf-8")
    with pytest.raises(DataFileError) as err:
        opened(root, state)
    assert "broken.ttl" in err.value.message and err.value.details["line"] == 2
    assert not BUILDERS and stores(state) == []
    with pytest.raises(DataFileError) as err:  # the same from the builder process
        open_persisted(discover(root), DEFAULT_BASE, state, background=False)
    assert "broken.ttl" in err.value.message and err.value.details["line"] == 2
    assert stores(state) == []


def test_evaluators_open_the_store_after_the_fork(root: Path, tmp_path: Path) -> None:
    p = on_disk(root, tmp_path / "state", query_timeout=1.0, query_workers=1)
    try:
        assert len(p.data.store) == p.data.total_triples  # the parent holds a read-only handle now
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        with pytest.raises(QueryTimeout):
            p.query.run(slow, "json", use_cache=False)
        # The killed evaluator was replaced by a fork of a process that has the store open; it opens its own.
        assert sum(counts(p).values()) == p.data.total_triples
    finally:
        p.close()


def test_no_state_folder_means_memory_and_no_files(root: Path, tmp_path: Path) -> None:
    p = opened(root, "none")
    try:
        assert p.settings.state_dir is None and p.startup["store"] == "memory"
        assert not (root / "var").exists()
        assert sum(counts(p).values()) == p.data.total_triples
    finally:
        p.close()


def test_evaluators_move_to_the_disk_store_once_it_is_built(root: Path, tmp_path: Path) -> None:
    """A start with changed files serves from memory; once the background build completes, each evaluator is
    replaced by one on the on-disk store (and the answers stay the same)."""
    p = opened(root, tmp_path / "state", query_workers=1)
    try:
        assert p.startup["store"] == "memory" and p.startup["store_persisting"]
        pool = p.query.backend
        pool.poll_every = 0.0  # ask at every query whether the build is done

        def uncached() -> list[tuple[str, str]]:
            rows = p.query.run(COUNT_PER_GRAPH, "rows", use_cache=False).outcome.rows
            return sorted((str(g), str(n)) for g, n in rows)

        before = uncached()
        first = pool.lanes[0].idle.queue[0].pid
        assert pool.generation == 0
        persisted()
        # The first query after the build switches; the evaluator it used is replaced when it comes back.
        assert uncached() == before
        assert pool.generation == 1
        # The project serves from the disk store now, and its in-memory copy is gone.
        assert p.data.location == Path(p.startup["store_path"]) and p.data.memory is None
        (ev,) = pool.lanes[0].idle.queue
        assert ev.pid != first and ev.generation == 1
        assert uncached() == before  # answered by the evaluator on disk
        assert pool.lanes[0].idle.queue[0].pid == ev.pid  # and kept from then on
    finally:
        p.close()


def test_auto_serves_data_within_the_budget_from_memory_and_larger_data_from_disk(
    root: Path, tmp_path: Path
) -> None:
    small = opened(root, tmp_path / "state-a", store_mode="auto")
    assert small.startup["store"] == "memory" and small.startup["store_choice"] == "auto: memory"
    small.close()
    over = opened(root, tmp_path / "state-b", store_mode="auto", memory_store_mb=0)
    assert over.startup["store_choice"] == "auto: disk" and over.startup["store_persisting"]
    over.close()
    forced = opened(root, tmp_path / "state-c", store_mode="memory", memory_store_mb=0)
    assert forced.startup["store"] == "memory" and forced.startup["store_choice"] == "memory"
    forced.close()
