"""The index and the ranking: an in-memory SQLite FTS5 table of the documents (Thai as words and as syllables,
English through FTS5's porter stemmer), ranked by bm25() with labels weighing more than longer texts, times a
prior by type. Built once per process and data version."""

from __future__ import annotations

import os
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass

from planlink.engine.service import QueryService
from planlink.readmodels.search.documents import Document, collect
from planlink.readmodels.search.query import Term, parse_query
from planlink.readmodels.search.words import segmented

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

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


def boost(doc: Document, ontology_ns: str) -> float:
    """The prior of ``doc``: the highest TYPE_BOOST of its types (1 when none is listed)."""
    found = [
        TYPE_BOOST[t[len(ontology_ns) :]]
        for t, _ in doc.types
        if t.startswith(ontology_ns) and t[len(ontology_ns) :] in TYPE_BOOST
    ]
    return max(found) if found else 1.0


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


class SearchIndex:
    """An in-memory SQLite FTS5 index of the documents, made once per process (an SQLite connection must not
    cross a fork; the documents, already cut into words, may)."""

    def __init__(self, docs: list[Document], version: str, ontology_ns: str) -> None:
        self.docs = docs
        self.version = version
        self.rows = [self._row(d) for d in docs]
        self.boosts = [boost(d, ontology_ns) for d in docs]
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
