"""SHACL validation of plan data, with readable violations and a cache keyed by file hashes.

The shapes run on planlink's own engine (``planlink.engine.shacl``: each constraint once over all of its focus
nodes, as a query on pyoxigraph), which reports what pySHACL reports; pySHACL stays as the reference
(``engine="pyshacl"``: the equivalence tests, and ``planlink validate --engine pyshacl``)."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from planlink.engine import shacl
from planlink.engine.store import (
    check_project_folder,
    expand_paths,
    fingerprint,
    parse_file,
    parse_to_rdflib,
    rdf_files,
    to_rdflib_graph,
    to_rdflib_term,
)
from planlink.foundation.errors import ConfigError, Violation
from planlink.foundation.text import pick_from

LABELS = (SKOS.prefLabel, RDFS.label)
_THAI = re.compile(r"\W*[\u0E00-\u0E7F]")
ENGINES = ("fast", "pyshacl")
AXIOMS = ox.NamedNode("urn:planlink:validation:ontology-axioms")
_VALUES = rdflib.Graph()  # values are shortened with the prefixes of a plain data graph, as they always were


@dataclass
class Report:
    conforms: bool
    files: list[str]
    triples: int
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    reused: bool = field(default=False, compare=False)  # read from the state folder, not validated again

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else f"does NOT conform: {len(self.violations)} violation(s)"
        extra = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return f"{len(self.files)} file(s), {self.triples} triples: {verdict}{extra}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("reused")
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        return cls(
            d["conforms"],
            d["files"],
            d["triples"],
            [Violation(**v) for v in d["violations"]],
            [Violation(**v) for v in d["warnings"]],
        )


_CACHE_LOCK = threading.Lock()
_SHAPES: dict[tuple[str, str], rdflib.Graph] = {}
_PROGRAMS: dict[int, tuple[rdflib.Graph, shacl.Program]] = {}


def shapes_graph(root: Path) -> rdflib.Graph:
    """The project's SHACL shapes (``shapes/``) as one rdflib graph (the same object while the files are
    unchanged, so that it is compiled once)."""
    files = rdf_files(root / "shapes")
    key = (str(root.resolve()), fingerprint(files))
    with _CACHE_LOCK:
        graph = _SHAPES.get(key)
        if graph is None:
            graph = _SHAPES[key] = parse_to_rdflib(files)
        return graph


def program(shapes: rdflib.Graph) -> shacl.Program:
    """The shapes compiled for the engine (once per shapes graph); raises ``shacl.Unsupported`` (exit 2) for
    a construct the engine does not evaluate, naming the shape and the construct."""
    with _CACHE_LOCK:
        held = _PROGRAMS.get(id(shapes))
        if held is not None and held[0] is shapes:
            return held[1]
        compiled = shacl.compile_shapes(shapes)
        _PROGRAMS[id(shapes)] = (shapes, compiled)
        return compiled


def ontology_graph(root: Path) -> rdflib.Graph:
    """The project's ontology (``ontology/``) as one rdflib graph, for pySHACL's RDFS reasoning."""
    return parse_to_rdflib(rdf_files(root / "ontology"))


def _label(graph: rdflib.Graph, node: rdflib.term.Node | None, lang: str) -> str | None:
    found: dict[str, str] = {}
    for prop in LABELS:
        for value in graph.objects(node, prop):
            if isinstance(value, rdflib.Literal):
                found.setdefault(str(value.language or ""), str(value))
    return pick_from(found, lang) or found.get("") or None


def _message(results: rdflib.Graph, result: rdflib.term.Node, lang: str) -> str:
    # pySHACL drops the language tags of SPARQL-constraint messages: tell Thai from English by the script.
    messages: dict[str, str] = {}
    for m in results.objects(result, SH.resultMessage):
        tag = str(getattr(m, "language", None) or "") or ("th" if _THAI.match(str(m)) else "en")
        messages.setdefault(tag, str(m))
    return messages.get(lang) or messages.get("en") or messages.get("") or next(iter(messages.values()), "")


def _short(node: rdflib.term.Node | None, graph: rdflib.Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - any IRI that cannot be shortened stays whole
            return str(node)
    return str(node)


@contextmanager
def sparql_parsed_once() -> Iterator[None]:
    """pySHACL runs each SPARQL-based constraint once per focus node, and rdflib parses the query text every
    time (two thirds of the validation time). While this is active, rdflib keeps each parsed and translated
    query (as ``prepareQuery`` would) and evaluates it again with the new bindings."""
    original = SPARQLProcessor.query
    prepared: dict[tuple, Any] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # type: ignore[no-untyped-def]
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def _pyshacl(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph) -> rdflib.Graph:
    """The reference: pySHACL's results graph for ``data``."""
    import pyshacl

    with sparql_parsed_once():
        _, results, text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
            meta_shacl=False,
        )
    if not isinstance(results, rdflib.Graph):  # pySHACL could not run the shapes at all
        raise ConfigError(f"the SHACL shapes could not be applied: {text}")
    return results


