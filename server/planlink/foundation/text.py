"""Text in Thai and English: which language to show (the one place that chooses), the stop words of search
and suggestions, natural order of plan numbering, and rows as a terminal table (Thai vowel and tone marks take
no column of their own, wide East Asian characters take two)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

# -- which language ---------------------------------------------------------------------------------------

LANGS = ("th", "en")


def other_lang(lang: str) -> str:
    """The other of the two languages: Thai for English (or anything else), English for Thai."""
    return "en" if lang == "th" else "th"


def either(lang: str, th: str, en: str) -> str:
    """Of a pair of texts that always exist in both languages (a fixed phrase, a level name), the one in ``lang``
    (Thai for "th", English otherwise)."""
    return th if lang == "th" else en


def pick(lang: str, th: str | None, en: str | None) -> str | None:
    """The text in ``lang`` if there is one, else the text in the other language, else None."""
    return (th or en) if lang == "th" else (en or th)


def pick_from(texts: Mapping[str, str], lang: str) -> str | None:
    """From texts by language tag, the one in ``lang``, else the one in the other language, else None."""
    return texts.get(lang) or texts.get(other_lang(lang))


def is_thai(text: str) -> bool:
    """Whether ``text`` has any letter of the Thai script (for labels whose language tag is lost)."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def pick_label(labels: Iterable[str], lang: str) -> str | None:
    """Of untagged labels, the first in ``lang`` by script (Thai letters or not), else the first of the others."""
    labels = list(labels)
    thai = [lab for lab in labels if is_thai(lab)]
    other = [lab for lab in labels if lab not in thai]
    first, second = (thai, other) if lang == "th" else (other, thai)
    return next(iter(first or second), None)


# -- stop words -------------------------------------------------------------------------------------------

# English words that carry no topic on their own (the Thai ones are PyThaiNLP's list, bundled with it).
ENGLISH_STOP_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "as",
        "at",
        "its",
        "their",
        "be",
        "is",
        "are",
        "that",
        "so",
        "from",
        "or",
        "into",
        "both",
        "all",
        "other",
        "which",
        "through",
        "than",
        "such",
        "more",
        "also",
        "up",
        "out",
        "it",
        "this",
        "these",
        "those",
        "within",
    )
)


@cache
def stop_words() -> frozenset[str]:
    """Words that carry no topic on their own, Thai and English: dropped from a search query that has other
    words, and never taken as a shared word by the link suggestions."""
    # PyThaiNLP must never fetch anything while serving: offline mode turns a missing corpus into an error
    # instead of a download; read-only mode stops it from creating ~/pythainlp-data.
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pythainlp.corpus import thai_stopwords  # bundled with the package: no download

    return frozenset(thai_stopwords()) | ENGLISH_STOP_WORDS


# -- terminal tables --------------------------------------------------------------------------------------


def width(text: str) -> int:
    """How many terminal columns ``text`` takes."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` columns (with an ellipsis), never inside a character's marks."""
    text = " ".join(text.split())
    if limit <= 0 or width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = (
            0
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
            else (2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1)
        )
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render(header: Sequence[str], rows: Sequence[Sequence[str]], max_cell: int = 60) -> str:
    """A table: the header, a rule, then one line per row; cells cut to ``max_cell`` columns (0: no limit)."""
    cells = [[clip(c, max_cell) for c in row] for row in rows]
    head = [clip(h, max_cell) for h in header]
    widths = [max([width(head[i])] + [width(r[i]) for r in cells]) for i in range(len(head))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def natural_key(text: str | None) -> tuple[int | str, ...]:
    """A sort key that orders "2" before "10" and "1.2" before "1.10" (plan numbering)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))
