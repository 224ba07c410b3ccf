"""What a result list shows of a hit: its label and plan in the page's language, the best matching excerpt,
and the query's words marked (escaped HTML with <mark>s)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from planlink.foundation.text import other_lang, pick_from
from planlink.readmodels.search.index import Hit
from planlink.readmodels.search.query import Term


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
