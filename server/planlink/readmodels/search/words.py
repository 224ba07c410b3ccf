"""Cutting text into words: Thai by PyThaiNLP's newmm (its bundled dictionary; nothing is downloaded), each Thai
word also into its syllables; other words stay whole."""

from __future__ import annotations

import os
import re
from functools import lru_cache

# PyThaiNLP must never fetch anything while serving: the newmm dictionary and the syllable dictionary ship
# with it. Offline mode turns a missing corpus into an error instead of a download; read-only mode stops it
# from creating ~/pythainlp-data.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from pythainlp.tokenize import syllable_tokenize, word_tokenize  # noqa: E402

THAI = re.compile(r"[\u0E00-\u0E7F]")
EDGE_PUNCTUATION = re.compile(r"^[^\w\u0E00-\u0E7F]+|[^\w\u0E00-\u0E7F]+$")


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


def warm_up() -> None:
    """Load PyThaiNLP's dictionaries now (about two seconds) rather than on the first search."""
    segmented("การท่องเที่ยว")
