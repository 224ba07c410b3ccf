"""A user's search text read as query terms. User input never reaches FTS5 as syntax: each word becomes a
quoted string (quotes, stars, NEAR and minus signs are just text); stop words are dropped when there are others."""

from __future__ import annotations

from dataclasses import dataclass

from planlink.foundation.errors import BadRequest
from planlink.foundation.text import stop_words
from planlink.readmodels.search.words import THAI, syllables, words

MAX_QUERY_CHARS = 200
MAX_TERMS = 12


def fts_string(text: str) -> str:
    """An FTS5 string literal: whatever it holds is matched as text (a phrase), never read as syntax."""
    return '"' + text.replace('"', '""') + '"'


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
