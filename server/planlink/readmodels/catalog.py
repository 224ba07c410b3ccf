"""Curated queries: one SPARQL query per ``queries/*.rq`` file, described by a header of comments.

    # title@en: Cluster items with no provincial counterpart
    # title@th: องค์ประกอบของแผนกลุ่มจังหวัดที่ไม่มีองค์ประกอบคู่ในแผนจังหวัด
    # description@en: ...
    # description@th: ...
    # param: source iri https://w3id.org/planlink/id/nakhon-sawan-2564 The plan whose items are linked
    # param: word string ท่องเที่ยว A word to look for

A parameter is a variable of the query (``?source``). Its value is checked against the parameter's type and
made into an RDF term, which the query service then writes into the query text in SPARQL syntax (IRIs and
literals escaped as the grammar requires, so an injection attempt is one literal). Types: iri, string, lang (a
Thai or English string, matched as plain text), integer, decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from planlink.engine.sparqltext import read, substitute, tokens
from planlink.foundation.errors import BadRequest, NotFound
from planlink.foundation.settings import DEFAULT_BASE

PARAM_TYPES = ("iri", "string", "integer", "decimal")
XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+)(?:@(?P<lang>[a-z]{2}))?\s*:\s*(?P<value>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Param:
    name: str
    type: str
    default: str | None
    description: str

    def bind(self, raw: str | None, base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal:
        value = self.default if raw is None or raw == "" else raw
        if value is None:
            raise BadRequest(f"parameter {self.name!r} is required ({self.description})", param=self.name)
        if self.type == "iri":
            if base != DEFAULT_BASE and value.startswith(DEFAULT_BASE):
                value = base + value[len(DEFAULT_BASE) :]
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise BadRequest(
                    f"parameter {self.name!r} must be an absolute IRI, got {value!r}", param=self.name
                )
            return ox.NamedNode(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise BadRequest(
                    f"parameter {self.name!r} must be an integer, got {value!r}", param=self.name
                )
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal":
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
                raise BadRequest(f"parameter {self.name!r} must be a number, got {value!r}", param=self.name)
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
        return ox.Literal(value)


@dataclass
class CuratedQuery:
    name: str
    path: Path
    text: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    # ``# chart: LABEL VALUE [SERIES]``: the answer drawn as bars, LABEL's text (``a+b``: two columns' joined)
    # against VALUE's number, one bar per row; with SERIES, one bar per label, stacked by SERIES's values
    chart: tuple[str, str, str | None] | None = None

    def bindings(self, raw: dict[str, str], base: str = DEFAULT_BASE) -> dict[str, Any]:
        self._known(raw)
        return {p.name: p.bind(raw.get(p.name), base) for p in self.params}

    def _known(self, raw: dict[str, str]) -> None:
        unknown = set(raw) - {p.name for p in self.params}
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise BadRequest(
                f"unknown parameter(s) {', '.join(sorted(unknown))} for query {self.name!r}; "
                f"parameters: {known}"
            )

    def text_for(self, base: str = DEFAULT_BASE) -> str:
        """The query as the file has it, with IRIs under the default base moved to ``base`` (the data is moved
        the same way when it is loaded under another base)."""
        return self.text if base == DEFAULT_BASE else self.text.replace("<" + DEFAULT_BASE, "<" + base)

    def runnable_text(self, base: str = DEFAULT_BASE, raw: dict[str, str] | None = None) -> str:
        """The query with its parameters bound in the text as the query service binds every parameter
        (``sparqltext.substitute``: each use becomes the SPARQL term, an IRI in ``<>`` or a quoted, escaped
        literal, and a VALUES block keeps it bound): something a person can paste into any SPARQL client. The
        values are ``raw``'s (checked as ``bindings`` checks them), else the defaults; a parameter with neither
        stays a variable."""
        raw = raw or {}
        self._known(raw)
        bound = {
            p.name: str(p.bind(raw.get(p.name), base))
            for p in self.params
            if raw.get(p.name) or p.default is not None
        }
        return substitute(self.text_for(base), bound)

    def values(self, raw: dict[str, str]) -> dict[str, str]:
        """Every parameter's value as text, ``raw``'s or else its default (a parameter with neither left out):
        the parameter set a link names in full."""
        out = {p.name: raw.get(p.name) or p.default for p in self.params}
        return {k: v for k, v in out.items() if v}

    def label(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name


def parse_query_file(path: Path) -> CuratedQuery:
    text = path.read_text("utf-8")
    name = path.stem
    if not _NAME.match(name):
        raise BadRequest(f"{path}: a curated query's file name must be lower-case letters, digits and '-'")
    q = CuratedQuery(name, path, text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, lang, value = m.group("key").lower(), m.group("lang") or "en", m.group("value").strip()
        if key == "title":
            q.title[lang] = value
        elif key == "description":
            q.description[lang] = (q.description.get(lang, "") + " " + value).strip()
        elif key == "param":
            parts = value.split(None, 3)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise BadRequest(
                    f"{path}: bad param line {value!r}: expected 'name type [default] [description]'"
                    f" with type one of {', '.join(PARAM_TYPES)}"
                )
            default = parts[2] if len(parts) > 2 and parts[2] != "-" else None
            q.params.append(
                Param(parts[0].lstrip("?"), parts[1], default, parts[3] if len(parts) > 3 else "")
            )
        elif key == "chart":
            names = [n.lstrip("?") for n in value.split()]
            if len(names) not in (2, 3) or not all(names[0].split("+")):
                raise BadRequest(
                    f"{path}: bad chart line {value!r}: expected 'LABEL VALUE [SERIES]', variables of the answer"
                    " (LABEL may join two: 'a+b')"
                )
            q.chart = (names[0], names[1], names[2] if len(names) == 3 else None)
    form = read(text).form
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise BadRequest(f"{path}: a curated query must be a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if q.chart and form != "SELECT":
        raise BadRequest(f"{path}: only a SELECT answer can be drawn as a chart")
    if form == "SELECT":
        projected = _projection(text)
        if q.chart and projected is not None:
            label, number, series = q.chart
            wanted = [*(n.lstrip("?") for n in label.split("+")), number, *([series] if series else [])]
            absent = [n for n in wanted if n not in projected]
            if absent:
                raise BadRequest(
                    f"{path}: the chart's variable(s) {', '.join('?' + n for n in absent)} are not in the SELECT list"
                )
        missing = [p.name for p in q.params if projected is not None and p.name not in projected]
        if missing:
            raise BadRequest(
                f"{path}: parameter(s) {', '.join('?' + m for m in missing)} must be in the SELECT "
                "list: the answer shows the values it was asked for (the service binds them in the text "
                "as escaped SPARQL terms; a client binding them with pyoxigraph's substitutions binds only "
                "projected variables)"
            )
    return q


def _projection(text: str) -> set[str] | None:
    """The variables of the outermost SELECT clause (None for SELECT *)."""
    names: set[str] = set()
    seen_select = False
    for tok in tokens(text):
        if not seen_select:
            seen_select = tok.kind == "word" and tok.text.upper() == "SELECT"
            continue
        if tok.text == "*":
            return None
        if tok.text == "{" or (tok.kind == "word" and tok.text.upper() in ("WHERE", "FROM")):
            break
        if tok.kind == "var":
            names.add(tok.text[1:])
    return names


def load_catalog(folder: Path) -> dict[str, CuratedQuery]:
    if not folder.is_dir():
        return {}
    return {q.name: q for q in (parse_query_file(p) for p in sorted(folder.glob("*.rq")))}


def get(catalog: dict[str, CuratedQuery], name: str) -> CuratedQuery:
    try:
        return catalog[name]
    except KeyError:
        raise NotFound(
            f"no curated query named {name!r}; see the list at /queries", known=sorted(catalog)
        ) from None
