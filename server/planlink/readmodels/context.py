"""What a read model needs of an opened project: the base IRI, the data version, the query service, the
curated queries and the settings. ``planlink.project.Project`` is one; a read model never imports it."""

from __future__ import annotations

from typing import Any, Protocol

from planlink.engine.service import QueryService
from planlink.readmodels.catalog import CuratedQuery


class Context(Protocol):
    settings: Any
    query: QueryService
    catalog: dict[str, CuratedQuery]

    @property
    def base(self) -> str: ...

    @property
    def version(self) -> str: ...
