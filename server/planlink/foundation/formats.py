"""The one table of media types, and the one function that picks a format for a request."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from planlink.foundation.errors import NotAcceptable


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    kind: str  # "results" (SELECT/ASK), "graph" (triples), "dataset" (quads), "page" (documents)
    suffixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other media types and names that ask for this format
    ox: object | None = None  # the pyoxigraph RdfFormat / QueryResultsFormat, where there is one

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/trig", "/n-quads", "/n-triples", "/markdown")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


# The W3C's names of the formats (http://www.w3.org/ns/formats/), by planlink's format name: the IRIs that
# VoID, DCAT and the SPARQL service description use.
FORMATS_NS = "http://www.w3.org/ns/formats/"
W3C_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def w3c_iri(name: str) -> str:
    """The W3C format IRI of format ``name``."""
    return FORMATS_NS + W3C_NAMES[name]


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "results",
        (".srj", ".json"),
        ("application/json", "json"),
        ox.QueryResultsFormat.JSON,
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "results",
        (".srx", ".xml"),
        ("application/xml", "text/xml", "xml"),
        ox.QueryResultsFormat.XML,
    ),
    Format("csv", "text/csv", "results", (".csv",), ("csv",), ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "results", (".tsv",), ("tsv",), ox.QueryResultsFormat.TSV),
    Format(
        "turtle",
        "text/turtle",
        "graph",
        (".ttl",),
        ("application/x-turtle", "ttl", "turtle", "text/n3", "text/rdf+n3", "application/n3", "n3"),
        ox.RdfFormat.TURTLE,
    ),
    Format(
        "ntriples",
        "application/n-triples",
        "graph",
        (".nt",),
        ("text/plain", "nt", "ntriples", "n-triples"),
        ox.RdfFormat.N_TRIPLES,
    ),
    Format(
        "jsonld",
        "application/ld+json",
        "graph",
        (".jsonld",),
        ("application/json", "jsonld", "json-ld"),
        ox.RdfFormat.JSON_LD,
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        "graph",
        (".rdf",),
        ("application/xml", "rdf", "rdfxml", "xml"),
        ox.RdfFormat.RDF_XML,
    ),
    Format(
        "nquads",
        "application/n-quads",
        "dataset",
        (".nq",),
        ("nq", "nquads", "n-quads"),
        ox.RdfFormat.N_QUADS,
    ),
    Format("trig", "application/trig", "dataset", (".trig",), ("trig",), ox.RdfFormat.TRIG),
    Format("html", "text/html", "page", (".html",), ("application/xhtml+xml", "html")),
    Format("markdown", "text/markdown", "page", (".md",), ("md", "markdown")),
)

# Plain JSON, for pages that also answer machines (listings, search hits). Kept out of FORMATS, whose "json" is
# the SPARQL results format.
JSON_PAGE = Format("json", "application/json", "page", (".json",), ("json",))
# An SSSOM mapping table (TSV with a YAML header), for the alignment report's links.
SSSOM_TSV = Format("sssom", "text/tab-separated-values", "page", (".sssom.tsv",), ("sssom", "tsv"))

BY_NAME = {f.name: f for f in FORMATS}
RESULT_FORMATS = tuple(f for f in FORMATS if f.kind == "results")
# Graph answers (CONSTRUCT/DESCRIBE) may also be sent as N-Quads or TriG (of the default graph).
GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind in ("graph", "dataset"))
DATASET_FORMATS = (BY_NAME["trig"], BY_NAME["nquads"], BY_NAME["jsonld"])


def get(name: str) -> Format:
    return BY_NAME[name]


def by_suffix(suffix: str, offered: tuple[Format, ...]) -> Format | None:
    return next((f for f in offered if suffix in f.suffixes), None)


def _explicit(value: str, offered: tuple[Format, ...]) -> Format:
    v = value.strip().lower()
    for f in offered:
        if v in (f.name, f.media_type, f.suffix.lstrip(".")) or v in f.aliases:
            return f
    names = ", ".join(f.name for f in offered)
    raise NotAcceptable(f"format {value!r} is not offered here; choose one of: {names}", offered=names)


def negotiate(
    offered: tuple[Format, ...],
    accept: str | None = None,
    explicit: str | None = None,
    default: Format | None = None,
) -> Format:
    """Pick a format: an explicit ``format`` (name, suffix or media type) wins; then ``Accept`` with its
    q-values; no ``Accept`` (or ``*/*``) gets ``default`` (the first offered format when not given)."""
    if explicit:
        return _explicit(explicit, offered)
    default = default or offered[0]
    if not accept or not accept.strip():
        return default
    parsed = parse_accept_header(accept, MIMEAccept)
    if not parsed:
        return default
    candidates: dict[str, Format] = {}
    for f in offered:
        candidates.setdefault(f.media_type, f)
    for f in offered:
        for alias in f.aliases:
            if "/" in alias:
                candidates.setdefault(alias, f)
    # The default first, so that "*/*" and equal q-values prefer it.
    order = [default.media_type] + [m for m in candidates if m != default.media_type]
    best = parsed.best_match(order)
    if best is None:
        wanted = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(
            f"none of the media types in Accept ({accept}) can be served here; available: {wanted}",
            available=wanted,
        )
    return candidates[best]