def _key(v: Violation) -> tuple[str, str, str, str]:
    return (v.graph or "", v.focus, v.path or "", v.message)


def _split(found: Iterable[tuple[Violation, bool]]) -> tuple[list[Violation], list[Violation]]:
    violations = [v for v, is_violation in found if is_violation]
    warnings = [v for v, is_violation in found if not is_violation]
    return sorted(violations, key=_key), sorted(warnings, key=_key)


def _pick_message(messages: Iterable[rdflib.Literal], lang: str) -> str:
    by_lang: dict[str, str] = {}
    for m in messages:
        tag = str(m.language or "") or ("th" if _THAI.match(str(m)) else "en")
        by_lang.setdefault(tag, str(m))
    return by_lang.get(lang) or by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), "")


def _labels(store: ox.Store, focus: ox.NamedNode | ox.BlankNode, lang: str, graphs: list[Any]) -> str | None:
    found: dict[str, str] = {}
    for prop in LABELS:
        for q in store.quads_for_pattern(focus, ox.NamedNode(str(prop)), None, None):
            if (graphs and q.graph_name not in graphs) or not isinstance(q.object, ox.Literal):
                continue
            found.setdefault(q.object.language or "", q.object.value)
    return pick_from(found, lang) or found.get("") or None


def engine_results(
    store: ox.Store, shapes: rdflib.Graph, lang: str, graphs: list[Any], origin: Any
) -> tuple[list[Violation], list[Violation]]:
    """Run the compiled shapes on ``store`` (its ``graphs`` as the data graph); (violations, warnings) in words.
    ``origin(focus)`` names the file a focus node comes from."""
    results = program(shapes).validate(store, graphs or None)
    found = []
    for r in results:
        focus = to_rdflib_term(r.focus)
        v = Violation(
            focus=str(focus),
            label=_labels(store, r.focus, lang, graphs) if not isinstance(r.focus, ox.Literal) else None,
            path=_short(r.path, shapes),
            message=_pick_message(r.messages, lang),
            severity=r.severity.rsplit("#", 1)[-1],
            shape=_short(r.shape, shapes),
            value=_short(to_rdflib_term(r.value), _VALUES) if r.value is not None else None,
            graph=origin(r.focus),
        )
        found.append((v, r.severity == str(SH.Violation)))
    return _split(found)


def validate_graph(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    lang: str = "en",
    origin: dict[rdflib.term.Node, str] | None = None,
    engine: str = "fast",
) -> tuple[list[Violation], list[Violation]]:
    """Validate an rdflib graph; return (violations, warnings) in words, each naming the item, its label and
    the property. ``engine``: "fast" (planlink's) or "pyshacl" (the reference)."""
    if engine == "pyshacl":
        return _from_pyshacl(data, _pyshacl(data, shapes, ontology), shapes, ontology, lang, origin)
    store = shacl.data_store(
        (ox.Triple(shacl.to_ox(s), shacl.to_ox(p), shacl.to_ox(o)) for s, p, o in data),  # type: ignore[arg-type]
        shacl.ontology_axioms(ontology),
    )
    where = origin or {}
    return engine_results(store, shapes, lang, [], lambda f: where.get(to_rdflib_term(f)))


