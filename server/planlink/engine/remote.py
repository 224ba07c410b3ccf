"""A remote SPARQL 1.1 store as the query backend (``planlink serve --store URL``), through SPARQLWrapper.

It has the interface of the evaluator pool (``start``, ``run(Request, timeout) -> Outcome``, ``close``), so the
query service in front of it applies the same rules (read-only, SERVICE allow-list, FROM limited to hosted
graphs, answer cache). It asks for machine formats only (SPARQL JSON results, N-Triples), reads the answer as
a stream of pyoxigraph terms up to the row cap, and writes it with planlink's own writers: rows for pages and
reports, and every format, come out exactly as from the embedded store.

The dataset: the default graph of a query is the union of the hosted named graphs. Stores differ in how to ask
for that, so the ``store_union`` setting chooses: ``graphs`` (default) names every hosted graph with
``default-graph-uri`` and ``named-graph-uri`` (SPARQL 1.1 Protocol: Oxigraph, Fuseki, Virtuoso, GraphDB);
``oxigraph`` sends Oxigraph server's ``union-default-graph`` parameter; ``store`` sends nothing, for a store whose
default graph already is the union (Fuseki with ``tdb2:unionDefaultGraph true``).
"""

from __future__ import annotations

import ast
import hashlib
import http.client
import json
import threading
import time
import urllib.error
from typing import IO, Any

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from planlink.engine.answers import write_answer
from planlink.engine.backend import SYNTAX_AT, Outcome, Request
from planlink.engine.dialects import STANDARD, Dialect, recognise
from planlink.engine.sparqltext import read
from planlink.engine.store import GraphFile, LoadedData, fingerprint
from planlink.foundation import VERSION, formats
from planlink.foundation.errors import (
    BadRequest,
    Busy,
    PlanlinkError,
    QuerySyntaxError,
    StoreTimeout,
    UpstreamError,
)

RESULTS_JSON = formats.get("json").media_type
NTRIPLES = formats.get("ntriples").media_type
COUNTS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
MESSAGE_LIMIT = 2000


class _Deadline:
    """A response body that stops being readable once the query's time is up."""

    def __init__(self, raw: IO[bytes], deadline: float, limit: float) -> None:
        self.raw = raw
        self.deadline = deadline
        self.limit = limit

    def _check(self) -> None:
        if time.monotonic() > self.deadline:
            raise StoreTimeout(
                f"the store's answer took longer than the time limit of {self.limit:g} s and was cut off",
                limit_seconds=self.limit,
            )

    def read(self, size: int = -1) -> bytes:
        self._check()
        return self.raw.read(size)

    def readinto(self, buffer: Any) -> int:
        self._check()
        return self.raw.readinto(buffer)  # type: ignore[attr-defined,no-any-return]

    def readable(self) -> bool:
        return True


