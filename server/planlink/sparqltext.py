"""A lexical reading of SPARQL text: what kind of operation it is, which SERVICE and FROM IRIs it names.

It tokenises the query as the SPARQL 1.1 grammar does (codepoint escapes first, then strings, IRIs and
comments, which can hide nothing) and looks only at keyword tokens. It is deliberately conservative: any
SERVICE keyword outside a string, IRI or comment counts, whatever the parser would later make of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n\r]*)
      |(?P<var>[?$][\w\u00B7\u00C0-\uFFFF]+)
      |(?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-:%\u00B7\u00C0-\uFFFF]|\\.)*)
      |(?P<word>[A-Za-z_][A-Za-z_0-9]*)
      |(?P<space>\s+)
      |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass
class QueryText:
    """What the text says about itself, before any parser sees it."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword, or None when unrecognised
    services: list[str] = field(default_factory=list)  # SERVICE IRIs ("?var" for a variable endpoint)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def unescape_codepoints(text: str) -> str:
    """SPARQL processes \\u and \\U escapes before tokenising (SPARQL 1.1 §19.2); so do we."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(unescape_codepoints(text)):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group()))
    return out


def read(text: str) -> QueryText:
    toks = tokens(text)
    base = ""
    prefixes: dict[str, str] = {}

    def iri_of(tok: Token) -> str:
        if tok.kind == "iri":
            return urljoin(base, tok.text[1:-1]) if base else tok.text[1:-1]
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            return prefixes.get(prefix, tok.text + "?") + re.sub(r"\\(.)", r"\1", local)
        return tok.text

    form: str | None = None
    result = QueryText(None)
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word == "BASE" and nxt and nxt.kind == "iri" and form is None:
            base = iri_of(nxt)
            i += 2
            continue
        if word == "PREFIX" and form is None and nxt and nxt.kind == "pname" and i + 2 < len(toks):
            prefixes[nxt.text.rstrip(":").split(":")[0]] = iri_of(toks[i + 2])
            i += 3
            continue
        if word and form is None and (word in QUERY_FORMS or word in UPDATE_FORMS):
            form = word
        if word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
                j += 1
            result.services.append(iri_of(toks[j]) if j < len(toks) else "")
        if word == "FROM" and nxt is not None:
            if nxt.kind == "word" and nxt.text.upper() == "NAMED":
                if i + 2 < len(toks):
                    result.from_named.append(iri_of(toks[i + 2]))
            else:
                result.from_graphs.append(iri_of(nxt))
        i += 1
    result.form = form
    return result
