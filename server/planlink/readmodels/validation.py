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
FOCUS = ox.NamedNode("urn:planlink:validation:focus")
_VALUES = rdflib.Graph()  # values are shortened with the prefixes of a plain data graph, as they always were


@dataclass
class Report:
    conforms: bool
    files: list[str]
    triples: int
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    reused: bool = field(default=False, compare=False)  # read from the state folder, not validated again
    revalidated: list[str] | None = field(default=None, compare=False)  # incremental: files validated again

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else f"does NOT conform: {len(self.violations)} violation(s)"
        extra = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return f"{len(self.files)} file(s), {self.triples} triples: {verdict}{extra}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("reused")
        d.pop("revalidated")
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
        values = sorted(
            (q.object.language or "", q.object.value)
            for q in store.quads_for_pattern(focus, ox.NamedNode(str(prop)), None, None)
            if (not graphs or q.graph_name in graphs) and isinstance(q.object, ox.Literal)
        )
        # the first by language, then text: the same label whatever the order of the store
        for tag, text in values:
            found.setdefault(tag, text)
    return pick_from(found, lang) or found.get("") or None


def engine_results(
    store: ox.Store, shapes: rdflib.Graph, lang: str, graphs: list[Any], origin: Any
) -> tuple[list[Violation], list[Violation]]:
    """Run the compiled shapes on ``store`` (its ``graphs`` as the data graph); (violations, warnings) in words.
    ``origin(focus)`` names the file a focus node comes from."""
    results = program(shapes).validate(store, graphs or None)
    return _split(engine_found(store, shapes, lang, graphs, origin, results))


def engine_found(
    store: ox.Store, shapes: rdflib.Graph, lang: str, graphs: list[Any], origin: Any, results: list[Any]
) -> list[tuple[Violation, bool]]:
    """The engine's results in words, each with whether it is a violation (else a warning)."""
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
    return found


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
    return _checked(files, root, lang, None, keep_files=False)[0]


@dataclass
class FileFacts:
    """What the incremental validation keeps of one data file: its digest, the IRIs it has statements about
    (subjects), the IRIs it points to (objects, but not the classes of rdf:type), its triple count, and the
    results whose focus node is one of its subjects (as Violation dicts, with whether each is a violation)."""

    digest: str
    subjects: frozenset[str]
    mentions: frozenset[str]
    triples: int
    results: list[tuple[dict, bool]] = field(default_factory=list)


def _checked(
    files: list[Path],
    root: Path,
    lang: str,
    focus: set[str] | None,
    constants: dict[str, bool] | None = None,
    keep_files: bool = True,
) -> tuple[Report, dict[str, FileFacts], list[tuple[Violation, bool]]]:
    """Validate ``files`` together (the data graph is all of them); with ``focus`` (IRIs), only those focus
    nodes (the file of each result is then left to the caller). With ``keep_files``, each file is also kept as a
    named graph, and what is known of each file is returned (for the incremental validation); without, the
    files go straight into the default graph (the quickest) and are read again only to say where a focus
    node with a problem comes from."""
    shapes = shapes_graph(root)
    compiled = program(shapes)  # refuse unsupported shapes before any work on the data
    facts: dict[str, FileFacts] = {}
    if focus is not None:  # some focus nodes only: they are listed in a graph of their own
        store = _default_store(files)
        count = len(store)
        store.extend(ox.Quad(ox.NamedNode(iri), FOCUS, FOCUS, FOCUS) for iri in focus)

        def origin_of(f: Any) -> str | None:
            return None

    else:
        store = _default_store(files)
        count = len(store)
        if keep_files:
            facts = facts_by_reading(files)
            order = [(p.name, facts[str(p)].subjects) for p in files]

            def origin_of(f: Any) -> str | None:
                if isinstance(f, ox.Literal):
                    return None
                return next((name for name, subjects in order if f.value in subjects), None)

        else:
            origin_of = _origin_by_reading(files)
    add_axioms(store, ontology_graph(root))

    found = engine_found(
        store,
        shapes,
        lang,
        [ox.DefaultGraph()],
        origin_of,
        compiled.validate(
            store,
            None,
            FOCUS if focus is not None else None,
            constants,
        ),
    )
    violations, warnings = _split(found)
    return Report(not violations, [str(p) for p in files], count, violations, warnings), facts, found


