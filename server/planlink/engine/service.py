"""Protocol-neutral SPARQL querying: read-only, no outside reach, time-limited, row-capped, cached."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from planlink.engine.backend import Backend, Outcome, Request, sparql_term
from planlink.engine.cache import AnswerCache
from planlink.engine.sparqltext import QueryText, read, substitute
from planlink.foundation.errors import BadRequest, QueryRefused
from planlink.foundation.formats import Format
from planlink.foundation.settings import Settings

# The default graph of a query whose dataset names no hosted graph: an IRI no project file can have (graph
# IRIs are made from file stems under the graph namespace), so every store holds nothing under it.
EMPTY_GRAPH = "urn:planlink:empty-graph"


@dataclass
class Answer:
    outcome: Outcome
    format: Format | None
    cached: bool
    etag: str
    seconds: float
    missing_graphs: tuple[str, ...] = ()

    @property
    def body(self) -> bytes:
        return self.outcome.body or b""


class QueryService:
    def __init__(
        self,
        backend: Backend,
        graphs: list[str],
        version: str,
        settings: Settings,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.backend = backend
        self.graphs = list(graphs)
        self._hosted = set(graphs)
        self.version = version
        self.settings = settings
        self.prefixes = prefixes or {}
        self.cache = AnswerCache(settings.cache_entries, settings.cache_bytes)
        self._texts = AnswerCache(4096, 16_000_000)  # lexical readings of query texts

    # -- policy ---------------------------------------------------------------------------------------
    def check(self, text: str) -> QueryText:
        """Refuse what this service never does: updates, SERVICE outside the allow-list. (A FROM naming a
        graph the service does not host is answered over an empty graph: see ``dataset``.)"""
        if not text or not text.strip():
            raise BadRequest("the query is empty")
        qt = self._texts.get(text)
        if qt is None:
            qt = read(text)
            self._texts.put(text, qt, len(text))
        if qt.is_update:
            raise QueryRefused(f"this endpoint is read-only: {qt.form} (a SPARQL update) is not accepted")
        allow = self.settings.service_allowlist
        for iri in qt.services:
            if not any(iri.startswith(a) for a in allow) or iri.startswith("?"):
                raise QueryRefused(
                    f"SERVICE <{iri}> is not allowed: this endpoint does not query other hosts"
                    + ("" if not allow else f" outside its allow-list ({', '.join(allow)})"),
                    service=iri,
                )
        return qt

    def dataset(
        self, qt: QueryText, default_graphs: list[str] | None, named_graphs: list[str] | None
    ) -> tuple[list[str] | None, list[str] | None, tuple[str, ...]]:
        """The RDF dataset of a query, and the graphs it names that this service does not host.

        Protocol parameters win over FROM, FROM over the default (the union of all graphs as default graph,
        every graph available to GRAPH). A graph IRI the service does not host is an empty graph, as in
        Oxigraph and Jena: it is left out of the dataset (never fetched), and the caller is told its name.
        The dataset handed to the backend names hosted graphs only; when nothing named is hosted, the default
        graph is ``EMPTY_GRAPH``, so that no backend falls back to its own default or to the query's FROM."""
        if default_graphs or named_graphs:
            dg, ng = list(default_graphs or []), list(named_graphs or [])
            for g in dg + ng:
                try:
                    ox.NamedNode(g)
                except ValueError as e:
                    raise BadRequest(f"the dataset graph {g!r} is not an absolute IRI: {e}") from None
        elif qt.from_graphs or qt.from_named:
            dg, ng = list(qt.from_graphs), list(qt.from_named)
        else:
            return None, None, ()
        missing = tuple(dict.fromkeys(g for g in dg + ng if g not in self._hosted))
        if missing:
            dg = [g for g in dg if g in self._hosted]
            ng = [g for g in ng if g in self._hosted]
            if not dg and not ng:
                dg = [EMPTY_GRAPH]
        return dg, ng, missing

    # -- running --------------------------------------------------------------------------------------
    def run(
        self,
        text: str,
        output: str,
        fmt: Format | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        substitutions: dict[str, Any] | None = None,
        use_cache: bool = True,
    ) -> Answer:
        """Answer ``text``; ``output`` is a format name, or "rows" for Python rows."""
        started = time.perf_counter()
        qt = self.check(text)
        dg, ng, missing = self.dataset(qt, default_graphs, named_graphs)
        subs = tuple(sorted((substitutions or {}).items(), key=lambda kv: kv[0]))
        key = (
            text,
            output,
            tuple(dg) if dg is not None else None,
            tuple(ng) if ng is not None else None,
            tuple((k, str(v)) for k, v in subs),
            self.version,
        )
        etag = hashlib.sha1(repr(key).encode()).hexdigest()[:20]
        if use_cache:
            hit = self.cache.get(key)
            if hit is not None:
                return Answer(hit, fmt, True, etag, time.perf_counter() - started, missing)
        bound = text
        if subs and all(isinstance(v, (ox.NamedNode, ox.Literal)) for _, v in subs):
            # Bound in the text for every backend rather than through pyoxigraph's substitutions, which do not
            # reach into sub-queries: there a curated query's plan parameters would be free, and the sub-query
            # would be evaluated for every plan in the store before the join kept the one asked for.
            bound, subs = substitute(text, {k: sparql_term(v) for k, v in subs}), ()
        req = Request(
            bound,
            output,
            self.settings.row_cap,
            default_graphs=dg,
            named_graphs=ng,
            substitutions=dict(subs) or None,
            prefixes=self.prefixes,
        )
        outcome = self.backend.run(req, self.settings.query_timeout)
        if use_cache:
            size = len(outcome.body or b"") + 200 * (len(outcome.rows or ()) + 1)
            self.cache.put(key, outcome, size)
        return Answer(outcome, fmt, False, etag, time.perf_counter() - started, missing)

    def rows(self, text: str, substitutions: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A SELECT answer as a list of {variable: pyoxigraph term} (unbound variables left out)."""
        out = self.run(text, "rows", substitutions=substitutions).outcome
        if out.kind != "select":
            raise BadRequest("expected a SELECT query")
        names = out.variables or []
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in out.rows or []]

    def close(self) -> None:
        self.backend.close()
