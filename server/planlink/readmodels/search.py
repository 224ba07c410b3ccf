"""Search over the labels and texts of every resource, in Thai or English, with SQLite FTS5.

Thai is written without spaces between words, so every text is cut into words with PyThaiNLP (newmm, its
bundled dictionary; nothing is downloaded) and indexed with the words joined by spaces. The dictionary keeps
compounds whole (การท่องเที่ยว, แหล่งท่องเที่ยว, เกษตรกร), so each word is also cut into its syllables, indexed in a
second column: a query word matches a whole word, or the same run of syllables inside a longer word. English
goes through FTS5's porter stemmer (logistics = logistic). User input never reaches FTS5 as syntax: each word
becomes a quoted string. Results are ranked by bm25(), labels weighing more than longer texts.

The index is built once per process and data version, from SPARQL answers of the query service.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from planlink.engine.service import QueryService
from planlink.foundation.errors import BadRequest
from planlink.foundation.namespaces import sparql_prologue
from planlink.foundation.text import other_lang, pick_from, stop_words

# PyThaiNLP must never fetch anything while serving: the newmm dictionary and the syllable dictionary ship
# with it. Offline mode turns a missing corpus into an error instead of a download; read-only mode stops it
# from creating ~/pythainlp-data.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from pythainlp.tokenize import syllable_tokenize, word_tokenize

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

THAI = re.compile(r"[\u0E00-\u0E7F]")
EDGE_PUNCTUATION = re.compile(r"^[^\w\u0E00-\u0E7F]+|[^\w\u0E00-\u0E7F]+$")
# Thai letters, vowel signs and tone marks are token characters for FTS5 (unicode61 would split words at
# every combining mark).
THAI_TOKENCHARS = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")
TOKENIZE = f"porter unicode61 tokenchars '{THAI_TOKENCHARS}'"
# Columns of the FTS table and their bm25 weights. Labels count more than longer texts. A Thai query word found
# inside a compound (ท่องเที่ยว in การท่องเที่ยว) matches the syllable column only; found as a word of its own it
# matches both, and counts a little more.
COLUMNS = (
    ("label_th", 2.0),
    ("label_th_parts", 4.0),
    ("text_th", 0.3),
    ("text_th_parts", 0.6),
    ("label_en", 4.0),
    ("text_en", 0.6),
)

# A prior on top of bm25, by type: a development issue (the plan's headline) before the items under it, alignment
# records (which quote both items they link) after the items themselves. Types not listed count 1.
TYPE_BOOST = {
    "ClusterPlan": 1.6,
    "ProvincialPlan": 1.6,
    "DevelopmentIssue": 1.6,
    "DevelopmentTarget": 1.3,
    "Mission": 1.3,
    "Objective": 1.2,
    "Goal": 1.2,
    "Guideline": 1.2,
    "ValueChainElement": 1.1,
    "KeySuccessFactor": 1.1,
    "AlignmentRecord": 0.6,
    "NoCounterpartRecord": 0.6,
}

TEXT_PROPERTIES = (
    "skos:prefLabel",
    "rdfs:label",
    "dcterms:title",
    "skos:altLabel",
    "skos:notation",
    "plan:sourceText",
    "skos:definition",
    "skos:scopeNote",
    "dcterms:description",
    "rdfs:comment",
    "plan:rationale",
    "plan:correction",
    "skos:changeNote",
    "plan:periodStatement",
)
LABEL_PROPERTIES = ("skos:prefLabel", "rdfs:label", "dcterms:title", "skos:altLabel")

TEXTS_QUERY = (
    "SELECT DISTINCT ?space ?s ?p ?o WHERE {\n  VALUES ?p { " + " ".join(TEXT_PROPERTIES) + " }\n"
    "  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space) && isLiteral(?o))\n} ORDER BY ?s ?p ?o"
)

META_QUERY = """
SELECT DISTINCT ?space ?s ?type ?typeLabel ?plan ?planLabel WHERE {
  ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))
  OPTIONAL { ?type rdfs:label ?typeLabel }
  OPTIONAL { ?s plan:inPlan|skos:inScheme ?plan . OPTIONAL { ?plan skos:prefLabel ?planLabel } }
} ORDER BY ?s ?type ?typeLabel ?plan ?planLabel
"""


# -- cutting text into words ----------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def syllables(word: str) -> tuple[str, ...]:
    """A Thai word's syllables (PyThaiNLP's dictionary of syllables); other words stay whole."""
    if not THAI.search(word):
        return (word,)
    parts = tuple(p for p in syllable_tokenize(word, engine="dict") if p.strip())
    return parts or (word,)


def words(text: str) -> list[str]:
    """The words of a text (Thai cut by newmm; spaces and lone punctuation dropped)."""
    return [
        w
        for w in (
            EDGE_PUNCTUATION.sub("", t) for t in word_tokenize(text, engine="newmm", keep_whitespace=False)
        )
        if w and any(ch.isalnum() for ch in w)
    ]


def segmented(text: str) -> tuple[str, str]:
    """(words joined by spaces, syllables joined by spaces): the two indexed forms of a text."""
    ws = words(text)
    return " ".join(ws), " ".join(p for w in ws for p in syllables(w))


def fts_string(text: str) -> str:
    """An FTS5 string literal: whatever it holds is matched as text (a phrase), never read as syntax."""
    return '"' + text.replace('"', '""') + '"'


# -- what is indexed ---------------------------------------------------------------------------------------


@dataclass
class Document:
    iri: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> labels
    texts: dict[str, list[str]] = field(default_factory=dict)  # lang ("" for untagged) -> other texts
    notation: list[str] = field(default_factory=list)
    types: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (class IRI, {lang: label})
    plan: str | None = None
    plan_labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        for candidate in (lang, other_lang(lang), ""):
            if self.labels.get(candidate):
                return self.labels[candidate][0]
        return self.iri

    def boost(self, ontology_ns: str) -> float:
        found = [
            TYPE_BOOST[t[len(ontology_ns) :]]
            for t, _ in self.types
            if t.startswith(ontology_ns) and t[len(ontology_ns) :] in TYPE_BOOST
        ]
        return max(found) if found else 1.0

    def kind(self, lang: str, ontology_ns: str) -> tuple[str | None, str | None]:
        """The most telling type: one of ours with a label, else any labelled one, else the first."""
        ranked = sorted(self.types, key=lambda t: (not t[0].startswith(ontology_ns), not t[1], t[0]))
        if not ranked:
            return None, None
        iri, labels = ranked[0]
        return iri, labels.get(lang) or labels.get("en") or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _lang(term: Any) -> str:
    return (term.language or "") if isinstance(term, ox.Literal) else ""


def _all_rows(query: QueryService, text: str, subs: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of an ordered SELECT, page by page (each answer is capped at the service's row cap)."""
    page = max(100, int(query.settings.row_cap))
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        chunk = query.rows(f"{text} LIMIT {page} OFFSET {offset}", subs)
        rows += chunk
        if len(chunk) < page:
            return rows
        offset += page


