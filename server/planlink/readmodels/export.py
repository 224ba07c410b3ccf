"""The whole dataset, or one graph, or the union, written in a standard RDF format."""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from planlink.engine.store import LoadedData, fingerprint, iter_graph, load
from planlink.foundation.errors import DataChanged
from planlink.foundation.formats import Format
from planlink.foundation.formats import get as get_format
from planlink.foundation.namespaces import prefixes


def union_triples(data: LoadedData) -> list[ox.Triple]:
    """The default graph of queries: every named graph merged, each triple once."""
    seen: dict[ox.Triple, None] = {}
    for f in data.files:
        for t in iter_graph(data.store, f.iri):
            seen.setdefault(t)
    return list(seen)


def export(
    data: LoadedData, fmt: Format, out: IO[bytes] | None = None, graph: str | None = None
) -> bytes | None:
    """Dataset formats (TriG, N-Quads, JSON-LD) write every named graph; graph formats write ``graph`` or,
    without one, the union of all graphs."""
    pfx = prefixes(data.base)
    rdf_format = fmt.ox
    assert isinstance(rdf_format, ox.RdfFormat), f"{fmt.name} is not an RDF format"
    if graph is None and rdf_format.supports_datasets:
        quads = data.store.quads_for_pattern(None, None, None)
        return ox.serialize(quads, out, rdf_format, prefixes=pfx)
    triples = list(iter_graph(data.store, graph)) if graph else union_triples(data)
    return ox.serialize(triples, out, rdf_format, prefixes=pfx)


# -- downloads: every file the service offers, serialised once per data version ------------------------------

DATASET_NAME = "planlink"
GRAPH_FILE_FORMATS = ("turtle", "ntriples", "jsonld")
WHOLE_FILES = (
    ("trig", "dataset"),
    ("nquads", "dataset"),
    ("jsonld", "dataset"),
    ("turtle", "union"),
    ("ntriples", "union"),
)
GZIP = "application/gzip"


@dataclass(frozen=True)
class Download:
    """One file offered for download: the whole dataset (every named graph), the union of the graphs, or
    one named graph, in one format. ``path`` is relative to /downloads/."""

    path: str
    format: Format
    scope: str  # "dataset" (quads, every named graph), "union" (triples) or "graph" (one named graph)
    graph: str | None = None  # the named graph's IRI, for scope "graph"

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Payload:
    """The bytes of a download, plain and gzip-compressed, and what identifies this version of them."""

    body: bytes
    gzipped: bytes
    triples: int
    etag: str


def catalogue(data: LoadedData) -> list[Download]:
    """Every download, in the order a reader meets them: whole dataset, union, then one graph at a time."""
    out = [
        Download(f"{DATASET_NAME}{get_format(name).suffix}", get_format(name), scope)
        for name, scope in WHOLE_FILES
    ]
    for f in data.files:
        out += [
            Download(f"graph/{f.name}{get_format(name).suffix}", get_format(name), "graph", f.iri)
            for name in GRAPH_FILE_FORMATS
        ]
    return out


def newest_mtime(data: LoadedData) -> float | None:
    """When the newest of the loaded files was last changed (seconds since the epoch)."""
    times = [f.path.stat().st_mtime for f in data.files if f.path.exists()]
    return max(times) if times else None


class Downloads:
    """The downloads of one loaded dataset. The data is read-only while the service runs, so the files are
    serialised (with pyoxigraph) and compressed once, all together on first use, and their bytes kept.

    An on-disk store is not read here: scanning it starts RocksDB threads in this process, which goes on to
    fork query evaluators (a fork copies no thread, only the locks they may hold). The files of the same data
    version are parsed again into memory instead, with the one loader, and dropped once serialised."""

    def __init__(self, data: LoadedData) -> None:
        self.data = data
        self.items = catalogue(data)
        self._by_path = {d.path: d for d in self.items}
        self._payloads: dict[str, Payload] = {}
        self._lock = threading.Lock()

    def find(self, path: str) -> Download | None:
        return self._by_path.get(path)

    def payload(self, item: Download) -> Payload:
        hit = self._payloads.get(item.path)
        if hit is None:
            with self._lock:
                if not self._payloads:
                    self._payloads = self._serialise_all()
            hit = self._payloads[item.path]
        return hit

    def _source(self) -> LoadedData:
        if self.data.location is None:
            return self.data
        if fingerprint(self.data.files, self.data.base) != self.data.version:
            raise DataChanged(
                "the data files changed after the service started; the downloads would not match "
                "what it serves: restart the service to publish them"
            )
        return load(self.data.files, self.data.base)

    def _serialise_all(self) -> dict[str, Payload]:
        source = self._source()
        union = len(union_triples(source))
        out: dict[str, Payload] = {}
        for item in self.items:
            body = export(source, item.format, graph=item.graph) or b""
            triples = (
                source.triples_per_graph.get(item.graph, 0)
                if item.graph
                else union
                if item.scope == "union"
                else source.total_triples
            )
            tag = hashlib.sha1(f"{self.data.version}\0{item.path}".encode()).hexdigest()[:24]
            out[item.path] = Payload(body, gzip.compress(body, compresslevel=9, mtime=0), triples, tag)
        return out