def facts_by_reading(files: list[Path]) -> dict[str, FileFacts]:
    """``FileFacts`` of each file, by reading it (no second copy of the data in a store)."""
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    out = {}
    for p in files:
        subjects: set[str] = set()
        mentions: set[str] = set()
        triples = parse_file(p)
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                subjects.add(t.subject.value)
            if isinstance(t.object, ox.NamedNode) and t.predicate.value != rdf_type:
                mentions.add(t.object.value)
        out[str(p)] = FileFacts(_digest(p), frozenset(subjects), frozenset(mentions), len(set(triples)))
    return out


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _default_store(files: list[Path]) -> ox.Store:
    """An in-memory store holding all files in its default graph."""
    from planlink.engine.store import load_into_default

    store = ox.Store()
    for p in files:
        load_into_default(store, p)
    return store


def _origin_by_reading(files: list[Path]) -> Any:
    """``origin(focus)``: the first file with the focus node as a subject, found by reading the files again
    (once, on the first question: only a report with problems asks)."""
    found: dict[str, str] = {}
    read = False

    def origin(focus: Any) -> str | None:
        nonlocal read
        if isinstance(focus, ox.Literal):
            return None
        if not read:
            read = True
            for p in files:
                for t in parse_file(p):
                    if not isinstance(t.subject, ox.BlankNode):
                        found.setdefault(t.subject.value, p.name)  # type: ignore[union-attr]
        return found.get(focus.value)

    return origin


def add_axioms(store: ox.Store, ontology: rdflib.Graph) -> None:
    """The ontology's RDFS and OWL axioms (what pySHACL mixes into the data graph), in the default graph."""
    store.extend(
        ox.Quad(shacl.to_ox(s), shacl.to_ox(p), shacl.to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in shacl.ontology_axioms(ontology)
    )


def validate_project(
    root: Path, state_dir: Path | None = None, lang: str = "en", engine: str = "fast"
) -> Report:
    """Validate the shipped data; reuse the previous result when no data, shape or ontology file changed.

    With a state folder, the fast engine also keeps what it learnt of each file (``FileFacts``, keyed by the
    shapes, the ontology and the language). After a change to a few files it validates again only the focus
    nodes of the files that can see the change: the changed files, every file that names one of their
    subjects or one of the IRIs they point to, and (as context, not validated again) the files that describe
    what those point to. Results of every other file are reused. When an EXISTS that does not depend on the
    focus node (such as "the data holds some plan item") comes out differently in that context, or more than
    a quarter of the files changed, everything is validated again."""
    check_project_folder(root, ("ontology", "data", "shapes"))
    data_files = rdf_files(root / "data")
    rules = [*rdf_files(root / "shapes"), *rdf_files(root / "ontology")]
    cache: Path | None = None
    if state_dir is not None:
        key = fingerprint([*data_files, *rules], lang)
        cache = state_dir / f"validation-{key[:24]}.json"
        if cache.is_file():
            try:
                cached = Report.from_dict(json.loads(cache.read_text("utf-8")))
                cached.reused = True
                return cached
            except (ValueError, KeyError, TypeError):
                pass
    if state_dir is None or engine != "fast":
        report = validate_files(data_files, root, lang, engine)
    else:
        report = _incremental(
            data_files, root, lang, state_dir / f"validation-files-{fingerprint(rules, lang)[:24]}.pickle"
        )
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("validation-*.json"):
            old.unlink(missing_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(report.to_dict(), ensure_ascii=False), "utf-8")
        partial.replace(cache)  # readers never see a half-written result
    return report


@dataclass
class _Known:
    files: dict[str, FileFacts]
    constants: dict[str, bool]
    triples: int  # different triples of all files together
    overlap: int = 0  # triples stated in more than one file, counted once (as of the last full validation)


def _incremental(files: list[Path], root: Path, lang: str, index: Path) -> Report:
    import pickle

    known: _Known | None = None
    if index.is_file():
        try:
            known = pickle.loads(index.read_bytes())  # noqa: S301 - our own state folder
        except Exception:  # noqa: BLE001 - an unreadable index is only a slower start
            known = None
    report: Report | None = None
    if isinstance(known, _Known):
        report = _revalidate(files, root, lang, known)
    if report is None or known is None:
        constants: dict[str, bool] = {}
        report, facts, found = _checked(files, root, lang, None, constants)
        _attribute(facts, found)
        known = _Known(
            facts, constants, report.triples, sum(f.triples for f in facts.values()) - report.triples
        )
    index.parent.mkdir(parents=True, exist_ok=True)
    for old in index.parent.glob("validation-files-*.pickle"):
        if old != index:
            old.unlink(missing_ok=True)
    partial = index.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(known))
    partial.replace(index)
    return report