def collect(query: QueryService, base: str) -> list[Document]:
    """Every resource under ``{base}id/`` that has a label or a text, with its types and plan."""
    prologue = sparql_prologue(base)
    subs = {"space": ox.Literal(f"{base}id/")}
    docs: dict[str, Document] = {}
    label_props = {
        p.replace("skos:", "http://www.w3.org/2004/02/skos/core#")
        .replace("rdfs:", "http://www.w3.org/2000/01/rdf-schema#")
        .replace("dcterms:", "http://purl.org/dc/terms/")
        for p in LABEL_PROPERTIES
    }
    notation = "http://www.w3.org/2004/02/skos/core#notation"
    for row in _all_rows(query, prologue + TEXTS_QUERY, subs):
        s, p, o = row["s"].value, row["p"].value, row["o"]
        doc = docs.setdefault(s, Document(s))
        if p == notation:
            doc.notation.append(o.value)
        elif p in label_props:
            bucket = doc.labels.setdefault(_lang(o), [])
            if o.value not in bucket:
                bucket.append(o.value)
        else:
            doc.texts.setdefault(_lang(o), []).append(o.value)
    for row in _all_rows(query, prologue + META_QUERY, subs):
        found = docs.get(row["s"].value)
        if found is None:
            continue
        doc = found
        t = row["type"].value
        labels = next((lab for iri, lab in doc.types if iri == t), None)
        if labels is None:
            labels = {}
            doc.types.append((t, labels))
        if "typeLabel" in row:
            labels.setdefault(_lang(row["typeLabel"]), row["typeLabel"].value)
        if "plan" in row and doc.plan in (None, row["plan"].value):
            doc.plan = row["plan"].value
            if "planLabel" in row:
                doc.plan_labels.setdefault(_lang(row["planLabel"]), row["planLabel"].value)
    return [d for d in docs.values() if d.labels or d.texts]


