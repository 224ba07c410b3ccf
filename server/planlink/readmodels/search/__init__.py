"""Search over the labels and texts of every resource, in Thai or English, with SQLite FTS5.

Thai is written without spaces between words, so every text is cut into words with PyThaiNLP (newmm, its
bundled dictionary; nothing is downloaded) and indexed with the words joined by spaces. The dictionary keeps
compounds whole (การท่องเที่ยว, แหล่งท่องเที่ยว, เกษตรกร), so each word is also cut into its syllables, indexed in a
second column: a query word matches a whole word, or the same run of syllables inside a longer word. English
goes through FTS5's porter stemmer (logistics = logistic). User input never reaches FTS5 as syntax: each word
becomes a quoted string. Results are ranked by bm25(), labels weighing more than longer texts.

The index is built once per process and data version, from SPARQL answers of the query service.

- ``words``: cutting text into words and syllables;
- ``documents``: what is indexed, read through the query service;
- ``query``: a user's text as query terms;
- ``index``: the FTS5 index, ranking, and ``Search`` (one project's index);
- ``snippets``: what a result list shows, with the words marked.
"""

from __future__ import annotations

from planlink.readmodels.search.documents import Document, collect
from planlink.readmodels.search.index import DEFAULT_LIMIT, MAX_LIMIT, Hit, Results, Search, SearchIndex
from planlink.readmodels.search.query import MAX_QUERY_CHARS, MAX_TERMS, Term, parse_query
from planlink.readmodels.search.snippets import excerpt, highlight_pattern, local_href, mark, present
from planlink.readmodels.search.words import segmented, syllables, warm_up, words

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Document",
    "Hit",
    "Results",
    "Search",
    "SearchIndex",
    "Term",
    "collect",
    "excerpt",
    "highlight_pattern",
    "local_href",
    "mark",
    "parse_query",
    "present",
    "segmented",
    "syllables",
    "warm_up",
    "words",
]
