"""A project opened for use: settings, files, validated data, and the query service over them.

The web app and the CLI both start here; nothing in this module knows about HTTP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import CuratedQuery, load_catalog
from .config import load_settings
from .errors import ValidationFailed
from .evaluator import EvaluatorPool
from .namespaces import prefixes
from .query import QueryService
from .store import GraphFile, LoadedData, discover, load
from .validation import Report, validate_project


@dataclass
class Project:
    settings: dict[str, Any]
    root: Path
    files: list[GraphFile]
    data: LoadedData
    query: QueryService
    validation: Report | None
    catalog: dict[str, CuratedQuery] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return str(self.settings["base_iri"])

    @property
    def version(self) -> str:
        return self.data.version

    def close(self) -> None:
        self.query.close()


def open_project(settings: dict[str, Any] | None = None, validate: bool | None = None) -> Project:
    """Load and (unless told not to) validate the data, refusing invalid data; set up the query service."""
    settings = settings or load_settings()
    root = Path(settings["root"])
    base = settings["base_iri"]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    report = None
    if settings["validate_on_start"] if validate is None else validate:
        report = validate_project(root, Path(settings["state_dir"]))
        if not report.conforms:
            raise ValidationFailed(report.violations)
    timings["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = discover(root, base)
    data = load(files, base)
    timings["load"] = time.perf_counter() - t0
    pool = EvaluatorPool(lambda: data.store, settings["query_workers"], settings["queue_wait"])
    service = QueryService(pool, data.graph_iris, data.version, settings, prefixes(base))
    return Project(settings, root, files, data, service, report, load_catalog(root / "queries"), timings)
