"""SHACL validation of plan data (pySHACL), with readable violations and a cache keyed by file hashes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

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


def shapes_graph(root: Path) -> rdflib.Graph:
    """The project's SHACL shapes (``shapes/``) as one rdflib graph, for pySHACL."""
    return parse_to_rdflib(rdf_files(root / "shapes"))


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


def validate_graph(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    lang: str = "en",
    origin: dict[rdflib.term.Node, str] | None = None,
) -> tuple[list[Violation], list[Violation]]:
    """Run pySHACL; return (violations, warnings) in words, each naming the item, its label and the property."""
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
    violations: list[Violation] = []
    warnings: list[Violation] = []
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
        (violations if severity == SH.Violation else warnings).append(v)

    def key(v: Violation) -> tuple[str, str, str, str]:
        return (v.graph or "", v.focus, v.path or "", v.message)

    return sorted(violations, key=key), sorted(warnings, key=key)


def validate_files(paths: Iterable[str | Path], root: Path, lang: str = "en") -> Report:
    """Validate the given files/folders (parsed together) against the project's shapes and ontology."""
    files = expand_paths(paths)
    data = rdflib.Graph()
    origin: dict[rdflib.term.Node, str] = {}
    for p in files:
        triples = parse_file(p)
        to_rdflib_graph(triples, data)
        for t in triples:
            origin.setdefault(to_rdflib_term(t.subject), p.name)  # type: ignore[arg-type]
    violations, warnings = validate_graph(data, shapes_graph(root), ontology_graph(root), lang, origin)
    return Report(not violations, [str(p) for p in files], len(data), violations, warnings)


def validate_project(root: Path, state_dir: Path | None = None, lang: str = "en") -> Report:
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
    report = validate_files(data_files, root, lang)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("validation-*.json"):
            old.unlink(missing_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(report.to_dict(), ensure_ascii=False), "utf-8")
        partial.replace(cache)  # readers never see a half-written result
    return report