def _attribute(facts: dict[str, FileFacts], found: list[tuple[Violation, bool]]) -> None:
    """File each result under the first file (in order) that has its focus node as a subject."""
    order = list(facts)
    for v, is_violation in found:
        home = next((f for f in order if v.focus in facts[f].subjects), None)
        d = asdict(v)
        if home is None:
            home = next((f for f in order if Path(f).name == v.graph), order[0])
        else:
            d["graph"] = Path(home).name
        facts[home].results.append((d, is_violation))


def _revalidate(files: list[Path], root: Path, lang: str, known: _Known) -> Report | None:
    """The report after a change to a few files, validating again only what the change can reach; None
    when everything must be validated again. Updates ``known`` in place."""
    names = [str(p) for p in files]
    digests = {n: _digest(p) for n, p in zip(names, files, strict=True)}
    changed = [n for n in names if n not in known.files or known.files[n].digest != digests[n]]
    removed = [n for n in known.files if n not in digests]
    if not changed and not removed:
        found = [r for n in names for r in known.files[n].results]
        violations, warnings = _split([(Violation(**d), ok) for d, ok in found])
        return Report(not violations, names, known.triples, violations, warnings, revalidated=[])
    if len(changed) + len(removed) > max(1, len(names) // 4):
        return None
    # the new facts of the changed files (fast: a few files)
    fresh = facts_by_reading([files[names.index(n)] for n in changed])
    every_subject: set[str] = set()
    for n in names:
        every_subject |= (fresh[n] if n in fresh else known.files[n]).subjects
    touched: set[str] = set()
    for n in [*changed, *removed]:
        for facts in (fresh.get(n), known.files.get(n)):
            if facts is not None:
                touched |= facts.subjects | (facts.mentions & every_subject)

    def facts_of(n: str) -> FileFacts:
        return fresh[n] if n in fresh else known.files[n]

    again = set(changed) | {n for n in names if (facts_of(n).subjects | facts_of(n).mentions) & touched}
    # validated again: the subjects of the changed files, and the subjects of the files that can see the
    # change whose statements are all in such files (an issue that an unchanged anchors file also mentions,
    # but whose own plan cannot see the change, keeps its result)
    candidates: set[str] = set().union(*(facts_of(n).subjects for n in again))
    elsewhere: set[str] = set()
    for n in names:
        if n not in again:
            elsewhere |= candidates & facts_of(n).subjects
    focus = (candidates - elsewhere) | set().union(*(fresh[n].subjects for n in changed))
    pointed = focus.union(*(facts_of(n).mentions for n in again))
    context = again | {n for n in names if facts_of(n).subjects & pointed}
    chosen = [p for n, p in zip(names, files, strict=True) if n in context]
    constants: dict[str, bool] = {}
    _, _facts, again_found = _checked(chosen, root, lang, focus, constants)
    if any(known.constants.get(k, v) != v for k, v in constants.items()):
        return None
    # replace the results of every focus node validated again; keep all others
    redone = set(focus)
    for n in [*changed, *removed]:
        if n in known.files:
            redone |= known.files[n].subjects
    for n in removed:
        known.files.pop(n, None)
    for n in changed:
        known.files[n] = fresh[n]
    for n in known.files:
        known.files[n].results = [r for r in known.files[n].results if r[0]["focus"] not in redone]
    ordered = {n: known.files[n] for n in names}
    _attribute(ordered, again_found)
    known.files = ordered
    known.triples = sum(f.triples for f in ordered.values()) - known.overlap
    all_found = [(Violation(**d), ok) for n in names for d, ok in ordered[n].results]
    violations, warnings = _split(all_found)
    return Report(not violations, names, known.triples, violations, warnings, revalidated=sorted(again))
