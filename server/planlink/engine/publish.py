"""Loading the dataset into a SPARQL store with the SPARQL 1.1 Graph Store HTTP Protocol (``planlink publish``).

One named graph per file, as the embedded store holds them: ``PUT {url}?graph={graph IRI}`` with the file's
triples as N-Triples (absolute IRIs, moved to the configured base IRI). Oxigraph server's Graph Store endpoint
is ``/store``; Fuseki's is ``/{dataset}/data`` (or ``/{dataset}``); GraphDB's
``/repositories/{id}/rdf-graphs/service``; Virtuoso's ``/sparql-graph-crud-auth``, which takes only a user with
the SPARQL_UPDATE role (``dba``, say). ``credentials`` answer the store's challenge, digest or basic, when the
store sends one; a store without HEAD (Virtuoso 7 answers 501) is asked with GET whether it holds a graph.

A graph that already exists on the store is not overwritten unless asked (``replace``): nothing is sent until
every graph has been checked. Graphs on the store that planlink does not host are never touched.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from planlink.engine.store import GraphFile, parse_file, rebase
from planlink.foundation import VERSION, formats
from planlink.foundation.errors import PlanlinkError, UpstreamError

NTRIPLES = formats.get("ntriples").media_type
MESSAGE_LIMIT = 500


class PublishRefused(PlanlinkError):
    """The store already holds graphs of this dataset, and replacing them was not asked for."""

    code = "graphs-exist"
    status = 409
    exit_code = 1


@dataclass(frozen=True)
class Credentials:
    """A store user, for a Graph Store endpoint that takes writes only from one."""

    user: str
    password: str = field(repr=False)


@dataclass
class Sent:
    graph: str
    file: str
    triples: int
    bytes: int
    status: int
    seconds: float


def graph_url(url: str, graph: str) -> str:
    """``url`` with ``graph=<graph>`` added to its query string (indirect graph identification)."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + [("graph", graph)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def opener(url: str, credentials: Credentials | None = None) -> urllib.request.OpenerDirector:
    """What sends the requests: with ``credentials``, it answers the store's digest or basic challenge."""
    if credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
    )


def _request(
    method: str,
    url: str,
    timeout: float,
    body: bytes | None = None,
    credentials: Credentials | None = None,
) -> int:
    req = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={
            "User-Agent": f"planlink/{VERSION}",
            "Accept": "*/*",
            **({"Content-Type": NTRIPLES} if body is not None else {}),
        },
    )
    where = url.split("?", 1)[0]
    try:
        # A new opener each time: urllib's digest handler counts failed answers (a 501 to HEAD counts) across
        # requests and gives up after five.
        with opener(where, credentials).open(req, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        if method in ("HEAD", "GET") and exc.code == 404:
            return 404
        if method == "HEAD" and exc.code in (405, 501):
            return exc.code  # no HEAD on this store: the caller asks with GET
        if exc.code == 401:
            hint = (
                "the user and password given were not accepted"
                if credentials
                else "give a user that may write graphs with --user (the password in PLANLINK_STORE_PASSWORD)"
            )
            raise UpstreamError(
                f"the store at {where} refused {method}: HTTP 401, {hint}", status_code=401
            ) from None
        detail = exc.read().decode("utf-8", "replace").strip()[:MESSAGE_LIMIT]
        raise UpstreamError(
            f"the store refused {method} {url}: HTTP {exc.code}" + (f": {detail}" if detail else ""),
            status_code=exc.code,
        ) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UpstreamError(f"the store at {where} is unreachable: {reason}") from None


def _holds(url: str, timeout: float, credentials: Credentials | None) -> bool:
    status = _request("HEAD", url, timeout, credentials=credentials)
    if status in (405, 501):
        status = _request("GET", url, timeout, credentials=credentials)
    return status != 404


def existing_graphs(
    files: list[GraphFile], url: str, timeout: float, credentials: Credentials | None = None
) -> list[str]:
    """The graphs of ``files`` the store already has (HEAD, or GET where the store has no HEAD: 404 is no)."""
    return [f.iri for f in files if _holds(graph_url(url, f.iri), timeout, credentials)]


def ntriples(f: GraphFile, base: str) -> tuple[bytes, int]:
    """A file's triples (each once, IRIs under ``base``) as N-Triples, and how many."""
    triples = list(dict.fromkeys(rebase(parse_file(f.path), base)))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


def publish(
    files: list[GraphFile],
    base: str,
    url: str,
    replace: bool = False,
    timeout: float = 300.0,
    progress: Callable[[Sent], None] | None = None,
    credentials: Credentials | None = None,
) -> list[Sent]:
    """PUT every file as its own named graph into the Graph Store at ``url``. Without ``replace``, refuse
    (before sending anything) when the store already has any of the graphs."""
    if not replace:
        present = existing_graphs(files, url, timeout, credentials)
        if present:
            raise PublishRefused(
                f"the store already holds {len(present)} of the {len(files)} graphs "
                f"(e.g. <{present[0]}>); nothing was sent. Use --replace to overwrite them.",
                graphs=present,
            )
    sent: list[Sent] = []
    for f in files:
        started = time.perf_counter()
        body, count = ntriples(f, base)
        status = _request("PUT", graph_url(url, f.iri), timeout, body, credentials)
        item = Sent(f.iri, str(f.path), count, len(body), status, time.perf_counter() - started)
        sent.append(item)
        if progress:
            progress(item)
    return sent