class RemoteStore:
    """Queries sent to ``url`` (a SPARQL 1.1 query endpoint), at most ``size`` at a time."""

    def __init__(
        self, url: str, graphs: list[str], size: int = 4, queue_wait: float = 2.0, union: str = "graphs"
    ) -> None:
        self.url = url
        self.graphs = list(graphs)
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self.union = union
        self._slots = threading.BoundedSemaphore(self.size)
        self.dialect: Dialect = (
            STANDARD  # recognised from the first answer's Server header (engine/dialects.py)
        )

    def start(self) -> None:
        """Nothing to start: connections are made per query."""

    def close(self) -> None:
        """Nothing held open between queries."""

    # -- the query --------------------------------------------------------------------------------------
    def _wrapper(self, req: Request, form: str, timeout: float) -> SPARQLWrapper:
        sw = SPARQLWrapper(self.url, agent=f"planlink/{VERSION}")
        sw.setMethod(POST)  # URL-encoded form: long queries and many graph IRIs fit
        sw.setOnlyConneg(True)  # no format/output/results parameters: the Accept header says it
        sw.setTimeout(max(1, int(timeout + 0.999)))
        if req.substitutions:  # the QueryService bound every IRI and literal in the text; what is left has no
            # SPARQL syntax (a blank node), and a remote store takes no other way of binding it
            names = ", ".join("?" + n for n in req.substitutions)
            raise BadRequest(f"a remote store cannot bind {names} to a blank node: give an IRI or a literal")
        text = self.dialect.text(req.query)
        # Set the text and its form directly: SPARQLWrapper's own guess of the form could mistake a query
        # for an update and send it as one; planlink has already read it (and refused updates).
        sw.queryString = text
        sw.queryType = form
        sw.addCustomHttpHeader("Accept", NTRIPLES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON)
        if req.default_graphs is not None or req.named_graphs is not None:
            for g in req.default_graphs or []:
                sw.addParameter("default-graph-uri", g)
            for g in req.named_graphs or []:
                sw.addParameter("named-graph-uri", g)
        elif self.union == "graphs":
            for g in self.graphs:
                sw.addParameter("default-graph-uri", g)
            for g in self.graphs:
                sw.addParameter("named-graph-uri", g)
        elif self.union == "oxigraph":
            sw.addParameter("union-default-graph", "true")
        for name, value in self.dialect.parameters(timeout).items():
            sw.addParameter(name, value)
        return sw

    def run(self, req: Request, timeout: float) -> Outcome:
        if not self._slots.acquire(timeout=self.queue_wait):
            raise Busy(f"all {self.size} remote query slots are busy; try again shortly", retry_after=1)
        try:
            return self._run(req, timeout)
        finally:
            self._slots.release()

    def _run(self, req: Request, timeout: float) -> Outcome:
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        form = read(req.query).form or "SELECT"
        sw = self._wrapper(req, form, timeout)
        response = None
        try:
            response = sw.query().response
            headers = response.info()
            if self.dialect is STANDARD:
                self.dialect = recognise(headers.get("Server"))
            partial = self.dialect.incomplete(headers)
            if partial:
                raise StoreTimeout(
                    f"the SPARQL store at {self.url} stopped the query at the time limit and sent only part of "
                    f"the answer, which planlink does not serve ({partial})",
                    limit_seconds=timeout,
                    store=self.url,
                )
            body = _Deadline(response, deadline, timeout)
            if form in ("CONSTRUCT", "DESCRIBE"):
                answer: Any = (q.triple for q in ox.parse(body, format=formats.get("ntriples").ox))  # type: ignore[arg-type]
            else:
                answer = ox.parse_query_results(body, format=formats.get("json").ox)  # type: ignore[arg-type]
                if form == "ASK" and not isinstance(answer, ox.QueryBoolean):
                    value = self.dialect.ask(answer)
                    if value is None:
                        raise ValueError("an ASK query was answered with rows")
                    answer = ox.parse_query_results(
                        json.dumps({"head": {}, "boolean": value}).encode(),
                        format=formats.get("json").ox,  # type: ignore[arg-type]
                    )
                elif isinstance(answer, ox.QuerySolutions):
                    answer = self.dialect.solutions(answer)
            out = write_answer(answer, req)
            limit = self.dialect.row_limit(headers)
            if limit is not None and limit <= out.count < req.row_cap:
                raise UpstreamError(
                    f"the SPARQL store at {self.url} cut the answer at its own limit of {limit} rows, fewer than "
                    f"planlink's row cap of {req.row_cap}: raise the store's limit (Virtuoso: ResultSetMaxRows)",
                    store=self.url,
                )
        except PlanlinkError:
            raise
        except SPARQLWrapperException as exc:
            raise self._refused(exc) from None
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc.code, _text(exc.read())) from None
        except TimeoutError:
            raise self._too_slow(timeout) from None
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise self._too_slow(timeout) from None
            raise UpstreamError(
                f"the SPARQL store at {self.url} is unreachable: {reason}", store=self.url
            ) from None
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            raise UpstreamError(
                f"the SPARQL store at {self.url} sent an answer that does not parse: {exc}", store=self.url
            ) from None
        finally:
            if response is not None:
                response.close()
        out.seconds = time.perf_counter() - started
        return out

    def _too_slow(self, timeout: float) -> StoreTimeout:
        return StoreTimeout(
            f"the SPARQL store at {self.url} did not answer within the time limit of {timeout:g} s; planlink "
            "closed the connection",
            limit_seconds=timeout,
            store=self.url,
        )

    def _refused(self, exc: SPARQLWrapperException) -> PlanlinkError:
        """SPARQLWrapper's exceptions carry the status in their class, and the store's answer as a bytes repr."""
        status = {
            "QueryBadFormed": 400,
            "Unauthorized": 401,
            "EndPointNotFound": 404,
            "URITooLong": 414,
            "EndPointInternalError": 500,
        }.get(type(exc).__name__, 500)
        message = str(exc)
        if "\n\nResponse:\n" in message:
            message = message.split("\n\nResponse:\n", 1)[1]
            try:
                value = ast.literal_eval(message)
                message = _text(value) if isinstance(value, bytes) else str(value)
            except (ValueError, SyntaxError):
                pass
        return self._http_error(status, message)

    def _http_error(self, status: int, message: str) -> PlanlinkError:
        message = message.strip()[:MESSAGE_LIMIT]
        if status == 400:
            m = SYNTAX_AT.search(message)
            return QuerySyntaxError(
                f"the store refused the query: {message}",
                int(m.group(1)) if m else None,
                int(m.group(2)) if m else None,
            )
        if status == 414:
            return BadRequest(f"the query is too long for the store: {message}")
        if status in (503, 504) and "timeout" in message.lower():
            return StoreTimeout(
                f"the SPARQL store at {self.url} stopped the query: {message}", store=self.url
            )
        return UpstreamError(
            f"the SPARQL store at {self.url} answered HTTP {status}: {message}",
            store=self.url,
            upstream_status=status,
        )

    # -- what the store holds ---------------------------------------------------------------------------
    def counts(self, timeout: float) -> dict[str, int]:
        """Triples per named graph on the store (the hosted graphs only)."""
        req = Request(COUNTS_QUERY, "rows", row_cap=1_000_000, named_graphs=self.graphs)
        out = self.run(req, timeout)
        counts = {g: 0 for g in self.graphs}
        for g, n in out.rows or []:
            if isinstance(g, ox.NamedNode) and g.value in counts and n is not None:
                counts[g.value] = int(n.value)
        return counts


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")


def remote_data(backend: RemoteStore, files: list[GraphFile], base: str, timeout: float) -> LoadedData:
    """What planlink knows of the remote store: the hosted graphs (one per local file, as ``planlink publish``
    sends them) with their triple counts read from the store. Its version (which keys the answer cache) changes
    with the store URL, the counts and the local files. ``store`` of the result parses the local files on first
    use (downloads and the ontology page read the local files)."""
    counts = backend.counts(timeout)
    local = fingerprint(files, base)
    version = hashlib.sha256(json.dumps(["remote", backend.url, counts, local]).encode()).hexdigest()
    return LoadedData(None, files, base, version, counts)
