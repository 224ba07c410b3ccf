"""The whole dataset, or one graph, or the union, written in a standard RDF format."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from .formats import Format
from .namespaces import prefixes
from .store import LoadedData, iter_graph


def union_triples(data: LoadedData) -> list[ox.Triple]:
    """The default graph of queries: every named graph merged, each triple once."""
    seen: dict[ox.Triple, None] = {}
    for f in data.files:
        for t in iter_graph(data.store, f.iri):
            seen.setdefault(t)
    return list(seen)


def export(data: LoadedData, fmt: Format, out: IO[bytes] | None = None, graph: str | None = None) -> bytes | None:
    """Dataset formats (TriG, N-Quads, JSON-LD) write every named graph; graph formats write ``graph`` or,
    without one, the union of all graphs."""
    pfx = prefixes(data.base)
    if graph is None and fmt.ox is not None and fmt.ox.supports_datasets:  # type: ignore[attr-defined]
        quads = data.store.quads_for_pattern(None, None, None)
        return ox.serialize(quads, out, fmt.ox, prefixes=pfx)
    triples = list(iter_graph(data.store, graph)) if graph else union_triples(data)
    return ox.serialize(triples, out, fmt.ox, prefixes=pfx)
