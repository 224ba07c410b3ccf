"""The one table of media types, and the one function that picks a format for a request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from planlink.foundation.errors import NotAcceptable


@dataclass(frozen=True)
class Format:
    """One format planlink writes (or reads): its name (for ``?format=`` and the code), media type, kind, file
    suffixes (the first is the one planlink uses), other names that ask for it, its pyoxigraph format where
    there is one, and its W3C format name (http://www.w3.org/ns/formats/) where the W3C gives one."""

    name: str
    media_type: str
    kind: (
        str  # "results" (SELECT/ASK), "graph" (triples), "dataset" (quads), "page" (documents and plain data)
    )
    suffixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other media types and names that ask for this format
    ox: ox.RdfFormat | ox.QueryResultsFormat | None = None
    w3c: str | None = None

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/trig", "/n-quads", "/n-triples", "/markdown")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def is_rdf(self) -> bool:
        return isinstance(self.ox, ox.RdfFormat)


# The W3C's names of the formats: the IRIs that VoID, DCAT and the SPARQL service description use.
FORMATS_NS = "http://www.w3.org/ns/formats/"

# The one table. Names are unique except "json": the SPARQL results format comes first (``get("json")``), plain
# JSON for pages that also answer machines (listings, search hits, error bodies) is ``JSON_PAGE``.
FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "results",
        (".srj", ".json"),
        ("application/json", "json"),
        ox.QueryResultsFormat.JSON,
        "SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "results",
        (".srx", ".xml"),
        ("application/xml", "text/xml", "xml"),
        ox.QueryResultsFormat.XML,
        "SPARQL_Results_XML",
    ),
    Format(
        "csv", "text/csv", "results", (".csv",), ("csv",), ox.QueryResultsFormat.CSV, "SPARQL_Results_CSV"
    ),
    Format(
        "tsv",
        "text/tab-separated-values",
        "results",
        (".tsv",),
        ("tsv",),
        ox.QueryResultsFormat.TSV,
        "SPARQL_Results_TSV",
    ),
    # A spreadsheet (Office Open XML workbook) of a SELECT or ASK answer, and of the alignment report.
    Format(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "results",
        (".xlsx",),
        ("xlsx", "excel", "spreadsheet"),
    ),
    Format(
        "turtle",
        "text/turtle",
        "graph",
        (".ttl",),
        ("application/x-turtle", "ttl", "turtle", "text/n3", "text/rdf+n3", "application/n3", "n3"),
        ox.RdfFormat.TURTLE,
        "Turtle",
    ),
    Format(
        "ntriples",
        "application/n-triples",
        "graph",
        (".nt",),
        ("text/plain", "nt", "ntriples", "n-triples"),
        ox.RdfFormat.N_TRIPLES,
        "N-Triples",
    ),
    Format(
        "jsonld",
        "application/ld+json",
        "graph",
        (".jsonld",),
        ("application/json", "jsonld", "json-ld"),
        ox.RdfFormat.JSON_LD,
        "JSON-LD",
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        "graph",
        (".rdf",),
        ("application/xml", "rdf", "rdfxml", "xml"),
        ox.RdfFormat.RDF_XML,
        "RDF_XML",
    ),
    Format(
        "nquads",
        "application/n-quads",
        "dataset",
        (".nq",),
        ("nq", "nquads", "n-quads"),
        ox.RdfFormat.N_QUADS,
        "N-Quads",
    ),
    Format("trig", "application/trig", "dataset", (".trig",), ("trig",), ox.RdfFormat.TRIG, "TriG"),
    Format("html", "text/html", "page", (".html",), ("application/xhtml+xml", "html")),
    Format("markdown", "text/markdown", "page", (".md",), ("md", "markdown")),
    Format("json", "application/json", "page", (".json",), ("json",)),
    # An SSSOM mapping table (TSV with a YAML header), for the alignment report's links.
    Format("sssom", "text/tab-separated-values", "page", (".sssom.tsv",), ("sssom", "tsv")),
    Format("text", "text/plain", "page", (".txt",), ("txt", "text")),
)

BY_NAME: dict[str, Format] = {}
for _f in FORMATS:
    BY_NAME.setdefault(_f.name, _f)


def get(name: str) -> Format:
    """The format called ``name`` (for "json": the SPARQL results format; plain JSON is ``JSON_PAGE``)."""
    return BY_NAME[name]


def _select(*names: str) -> tuple[Format, ...]:
    return tuple(get(n) for n in names)


HTML = get("html")
JSON_PAGE = next(f for f in FORMATS if f.name == "json" and f.kind == "page")
SSSOM_TSV = get("sssom")
TEXT = get("text")

# -- the groups: what each kind of answer is offered in, in the order it is offered -----------------------------
# SELECT and ASK answers.
RESULT_FORMATS = tuple(f for f in FORMATS if f.kind == "results")
# Graph answers (CONSTRUCT/DESCRIBE) may also be sent as N-Quads or TriG (of the default graph).
GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind in ("graph", "dataset"))
# The formats that write every named graph of a dataset.
DATASET_FORMATS = _select("trig", "nquads", "jsonld")
# An RDF document (the dataset description, the service description, the ontology, the shapes): Turtle first.
RDF_DOCUMENT_FORMATS = _select("turtle", "jsonld", "ntriples", "rdfxml")
# A resource's or a named graph's description: the documents' formats, and the dataset formats.
RESOURCE_FORMATS = (*RDF_DOCUMENT_FORMATS, *_select("trig", "nquads"))
# Whole-graph exports (``planlink export``).
EXPORT_FORMATS = _select("trig", "nquads", "turtle", "jsonld", "ntriples", "rdfxml")
# A listing for people and machines (curated queries, downloads, search hits).
LISTING_FORMATS = (HTML, JSON_PAGE)
# The alignment report.
REPORT_FORMATS = (HTML, get("markdown"), get("csv"), JSON_PAGE, SSSOM_TSV, get("xlsx"))
XLSX = get("xlsx")
# Error bodies: JSON unless the client prefers a page or plain text.
ERROR_FORMATS = (JSON_PAGE, HTML, TEXT)
# Every format with a W3C name (the result formats a service description lists).
W3C_FORMATS = tuple(f for f in FORMATS if f.w3c)


def w3c_iri(name: str) -> str:
    """The W3C format IRI of format ``name``."""
    w3c = get(name).w3c
    if w3c is None:
        raise KeyError(f"the format {name!r} has no W3C name")
    return FORMATS_NS + w3c


def by_suffix(suffix: str, offered: tuple[Format, ...]) -> Format | None:
    """The offered format with the file suffix ``suffix`` (with its dot), if any."""
    return next((f for f in offered if suffix in f.suffixes), None)


def for_file_suffix(path: str | PurePath) -> Format | None:
    """The RDF format a file is read in, by its suffix (``.ttl``, ``.nt``, ``.rdf``, ``.jsonld``, ``.trig``,
    ``.nq``); None for any other file."""
    return by_suffix(PurePath(path).suffix, GRAPH_FORMATS)


RDF_FILE_SUFFIXES = tuple(s for f in GRAPH_FORMATS for s in f.suffixes)


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
    return _by_accept(offered, accept, default)


@lru_cache(maxsize=1024)
def _by_accept(offered: tuple[Format, ...], accept: str, default: Format) -> Format:
    """The offered format ``accept`` prefers (remembered: clients send the same few Accept headers, and werkzeug's
    parsing and matching cost about 20 µs a request; a header that matches nothing raises every time)."""
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
