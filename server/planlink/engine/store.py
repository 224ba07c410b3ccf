"""The one loader: finds the files, parses them (one named graph per file) and fills an Oxigraph store.

Named graphs: ``ontology/plan.ttl`` -> ``{base}graph/ontology``; ``data/{stem}.ttl`` -> ``{base}graph/{stem}``.
The default graph of queries is the union of the named graphs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from planlink.foundation.errors import ConfigError, DataFileError
from planlink.foundation.formats import RDF_FILE_SUFFIXES, for_file_suffix
from planlink.foundation.settings import DEFAULT_BASE

XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class GraphFile:
    path: Path
    iri: str
    role: str  # "ontology" or "data"

    @property
    def name(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def graph_iri(base: str, stem: str) -> str:
    return f"{base}graph/{stem}"


def rdf_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if for_file_suffix(p) is not None and p.is_file())


def check_project_folder(root: Path, needs: tuple[str, ...] = ("ontology", "data")) -> None:
    """Refuse, with a clear message, a folder that is not a planlink project."""
    missing = [name for name in needs if not (root / name).is_dir()]
    if missing:
        raise ConfigError(
            f"{root} is not a planlink project folder: it has no {' and no '.join(f'{m}/' for m in missing)} "
            "(give the folder with --root DIR or PLANLINK_ROOT, or start planlink in it)"
        )


def discover(root: Path, base: str = DEFAULT_BASE) -> list[GraphFile]:
    """The ontology and every data file of a project folder, in a stable order."""
    check_project_folder(root)
    files = [
        GraphFile(p, graph_iri(base, "ontology" if p.stem == "plan" else f"ontology-{p.stem}"), "ontology")
        for p in rdf_files(root / "ontology")
    ]
    files += [GraphFile(p, graph_iri(base, p.stem), "data") for p in rdf_files(root / "data")]
    return files


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded to the RDF files they hold. A missing path is an error."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += rdf_files(p)
        elif p.is_file():
            out.append(p)
        else:
            raise DataFileError("no such file or folder", str(p))
    return out


def parse_file(path: Path) -> list[ox.Triple]:
    """Parse one RDF file into triples; a syntax error becomes a DataFileError naming file, line and column."""
    fmt = for_file_suffix(path)
    if fmt is None or not isinstance(fmt.ox, ox.RdfFormat):
        raise DataFileError(
            f"unknown RDF file type {path.suffix!r} (use one of {', '.join(RDF_FILE_SUFFIXES)})", str(path)
        )
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt.ox, base_iri=path.resolve().as_uri())]
    except FileNotFoundError:
        raise DataFileError("no such file", str(path)) from None
    except SyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataFileError(msg, str(path), exc.lineno, exc.offset) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(str(exc), str(path)) from None


def rebase(triples: list[ox.Triple], base: str) -> list[ox.Triple]:
    """Move every IRI under the default base to ``base`` (for a deployment under another domain)."""
    if base == DEFAULT_BASE:
        return triples

    def move(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
            return ox.NamedNode(base + term.value[len(DEFAULT_BASE) :])
        return term

    return [ox.Triple(move(t.subject), move(t.predicate), move(t.object)) for t in triples]


def fingerprint(files: Iterable[GraphFile | Path], base: str = "") -> str:
    """A hash of file names and contents (and the base IRI): the data version."""
    h = hashlib.sha256(base.encode())
    for f in files:
        path = f.path if isinstance(f, GraphFile) else f
        h.update(str(path.name).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


# Read-only handles opened by a parent process and inherited through fork(): never used again, and kept
# referenced so that a child never runs their destructor (an on-disk store must not cross a fork).
_INHERITED: list[ox.Store] = []


def release_freed_memory() -> None:
    """Collect garbage and hand the C heap's free pages back to the system (glibc's malloc_trim): an in-memory
    store that is dropped otherwise stays resident as free heap."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the pages are reused by this process instead
        pass


