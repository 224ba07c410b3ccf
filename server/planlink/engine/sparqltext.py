"""A lexical reading of SPARQL text: what kind of operation it is, which SERVICE and FROM IRIs it names.

It tokenises the query as the SPARQL 1.1 grammar does (codepoint escapes first, then strings, IRIs and
comments, which can hide nothing) and looks only at keyword tokens. It is deliberately conservative: any
SERVICE keyword outside a string, IRI or comment counts, whatever the parser would later make of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from planlink.foundation.errors import QueryTooDeep

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
# Deepest nesting of groups, parentheses and blank-node brackets taken. The query parser recurses once a level;
# about 3,000 nested groups overflow its stack and kill the process, and no real query comes near 100.
MAX_NESTING = 256
OPENING, CLOSING = set("{(["), set("})]")
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


def lex(text: str) -> Iterator[tuple[str, str]]:
    """Every token of ``text`` as (kind, text), spaces and comments included: joined, they are ``text``."""
    for m in _TOKEN.finditer(text):
        yield m.lastgroup or "other", m.group()


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(unescape_codepoints(text)):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group()))
    return out


def nesting(toks: list[Token]) -> int:
    """The deepest nesting of brackets (outside strings, IRIs and comments)."""
    depth = deepest = 0
    for tok in toks:
        if tok.kind == "other":
            if tok.text in OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif tok.text in CLOSING:
                depth -= 1
    return deepest


def read(text: str) -> QueryText:
    """What the text says about itself; a query nested deeper than ``MAX_NESTING`` is refused here, before any
    parser recurses into it."""
    toks = tokens(text)
    deepest = nesting(toks)
    if deepest > MAX_NESTING:
        raise QueryTooDeep(
            f"the query nests {deepest} levels of brackets ({{ }}, ( ), [ ]); the limit is {MAX_NESTING}",
            depth=deepest,
            limit=MAX_NESTING,
        )
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


def substitute(text: str, bindings: dict[str, str]) -> str:
    """``text`` with variables bound to terms, for a store that takes no substitution parameter, as pyoxigraph's
    ``substitutions`` do: every use inside the WHERE group becomes the term itself (so that it reaches nested
    OPTIONAL and FILTER scopes and sub-queries), and a ``VALUES (?a ?b) { (t1 t2) }`` block first in that group
    keeps the variables bound for the projection, the solution modifiers and a CONSTRUCT template. In a
    sub-query's projection a use becomes ``(term AS ?v)``, in GROUP BY / ORDER BY ``(term)``; after AS it stays.
    With no group (a DESCRIBE of variables), a trailing VALUES clause binds them. ``bindings`` maps names to
    terms in SPARQL syntax (IRIs and literals)."""
    if not bindings:
        return text
    names = list(bindings)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(bindings[n] for n in names)}) }}"
    text = unescape_codepoints(text)
    out: list[str] = []
    depth = 0  # braces
    inside = 0  # the depth of the WHERE group once inside it (0: not yet)
    form: str | None = None
    template = False  # a CONSTRUCT template was seen
    context = ""  # "projection" (of a sub-query), "modifier" (GROUP BY / ORDER BY) or ""
    parens = 0
    after_as = False
    last = 0
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        upper = tok.upper() if kind == "word" else ""
        if kind in ("space", "comment"):
            continue
        if form is None and upper in QUERY_FORMS and depth == 0:
            form = upper
        elif tok == "{" and kind == "other":
            if depth == 0 and not inside:
                if form == "CONSTRUCT" and not template:
                    template = True
                else:
                    out += [text[last : m.end()], " ", block, " "]
                    last = m.end()
                    inside = 1
            depth += 1
            context = ""
        elif tok == "}" and kind == "other":
            depth -= 1
            context = ""
        elif inside and depth >= 1:
            if upper == "SELECT":
                context, parens = "projection", 0
            elif upper in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES"):
                context = ""
            elif upper == "BY":
                context = "modifier"
            elif tok == "(" and kind == "other":
                parens += 1
            elif tok == ")" and kind == "other":
                parens -= 1
            elif kind == "var" and tok[1:] in bindings and not after_as:
                term = bindings[tok[1:]]
                if context == "projection" and parens == 0:
                    term = f"({term} AS {tok})"
                elif context == "modifier":
                    term = f"({term})"
                out += [text[last : m.start()], term]
                last = m.end()
        elif form == "CONSTRUCT" and upper == "WHERE" and depth == 0 and not template:
            break  # CONSTRUCT WHERE { ... }: the group is the template too; bind with a trailing VALUES
        after_as = upper == "AS"
    if not inside:
        return text.rstrip() + "\n" + block
    return "".join(out) + text[last:]