def _from_pyshacl(
    data: rdflib.Graph,
    results: rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    lang: str,
    origin: dict[rdflib.term.Node, str] | None,
) -> tuple[list[Violation], list[Violation]]:
    found = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        v = Violation(
            focus=str(focus),
            label=_label(data, focus, lang) or _label(ontology, focus, lang),
            path=_short(results.value(result, SH.resultPath), shapes),
            message=_message(results, result, lang),
            severity=str(severity).rsplit("#", 1)[-1],
            shape=_short(results.value(result, SH.sourceShape), shapes),
            value=_short(results.value(result, SH.value), data),
            graph=(origin or {}).get(focus) if focus is not None else None,
        )
        found.append((v, severity == SH.Violation))
    return _split(found)


def validate_files(paths: Iterable[str | Path], root: Path, lang: str = "en", engine: str = "fast") -> Report:
    """Validate the given files/folders (parsed together) against the project's shapes and ontology."""
    files = expand_paths(paths)
    if engine == "pyshacl":
        data = rdflib.Graph()
        origin: dict[rdflib.term.Node, str] = {}
        for p in files:
            triples = parse_file(p)
            to_rdflib_graph(triples, data)
            for t in triples:
                origin.setdefault(to_rdflib_term(t.subject), p.name)  # type: ignore[arg-type]
        violations, warnings = validate_graph(
            data, shapes_graph(root), ontology_graph(root), lang, origin, engine="pyshacl"
        )
        return Report(not violations, [str(p) for p in files], len(data), violations, warnings)
    shapes = shapes_graph(root)
    program(shapes)  # refuse unsupported shapes before any work on the data
    store, graphs = file_store(files)
    count = distinct_triples(store, graphs)
    add_axioms(store, ontology_graph(root))
    names = {g: p.name for g, p in zip(graphs, files, strict=True)}

    def origin_of(focus: Any) -> str | None:
        if isinstance(focus, ox.Literal):
            return None
        held = {q.graph_name for q in store.quads_for_pattern(focus, None, None, None)}
        return next((names[g] for g in graphs if g in held), None)

    violations, warnings = engine_results(store, shapes, lang, [*graphs, AXIOMS], origin_of)
    return Report(not violations, [str(p) for p in files], count, violations, warnings)


def file_store(files: list[Path]) -> tuple[ox.Store, list[ox.NamedNode]]:
    """An in-memory store holding each file in a named graph of its own (parsed by Oxigraph itself)."""
    from planlink.engine.store import GraphFile, load_file

    store = ox.Store()
    graphs = [ox.NamedNode(f"urn:planlink:validation:file:{i}") for i in range(len(files))]
    for g, p in zip(graphs, files, strict=True):
        load_file(store, GraphFile(p, g.value, "data"))
    return store, graphs


def add_axioms(store: ox.Store, ontology: rdflib.Graph) -> None:
    """The ontology's RDFS and OWL axioms, in the graph ``AXIOMS`` (what pySHACL mixes into the data graph)."""
    store.extend(
        ox.Quad(shacl.to_ox(s), shacl.to_ox(p), shacl.to_ox(o), AXIOMS)  # type: ignore[arg-type]
        for s, p, o in shacl.ontology_axioms(ontology)
    )


def distinct_triples(store: ox.Store, graphs: list[ox.NamedNode]) -> int:
    """How many different triples the files hold together (a triple stated in two files counts once)."""
    if len(graphs) == 1:
        return len(store)
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        default_graph=list[Any](graphs),
    )
    return int(next(iter(rows))["n"].value)  # type: ignore[index, arg-type]


def validate_project(
    root: Path, state_dir: Path | None = None, lang: str = "en", engine: str = "fast"
) -> Report:
    """Validate the shipped data; reuse the previous result when no data, shape or ontology file changed."""
    check_project_folder(root, ("ontology", "data", "shapes"))
    data_files = rdf_files(root / "data")
    cache: Path | None = None
    if state_dir is not None:
        key = fingerprint([*data_files, *rdf_files(root / "shapes"), *rdf_files(root / "ontology")], lang)
        cache = state_dir / f"validation-{key[:24]}.json"
        if cache.is_file():
            try:
                cached = Report.from_dict(json.loads(cache.read_text("utf-8")))
                cached.reused = True
                return cached
            except (ValueError, KeyError, TypeError):
                pass
    report = validate_files(data_files, root, lang, engine)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("validation-*.json"):
            old.unlink(missing_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(report.to_dict(), ensure_ascii=False), "utf-8")
        partial.replace(cache)  # readers never see a half-written result
    return report