@dataclass
class LoadedData:
    """An Oxigraph store filled from the files, with what it holds.

    The store is in memory (``memory``), or on disk at ``location`` (see diskstore.py): then ``store`` is a
    read-only handle opened on first use in each process, so that no open on-disk store crosses a fork. With
    neither (remote mode), ``store`` parses the local files into memory on first use."""

    memory: ox.Store | None
    files: list[GraphFile]
    base: str
    version: str
    triples_per_graph: dict[str, int] = field(default_factory=dict)
    location: Path | None = None
    _handle: ox.Store | None = field(default=None, init=False, repr=False, compare=False)
    _pid: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def store(self) -> ox.Store:
        if self.location is None:
            if self.memory is None:
                self.memory = load(self.files, self.base).memory
            assert self.memory is not None
            return self.memory
        pid = os.getpid()
        if self._handle is None or self._pid != pid:
            if self._handle is not None:
                _INHERITED.append(self._handle)
            self._handle = open_read_only(self.location)
            self._pid = pid
        return self._handle

    def move_to(self, location: Path) -> None:
        """Serve from the on-disk store at ``location`` (complete, of this version) from now on, and let the
        in-memory copy go (``release_freed_memory`` hands its memory back once nothing else holds it)."""
        self.location, self.memory = location, None

    def opener(self) -> Callable[[], ox.Store]:
        """What a query evaluator (a forked child) calls to get the store: the in-memory store it shares
        copy-on-write with its parent, or its own read-only handle on the on-disk store."""
        location = self.location
        if location is None:
            store = self.store
            return lambda: store
        return lambda: open_read_only(location)

    @property
    def graph_iris(self) -> list[str]:
        return [f.iri for f in self.files]

    @property
    def total_triples(self) -> int:
        return sum(self.triples_per_graph.values())


def load(files: list[GraphFile], base: str = DEFAULT_BASE, store: ox.Store | None = None) -> LoadedData:
    """Parse every file and add it to ``store`` (a new in-memory store by default) as its own named graph."""
    store = store if store is not None else ox.Store()
    for f in files:
        load_file(store, f, base)
    return LoadedData(store, files, base, fingerprint(files, base), count_per_graph(store, files))


def load_file(store: ox.Store, f: GraphFile, base: str = DEFAULT_BASE) -> None:
    """Add one file to ``store`` as its named graph. Under the default base Oxigraph parses and inserts it
    itself (no Python objects: about twice as fast); under another base the triples are moved first."""
    fmt = for_file_suffix(f.path)
    if base != DEFAULT_BASE or fmt is None or not isinstance(fmt.ox, ox.RdfFormat):
        graph = ox.NamedNode(f.iri)
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object, graph) for t in rebase(parse_file(f.path), base)
        )
        return
    try:
        store.load(
            path=str(f.path),
            format=fmt.ox,
            base_iri=f.path.resolve().as_uri(),
            to_graph=ox.NamedNode(f.iri),
        )
    except FileNotFoundError:
        raise DataFileError("no such file", str(f.path)) from None
    except SyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataFileError(msg, str(f.path), exc.lineno, exc.offset) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(str(exc), str(f.path)) from None


def load_into_default(store: ox.Store, path: Path) -> None:
    """Add one file's triples to the default graph of ``store`` (Oxigraph parses and inserts them itself);
    a syntax error becomes a DataFileError naming file, line and column."""
    fmt = for_file_suffix(path)
    if fmt is None or not isinstance(fmt.ox, ox.RdfFormat):
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in parse_file(path))
        return
    try:
        store.load(
            path=str(path), format=fmt.ox, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph()
        )
    except FileNotFoundError:
        raise DataFileError("no such file", str(path)) from None
    except SyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataFileError(msg, str(path), exc.lineno, exc.offset) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(str(exc), str(path)) from None


COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def count_per_graph(store: ox.Store, files: list[GraphFile]) -> dict[str, int]:
    """Triples (each counted once) per named graph of ``files``, in the files' order."""
    found = {row["g"].value: int(row["n"].value) for row in store.query(COUNT_PER_GRAPH)}  # type: ignore[union-attr]
    return {f.iri: found.get(f.iri, 0) for f in files}


def open_read_only(location: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(location))
    except OSError as exc:
        raise DataFileError(f"the persisted store cannot be opened: {exc}", str(location)) from None


def load_project(root: Path, base: str = DEFAULT_BASE) -> LoadedData:
    return load(discover(root, base), base)


# --- rdflib views, for SHACL validation and the reference evaluator --------------------------------------


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib_graph(triples: Iterable[ox.Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    graph = graph if graph is not None else rdflib.Graph()
    for t in triples:
        graph.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return graph


def parse_to_rdflib(paths: Iterable[Path]) -> rdflib.Graph:
    """One rdflib graph holding the triples of all ``paths`` (parsed by the one loader)."""
    graph = rdflib.Graph()
    for p in paths:
        to_rdflib_graph(parse_file(p), graph)
    return graph


def to_rdflib_dataset(data: LoadedData) -> rdflib.Dataset:
    """The store as an rdflib Dataset: one named graph per file, the union as default graph."""
    ds = rdflib.Dataset(default_union=True)
    for f in data.files:
        g = ds.graph(rdflib.URIRef(f.iri))
        to_rdflib_graph(iter_graph(data.store, f.iri), g)
    return ds


def iter_graph(store: ox.Store, iri: str) -> Iterator[ox.Triple]:
    return (q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
