"""What a particular remote SPARQL store needs beyond the SPARQL 1.1 Protocol (``serve --store``).

A store is recognised by the ``Server`` header of its answers (the first is the count of triples at start).
Each dialect says how to write a query for the store, which extra parameters stop the query at planlink's
time limit on the store itself, and how to read back what the store answers where it departs from the
standard. A store that is not recognised gets the standard: the text as the query service made it, and no
extra parameter.

Virtuoso Open Source 7.2 (Debian's ``virtuoso-opensource``), each seen in ``tests/test_virtuoso.py``:

- A non-ASCII character in a comment stops its SPARQL compiler ("Bad character '\u00e0' (0xe0)"); curated
  queries carry Thai headers. Comments are dropped.
- A simple literal with non-ASCII text (Thai) is narrowed to ``??????`` when it becomes a value (``BIND``,
  ``STR``, ``VALUES``). The same literal written ``"…"^^xsd:string``, which is the same term in RDF 1.1, is
  kept whole. Simple literals with non-ASCII text are sent in that form (not after ``SEPARATOR =``, which takes
  a plain string).
- The ``timeout`` parameter (milliseconds) stops the query on the store; the store then answers ``200`` with
  the rows found so far and ``X-SQL-State: S1TAT`` ("Returning incomplete results"). Its own
  ``MaxQueryExecutionTime`` does the same. Such an answer is never served: it is a 504 ``store-timeout``.
- It cuts an answer at ``ResultSetMaxRows`` (10,000 in Debian's configuration) and says so only in an
  ``X-SPARQL-MaxRows`` header. An answer of that many rows, fewer than planlink's row cap, is refused (502):
  it may be cut short.
- ASK is answered as one row of ``__ASK_RETVAL`` (1) or no row, not as a boolean.
- Booleans come back as ``xsd:integer`` 1/0, or as ``xsd:boolean`` "1"/"0" where the query casts with
  ``xsd:boolean(…)``; the second is read in the canonical form (``true``/``false``), the same value. The curated
  queries cast the booleans they compute, so that their answers are the same on every store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pyoxigraph as ox

from planlink.engine.sparqltext import lex

XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class Dialect:
    """The standard: nothing added, nothing read differently."""

    name: str = "sparql"

    def text(self, query: str) -> str:
        return query

    def parameters(self, timeout: float) -> dict[str, str]:
        return {}

    def incomplete(self, headers: Message) -> str | None:
        """Why the store's answer is not the whole answer, or None."""
        return None

    def row_limit(self, headers: Message) -> int | None:
        """The most rows the store sends, where it says so."""
        return None

    def ask(self, results: Any) -> bool | None:
        """The boolean of an ASK answered as rows, or None when the answer was a boolean."""
        return None

    def solutions(self, results: Any) -> Any:
        """The rows of a SELECT as the standard would write them."""
        return results


class Virtuoso(Dialect):
    def __init__(self) -> None:
        super().__init__("virtuoso")

    def text(self, query: str) -> str:
        toks = list(lex(query))
        out: list[str] = []
        for i, (kind, tok) in enumerate(toks):
            if kind == "comment":
                out.append(" ")
                continue
            out.append(tok)
            if kind == "string" and not tok.isascii() and not _typed(toks, i) and not _separator(toks, i):
                out.append("^^" + XSD_STRING)
        return "".join(out)

    def parameters(self, timeout: float) -> dict[str, str]:
        # Stopped on the store a little after planlink's own limit: planlink answers 504 first, and the
        # store then stops the query instead of running it to its own limit.
        return {"timeout": str(int(timeout * 1000) + 250)}

    def incomplete(self, headers: Message) -> str | None:
        if (headers.get("X-SQL-State") or "").strip() == "S1TAT":
            return (headers.get("X-SQL-Message") or "query interrupted by result timeout").strip()[:200]
        return None

    def row_limit(self, headers: Message) -> int | None:
        value = (headers.get("X-SPARQL-MaxRows") or "").strip()
        return int(value) if value.isdigit() else None

    def ask(self, results: Any) -> bool | None:
        if not isinstance(results, ox.QuerySolutions):
            return None
        rows = list(results)
        if not rows:
            return False
        value = rows[0]["__ASK_RETVAL"]
        return value is not None and value.value not in ("0", "false")

    def solutions(self, results: Any) -> Any:
        return CanonicalBooleans(results)


class CanonicalBooleans:
    """Solutions whose ``xsd:boolean`` "1" and "0" read as ``true`` and ``false`` (the same values)."""

    def __init__(self, results: ox.QuerySolutions) -> None:
        self.results = results
        self.variables = results.variables

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for solution in self.results:
            yield {v.value: _canonical(solution[v]) for v in self.variables}


def _canonical(term: Any) -> Any:
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN and term.value in ("0", "1"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def _next(toks: list[tuple[str, str]], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(toks) and toks[j][0] in ("space", "comment"):
        j += step
    return toks[j][1] if 0 <= j < len(toks) else ""


def _typed(toks: list[tuple[str, str]], i: int) -> bool:
    """The literal already has a language tag or a datatype."""
    return _next(toks, i, 1) in ("@", "^")


def _separator(toks: list[tuple[str, str]], i: int) -> bool:
    """``SEPARATOR = "…"`` in GROUP_CONCAT, where only a plain string may stand."""
    j = i - 1
    while j >= 0 and toks[j][0] in ("space", "comment"):
        j -= 1
    if j < 0 or toks[j][1] != "=":
        return False
    return _next(toks, j, -1).upper() == "SEPARATOR"


STANDARD = Dialect()


def recognise(server: str | None) -> Dialect:
    """The dialect of a store by its ``Server`` header."""
    if server and server.strip().lower().startswith("virtuoso/"):
        return Virtuoso()
    return STANDARD
