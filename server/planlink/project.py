"""A project opened for use: settings, files, validated data, and the query service over them.

The web app and the CLI both start here; nothing in this module knows about HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planlink.engine.backend import Backend
from planlink.engine.evaluator import EvaluatorPool
from planlink.engine.service import QueryService
from planlink.engine.store import GraphFile, LoadedData, discover, load
from planlink.foundation.errors import ValidationFailed
from planlink.foundation.namespaces import prefixes
from planlink.foundation.settings import Settings, load_settings
from planlink.readmodels.catalog import CuratedQuery, load_catalog
from planlink.readmodels.validation import Report, validate_project

if TYPE_CHECKING:
    from planlink.readmodels.export import Downloads
    from planlink.readmodels.metadata import Describer
    from planlink.readmodels.ontodoc import OntologyDocs, Shapes
    from planlink.readmodels.search import Search

T = TypeVar("T")
STARTED = time.time()


@dataclass
class Project:
    settings: Settings
    root: Path
    files: list[GraphFile]
    data: LoadedData
    query: QueryService
    validation: Report | None
    catalog: dict[str, CuratedQuery] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    startup: dict[str, Any] = field(
        default_factory=dict
    )  # which store, and whether store/validation were reused

    _services: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _service(self, name: str, build: Callable[[], T]) -> T:
        """A read model made on first use and then kept: one place for every lazily built service."""
        held = self._services.get(name)
        if held is None:
            with self._lock:
                held = self._services.get(name)
                if held is None:
                    held = self._services[name] = build()
        return held  # type: ignore[no-any-return]

    @property
    def downloads(self) -> Downloads:
        from planlink.readmodels.export import Downloads

        return self._service("downloads", lambda: Downloads(self.data))

    @property
    def search(self) -> Search:
        from planlink.readmodels.search import Search

        return self._service("search", lambda: Search(self.query, self.base, self.version))

    @property
    def ontology_docs(self) -> OntologyDocs:
        from planlink.readmodels.ontodoc import OntologyDocs

        return self._service("ontology_docs", lambda: OntologyDocs(self.data))

    @property
    def shapes_docs(self) -> Shapes:
        from planlink.readmodels.ontodoc import Shapes

        return self._service("shapes_docs", lambda: Shapes(self.root, self.base))

    @property
    def describer(self) -> Describer:
        from planlink.readmodels.metadata import Describer

        return self._service("describer", lambda: Describer(self.data, self.query))

    def last_modified(self) -> float:
        """The newest data file's change time, or when this process started when the files cannot tell."""
        from planlink.readmodels.export import newest_mtime

        return newest_mtime(self.data) or STARTED

    @property
    def base(self) -> str:
        return str(self.settings.base_iri)

    @property
    def version(self) -> str:
        return self.data.version

    def close(self) -> None:
        self.query.close()
        if self.data.location is not None:
            from planlink.engine.diskstore import release

            release(self.data.location)


def store_mode(settings: Settings, files: list[GraphFile]) -> str:
    """'memory' or 'disk': the setting, or with 'auto' memory while the data files total at most
    ``memory_store_mb`` (a parsed store takes about six times its files' size), disk beyond."""
    if settings.store_mode != "auto":
        return settings.store_mode
    size = sum(f.path.stat().st_size for f in files)
    return "memory" if size <= settings.memory_store_mb * 1_000_000 else "disk"


def open_project(settings: Settings | None = None, validate: bool | None = None) -> Project:
    """Load and (unless told not to) validate the data, refusing invalid data; set up the query service.

    The store is, by the settings: the persisted on-disk store in the state folder (``store_mode=disk``,
    reused while the files are unchanged; after a change the files are parsed into memory and the new version
    is persisted in the background, for the next start), an in-memory store parsed from the files
    (``store_mode=memory``, or no state folder), or a remote SPARQL store (``store_url``; the local files are
    then not validated at start: ``planlink publish`` validated what it sent). ``startup`` says which store
    serves ("disk", "memory" or "remote"), and whether the store and the validation result were reused."""
    settings = settings or load_settings()
    root = Path(settings.root)
    base = settings.base_iri
    state = Path(settings.state_dir) if settings.state_dir else None
    remote = settings.store_url
    timings: dict[str, float] = {}
    startup: dict[str, Any] = {}
    t0 = time.perf_counter()
    report = None
    if (settings.validate_on_start if validate is None else validate) and not remote:
        report = validate_project(root, state)
        startup["validation_reused"] = report.reused
        if not report.conforms:
            raise ValidationFailed(report.violations)
    timings["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = discover(root, base)
    backend: Backend
    if remote:
        from planlink.engine.remote import RemoteStore, remote_data

        backend = RemoteStore(
            remote,
            [f.iri for f in files],
            settings.query_workers,
            settings.queue_wait,
            settings.store_union,
        )
        data = remote_data(backend, files, base, settings.query_timeout)
        startup.update(store="remote", store_url=remote)
    elif (mode := store_mode(settings, files)) == "disk" and state is not None:
        from planlink.engine.diskstore import open_persisted, store_folder

        data, how = open_persisted(files, base, state)
        startup.update(
            store="disk" if data.location else "memory",
            store_reused=how == "reused",
            store_path=str(store_folder(state, data.version)),
            store_persisting=how == "building",
        )
    else:
        data = load(files, base)
        startup.update(store="memory")
    if not remote:
        startup["store_choice"] = mode if settings.store_mode != "auto" else f"auto: {mode}"
    if not remote:
        pool = EvaluatorPool(
            data.opener(),
            settings.query_workers,
            settings.queue_wait,
            quick_limit=settings.quick_limit,
            queue_depth=settings.queue_depth,
        )
        if startup.get("store_persisting") and state is not None:
            from planlink.engine.diskstore import store_folder, when_built

            pool.switch_when(when_built(data, store_folder(state, data.version)))
        backend = pool
    timings["load"] = time.perf_counter() - t0
    service = QueryService(backend, data.graph_iris, data.version, settings, prefixes(base))
    return Project(
        settings, root, files, data, service, report, load_catalog(root / "queries"), timings, startup
    )
