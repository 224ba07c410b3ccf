"""The description of one resource, as linked data serves it: its own statements, a bounded set of the
statements that point to it, and the labels and notations of everything on the other end, each statement
kept with the named graph (data file) it comes from.

Two SPARQL queries build it (outgoing + labels, inbound + labels), both through the query service, so they
are checked, time-limited and cached by data version. Triple formats (Turtle, N-Triples, JSON-LD, RDF/XML)
get the statements merged, plus a few statements about the document itself (``foaf:primaryTopic``,
``prov:wasDerivedFrom`` each graph it draws on); TriG and N-Quads keep every statement in its named graph
(and the statements about the document in the default graph).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from planlink.foundation.errors import BadRequest
from planlink.foundation.formats import Format
from planlink.foundation.namespaces import sparql_prologue
from planlink.foundation.text import other_lang

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
LABELS = (SKOS + "prefLabel", RDFS + "label")
INBOUND_LIMIT = 1000  # rows of the inbound query (statements pointing here, and their subjects' labels)
MAX_PATH = 300  # characters of a resource path (after /id/, /doc/ or /graph/)

OUTGOING_QUERY = """
SELECT DISTINCT ?this ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?this ?p ?o } BIND(?this AS ?s) }
  UNION
  { ?this ?q ?s . FILTER(isIRI(?s) && ?s != ?this)
    GRAPH ?g { ?s ?p ?o } VALUES ?p { skos:prefLabel rdfs:label skos:notation } }
}"""

INBOUND_QUERY = f"""
SELECT DISTINCT ?this ?s ?p ?o ?g WHERE {{
  {{ GRAPH ?g {{ ?s ?p ?this }} BIND(?this AS ?o) FILTER(?s != ?this) }}
  UNION
  {{ ?s ?q ?this . FILTER(isIRI(?s) && ?s != ?this)
    GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ skos:prefLabel rdfs:label skos:notation }} }}
}} LIMIT {INBOUND_LIMIT}"""

GRAPH_QUERY = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"

INDEX_QUERY = """
SELECT ?r ?label WHERE {
  { SELECT DISTINCT ?r WHERE { { ?r ?p ?o } UNION { ?s ?p ?r FILTER(isIRI(?r)) } } }
  OPTIONAL { ?r skos:prefLabel|rdfs:label ?label }
}"""

# Characters an IRI path may never hold (RFC 3987: controls, space and the excluded delimiters).
_BAD_CHARS = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')


@dataclass
class Description:
    """The statements of a description as quads; ``truncated`` when the inbound part hit its bound."""

    iri: str
    quads: list[ox.Quad] = field(default_factory=list)
    truncated: bool = False

    @property
    def found(self) -> bool:
        return bool(self.quads)

    def graphs(self) -> list[str]:
        return sorted({q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)})

    def triples(self) -> list[ox.Triple]:
        """The statements without their graphs, each once, in a stable order."""
        seen: dict[ox.Triple, None] = {}
        for q in self.quads:
            seen.setdefault(q.triple, None)
        return list(seen)

    # -- reading, for pages -------------------------------------------------------------------------
    def outgoing(self) -> list[ox.Quad]:
        return [q for q in self.quads if isinstance(q.subject, ox.NamedNode) and q.subject.value == self.iri]

    def inbound(self) -> list[ox.Quad]:
        return [
            q
            for q in self.quads
            if isinstance(q.object, ox.NamedNode)
            and q.object.value == self.iri
            and not (isinstance(q.subject, ox.NamedNode) and q.subject.value == self.iri)
        ]

    def values(self, subject: str, predicate: str) -> list[Any]:
        out: dict[Any, None] = {}
        for q in self.quads:
            if (
                isinstance(q.subject, ox.NamedNode)
                and q.subject.value == subject
                and q.predicate.value == predicate
            ):
                out.setdefault(q.object, None)
        return list(out)

    def first(self, subject: str, predicate: str) -> Any | None:
        vals = self.values(subject, predicate)
        return vals[0] if vals else None

    def types(self, subject: str | None = None) -> list[str]:
        return [t.value for t in self.values(subject or self.iri, RDF_TYPE) if isinstance(t, ox.NamedNode)]

    def label(self, iri: str, lang: str) -> str | None:
        """The label of ``iri`` in ``lang`` (prefLabel, then rdfs:label), else in the other language."""
        for want in (lang, other_lang(lang), ""):
            for pred in LABELS:
                for v in self.values(iri, pred):
                    if isinstance(v, ox.Literal) and (v.language or "") == want:
                        return str(v.value)
        return None

    def exact_label(self, iri: str, lang: str) -> str | None:
        """The label of ``iri`` in exactly ``lang``, or None."""
        for pred in LABELS:
            for v in self.values(iri, pred):
                if isinstance(v, ox.Literal) and v.language == lang:
                    return str(v.value)
        return None

    def notations(self, iri: str) -> list[str]:
        return sorted(str(v.value) for v in self.values(iri, SKOS + "notation") if isinstance(v, ox.Literal))

    # -- writing ------------------------------------------------------------------------------------
    def serialize(self, fmt: Format, doc_iri: str, prefixes: dict[str, str], about: bool = True) -> bytes:
        """The description in ``fmt`` (a graph or dataset format of formats.py); with ``about``, preceded by
        statements about the document ``doc_iri`` (in the default graph of TriG and N-Quads)."""
        if fmt.ox is None or not isinstance(fmt.ox, ox.RdfFormat):
            raise BadRequest(f"{fmt.name} is not an RDF format")
        about_doc = self.about(doc_iri) if about else []
        if fmt.ox.supports_datasets and fmt.name != "jsonld":
            items: list[Any] = [
                ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in about_doc
            ]
            items += self.quads
        else:
            items = about_doc + self.triples()
        return ox.serialize(items, format=fmt.ox, prefixes=prefixes) or b""

    def about(self, doc_iri: str) -> list[ox.Triple]:
        """Statements about the document: what it describes and which named graphs it draws on."""
        doc = ox.NamedNode(doc_iri)
        out = [
            ox.Triple(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF + "Document")),
            ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), ox.NamedNode(self.iri)),
        ]
        out += [ox.Triple(doc, ox.NamedNode(PROV + "wasDerivedFrom"), ox.NamedNode(g)) for g in self.graphs()]
        return out


def _quads(rows: Iterable[dict[str, Any]]) -> list[ox.Quad]:
    out: dict[ox.Quad, None] = {}
    for r in rows:
        if {"s", "p", "o", "g"} <= r.keys():
            out.setdefault(ox.Quad(r["s"], r["p"], r["o"], r["g"]), None)
    return list(out)


def describe(query: Any, base: str, iri: str) -> Description:
    """The description of ``iri`` (two queries through ``query``, a QueryService)."""
    prologue = sparql_prologue(base)
    subs = {"this": ox.NamedNode(iri)}
    outgoing = query.rows(prologue + OUTGOING_QUERY, subs)
    inbound = query.rows(prologue + INBOUND_QUERY, subs)
    return Description(iri, _quads([*outgoing, *inbound]), len(inbound) >= INBOUND_LIMIT)


def graph_contents(query: Any, base: str, graph_iri: str) -> Description:
    """Everything in one named graph, as a Description whose topic is the graph (cut at the row cap)."""
    answer = query.run(
        sparql_prologue(base) + GRAPH_QUERY, "rows", substitutions={"g": ox.NamedNode(graph_iri)}
    )
    out = answer.outcome
    names = out.variables or []
    rows = [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in out.rows or []]
    return Description(graph_iri, _quads(rows), out.truncated)


# -- paths and near matches ---------------------------------------------------------------------------


def check_path(path: str) -> str:
    """A resource path as it came in the URL (after the area, e.g. ``lower-north-1/issue/1``), checked:
    a 400 for what can never be a planlink IRI (bad characters, dot segments, empty segments, length)."""
    decoded = unquote(path)
    if len(decoded) > MAX_PATH:
        raise BadRequest(
            f"the resource path is {len(decoded)} characters long; planlink IRIs are at most {MAX_PATH}",
            path=decoded[:80] + "…",
        )
    bad = _BAD_CHARS.search(decoded)
    if bad:
        raise BadRequest(
            f"the resource path holds a character that no IRI may hold ({bad.group()!r} at "
            f"position {bad.start() + 1})",
            path=decoded,
        )
    segments = decoded.split("/")
    if any(s in (".", "..") for s in segments):
        raise BadRequest(
            "the resource path holds a '.' or '..' segment; planlink IRIs have none", path=decoded
        )
    if decoded and any(s == "" for s in segments[:-1]):
        raise BadRequest("the resource path holds an empty segment ('//')", path=decoded)
    try:  # what is left to the IRI grammar (e.g. bytes that are not UTF-8 arrive as U+FFFD, which no IRI holds)
        ox.NamedNode("https://example.org/" + decoded)
    except ValueError as exc:
        raise BadRequest(f"the resource path is not part of a valid IRI: {exc}", path=decoded) from exc
    return decoded


@dataclass
class IndexEntry:
    iri: str
    labels: list[str] = field(default_factory=list)


def resource_index(query: Any, base: str) -> list[IndexEntry]:
    """Every IRI under ``base`` that the data mentions, with its labels (for suggestions on a 404)."""
    entries: dict[str, IndexEntry] = {}
    for r in query.rows(sparql_prologue(base) + INDEX_QUERY):
        term = r.get("r")
        if not isinstance(term, ox.NamedNode) or not term.value.startswith(base):
            continue
        e = entries.setdefault(term.value, IndexEntry(term.value, []))
        if "label" in r:
            e.labels.append(str(r["label"].value))
    return list(entries.values())


def suggest(entries: list[IndexEntry], base: str, wanted_path: str, limit: int = 5) -> list[IndexEntry]:
    """Known resources near ``wanted_path`` (e.g. ``id/lower-north-1/isue/1``): by IRI path similarity, and
    by label similarity of the last path segment (``id/นครสวรรค์`` finds Nakhon Sawan)."""
    wanted = wanted_path.strip("/").lower()
    tail = re.sub(r"[-_]+", " ", wanted.rsplit("/", 1)[-1]).strip()
    scored: list[tuple[float, str, IndexEntry]] = []
    for e in entries:
        path = e.iri[len(base) :].lower()
        score = difflib.SequenceMatcher(None, wanted, path).ratio()
        if len(tail) >= 3:
            for label in e.labels:
                lab = label.lower()
                s = difflib.SequenceMatcher(None, tail, lab).ratio()
                if tail in lab:
                    s = max(s, 0.6 + 0.4 * len(tail) / max(len(lab), 1))
                score = max(score, s)
        if score >= 0.55:
            scored.append((score, e.iri, e))
    scored.sort(key=lambda x: (-x[0], len(x[1]), x[1]))
    return [e for _, _, e in scored[:limit]]
