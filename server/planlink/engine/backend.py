"""The contract between the query service and a backend (the local evaluators, or a remote store).

A ``Request`` goes in, with its parameters already bound in the query text by the ``QueryService``; an
``Outcome`` comes back, written by ``answers.write_answer``. Both backends read a parser's error position with
``SYNTAX_AT`` and write a term in SPARQL syntax with ``sparql_term``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from planlink.foundation.errors import BadRequest


@dataclass
class Request:
    """One query to evaluate. ``output`` is a format name, or "rows" for Python rows (for pages and reports).
    ``substitutions`` holds only what has no SPARQL syntax to be bound in the text (blank nodes): only the
    local evaluators take it."""

    query: str
    output: str
    row_cap: int
    union_default: bool = True
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    substitutions: dict[str, Any] | None = None
    prefixes: dict[str, str] | None = None


@dataclass
class Outcome:
    kind: str  # "select", "ask" or "graph"
    body: bytes | None = None
    rows: list[Any] | None = None
    variables: list[str] | None = None
    boolean: bool | None = None
    count: int = 0
    truncated: bool = False
    seconds: float = 0.0


class Backend(Protocol):
    """Evaluates a request within ``timeout`` seconds: ``EvaluatorPool`` (local) or ``RemoteStore``."""

    def run(self, req: Request, timeout: float) -> Outcome: ...

    def close(self) -> None: ...


# Where a parser's message says the error is: "at line 3 column 5", "at 3:5", "between columns ...".
SYNTAX_AT = re.compile(r"at (?:line )?(\d+)[:,]? ?(?:column |between columns )?(\d+)")


def sparql_term(term: Any) -> str:
    """A pyoxigraph term in SPARQL syntax, for binding it in a query's text; a blank node has none."""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise BadRequest(f"cannot bind {term!r} in a query's text: give an IRI or a literal")