# -- queries -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    word: str
    thai: bool
    parts: tuple[str, ...]

    def match(self) -> str:
        """This word as an FTS5 expression: as a whole word, or (Thai) as a run of syllables in any word."""
        if not self.thai:
            return fts_string(self.word)
        whole = "{label_th text_th} : " + fts_string(self.word)
        if len(self.parts) < 2:
            return "(" + whole + " OR {label_th_parts text_th_parts} : " + fts_string(self.word) + ")"
        return "(" + whole + " OR {label_th_parts text_th_parts} : " + fts_string(" ".join(self.parts)) + ")"


def parse_query(text: str) -> list[Term]:
    """The words of a user's query (never FTS5 syntax: quotes, stars, NEAR, minus signs are just text)."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"the search text is {len(text)} characters long; give at most {MAX_QUERY_CHARS}",
            limit=MAX_QUERY_CHARS,
        )
    found: list[Term] = []
    for w in words(text):
        w = w.lower()
        if any(t.word == w for t in found):
            continue
        found.append(Term(w, bool(THAI.search(w)), syllables(w)))
    content = [t for t in found if t.word not in stop_words()]
    return (content or found)[:MAX_TERMS]


# -- results --------------------------------------------------------------------------------------------------


@dataclass
class Hit:
    doc: Document
    score: float
    rank: int

    @property
    def iri(self) -> str:
        return self.doc.iri


@dataclass
class Results:
    query: str
    terms: list[Term]
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    all_terms: bool = True  # False when no resource had every word, and any word was enough

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.hits) < self.total


def highlight_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """What to mark in the original text: each Thai word as written (it may sit inside a longer word), each
    other word by its beginning (so that 'logistics' marks 'logistic' and 'Logistics')."""
    alts = []
    for t in terms:
        if t.thai:
            alts.append(re.escape(t.word))
        else:
            stem = t.word[: max(3, len(t.word) - 3)] if len(t.word) > 4 else t.word
            alts.append(r"\b" + re.escape(stem) + r"\w*")
    if not alts:
        return None
    return re.compile("|".join(sorted(alts, key=len, reverse=True)), re.IGNORECASE)


def mark(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """``text`` escaped, with each match of ``pattern`` wrapped in <mark> (escape first, then add the marks)."""
    if pattern is None:
        return Markup(escape(text))
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() == m.end():
            continue
        out.append(str(escape(text[last : m.start()])))
        out.append("<mark>" + str(escape(m.group(0))) + "</mark>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def excerpt(text: str, pattern: re.Pattern[str] | None, width: int = 160) -> str | None:
    """About ``width`` characters of ``text`` around its first match (None when nothing matches)."""
    m = pattern.search(text) if pattern else None
    if m is None:
        return None
    if len(text) <= width:
        return text
    start = max(0, m.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def local_href(iri: str, base: str) -> str:
    """A link on this host for an IRI under the base (the service answers for the base on any host)."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def present(hit: Hit, lang: str, pattern: re.Pattern[str] | None, base: str) -> dict[str, Any]:
    """What a result list shows of one hit, in ``lang``: label, type, plan, and the best matching excerpt
    (plain, and as escaped HTML with <mark>s)."""
    d = hit.doc
    other = other_lang(lang)
    type_iri, type_label = d.kind(lang, f"{base}def/plan#")
    label = d.label(lang)
    snippet = None  # when the label matches, it carries the marks; else the first text that matches
    if pattern is None or not pattern.search(label):
        for text in (
            *d.labels.get(other, []),
            *d.texts.get(lang, []),
            *d.texts.get("", []),
            *d.texts.get(other, []),
        ):
            snippet = excerpt(text, pattern)
            if snippet is not None:
                break
    return {
        "iri": d.iri,
        "href": local_href(d.iri, base),
        "rank": hit.rank,
        "score": round(hit.score, 4),
        "label": label,
        "labelHtml": mark(label, pattern),
        "labelOther": d.label(other),
        "notation": sorted(d.notation),
        "type": type_label,
        "typeIri": type_iri,
        "plan": pick_from(d.plan_labels, lang) if d.plan else None,
        "planIri": d.plan,
        "planHref": local_href(d.plan, base) if d.plan else None,
        "snippet": snippet,
        "snippetHtml": mark(snippet, pattern) if snippet else None,
    }


# -- the index ------------------------------------------------------------------------------------------------


class SearchIndex:
    """An in-memory SQLite FTS5 index of the documents, made once per process (an SQLite connection must not
    cross a fork; the documents, already cut into words, may)."""

    def __init__(self, docs: list[Document], version: str, ontology_ns: str) -> None:
        self.docs = docs
        self.version = version
        self.rows = [self._row(d) for d in docs]
        self.boosts = [d.boost(ontology_ns) for d in docs]
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    @staticmethod
    def _row(d: Document) -> tuple[str, ...]:
        label_th = segmented(" ".join(d.labels.get("th", []) + d.labels.get("", []) + d.notation))
        text_th = segmented(" ".join(d.texts.get("th", []) + d.texts.get("", [])))
        en = [" ".join(v) for k, v in d.labels.items() if k not in ("th", "")]
        en_text = [" ".join(v) for k, v in d.texts.items() if k not in ("th", "")]
        return (
            label_th[0],
            label_th[1],
            text_th[0],
            text_th[1],
            " ".join(en).lower(),
            " ".join(en_text).lower(),
        )

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        cols = ", ".join(name for name, _ in COLUMNS)
        conn.execute(f'CREATE VIRTUAL TABLE fts USING fts5({cols}, tokenize="{TOKENIZE}")')
        conn.executemany(
            f"INSERT INTO fts(rowid, {cols}) VALUES (?, {', '.join('?' * len(COLUMNS))})",
            [(i, *row) for i, row in enumerate(self.rows)],
        )
        conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        conn.execute("CREATE TABLE prior(id INTEGER PRIMARY KEY, boost REAL NOT NULL)")
        conn.executemany("INSERT INTO prior VALUES (?, ?)", list(enumerate(self.boosts)))
        self._conn, self._pid = conn, os.getpid()
        return conn

    def search(self, text: str, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Results:
        terms = parse_query(text)
        limit = max(1, min(int(limit), MAX_LIMIT))
        offset = max(0, int(offset))
        if not terms:
            return Results(text, terms, [], 0, offset, limit)
        weights = ", ".join(str(w) for _, w in COLUMNS)
        all_terms = True
        with self._lock:
            conn = self._connection()
            for joiner in (" AND ", " OR "):
                expr = joiner.join(t.match() for t in terms)
                total = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expr,)).fetchone()[0]
                if total or len(terms) == 1:
                    break
                all_terms = False
            # bm25() is negative, better matches lower: the prior multiplies it.
            rows = conn.execute(
                f"SELECT fts.rowid, bm25(fts, {weights}) * prior.boost AS score FROM fts "
                f"JOIN prior ON prior.id = fts.rowid WHERE fts MATCH ? "
                f"ORDER BY score, fts.rowid LIMIT ? OFFSET ?",
                (expr, limit, offset),
            ).fetchall()
        hits = [Hit(self.docs[rowid], -score, offset + i + 1) for i, (rowid, score) in enumerate(rows)]
        return Results(text, terms, hits, total, offset, limit, all_terms if total else True)


def warm_up() -> None:
    """Load PyThaiNLP's dictionaries now (about two seconds) rather than on the first search."""
    segmented("การท่องเที่ยว")


class Search:
    """The search index of one project: built on first use in each process, from the query service."""

    def __init__(self, query: QueryService, base: str, version: str) -> None:
        self.query = query
        self.base = base
        self.version = version
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> SearchIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = SearchIndex(
                        collect(self.query, self.base), self.version, f"{self.base}def/plan#"
                    )
        return self._index

    def search(self, text: str, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Results:
        return self.index().search(text, limit, offset)
