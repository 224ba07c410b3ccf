"""The remote-store mode when the store fails: down, slow, garbled, erroring, restarted.

A real Oxigraph server holds the published data; planlink (``serve --store``) reaches it through a small real
HTTP proxy of this test, which can delay, break or replace the store's answers. Each fault must get a clear
answer in planlink's error shape (502 for a store that cannot be reached or answers wrongly, 504 for one that
does not answer within the time limit), the service must go on answering other requests meanwhile, and it must
recover, with no restart of planlink, once the store is back."""

from __future__ import annotations

import http.client
import itertools
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from conftest import LiveServer, free_port, start_server, stop_server
from test_remote import Oxigraph, oxigraph_cli, planlink

JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT = 2.0
_fresh = itertools.count()


def fresh_ask() -> str:
    """A query text not asked before: never answered from planlink's cache."""
    return f"ASK {{ ?s ?p ?o }} # {next(_fresh)}"


class Proxy:
    """Forwards requests to ``upstream``; ``mode`` says what to do instead: pass, slow, error, garbage, drop."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.mode = "pass"
        self.seen = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                proxy.seen += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                mode = proxy.mode
                if mode == "drop":  # the connection closes with no answer
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if mode == "error":
                    self._answer(500, "text/plain", b"Internal Server Error: storage engine failure")
                    return
                if mode == "garbage":
                    self._answer(200, "application/sparql-results+json", b"<html>not SPARQL results</html>")
                    return
                if mode == "slow":
                    time.sleep(TIMEOUT + 3)
                conn = http.client.HTTPConnection(*proxy.upstream.split(":"), timeout=30)
                try:
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                    }
                    conn.request("POST", self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    self._answer(resp.status, resp.getheader("Content-Type") or "", data)
                except OSError:
                    self._answer(502, "text/plain", b"proxy: upstream down")
                finally:
                    conn.close()

            def _answer(self, status: int, ctype: str, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # planlink gave up on a slow answer and closed the connection

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_oxigraph(location: Path, port: int, log: Path) -> subprocess.Popen:
    cli = oxigraph_cli()
    if cli is None:
        pytest.skip("the oxigraph CLI (PyPI 'oxigraph', in the test extra) is not installed")
    proc = subprocess.Popen(
        [cli, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while True:
        try:
            url = f"http://127.0.0.1:{port}/query"
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return proc
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError(f"oxigraph serve did not start:\n{log.read_text()}")
        time.sleep(0.1)


class Setup:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.location = tmp / "store"
        self.log = tmp / "oxigraph.log"
        self.proc = start_oxigraph(self.location, self.port, self.log)
        self.oxigraph = Oxigraph(self.proc, self.port)
        published = planlink("publish", "--to", self.oxigraph.store_url, state=tmp / "publish-state")
        assert published.returncode == 0, published.stderr
        self.proxy = Proxy(f"127.0.0.1:{self.port}")
        self.planlink: LiveServer = start_server(
            {"PLANLINK_QUERY_TIMEOUT": str(TIMEOUT), "PLANLINK_STATE_DIR": str(tmp / "state")},
            args=["--store", f"http://127.0.0.1:{self.proxy.port}/query"],
            tmp=tmp,
        )

    def kill_store(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def restart_store(self) -> None:
        self.proc = start_oxigraph(self.location, self.port, self.log)

    def close(self) -> None:
        stop_server(self.planlink)
        self.proxy.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Iterator[Setup]:
    s = Setup(tmp_path_factory.mktemp("remote-faults"))
    yield s
    s.close()


@pytest.fixture(autouse=True)
def healthy_proxy(setup: Setup) -> Iterator[None]:
    setup.proxy.mode = "pass"
    yield
    setup.proxy.mode = "pass"


def ask(setup: Setup, query: str | None = None, **kw: object) -> requests.Response:
    return requests.get(
        setup.planlink.sparql, params={"query": query or fresh_ask()}, headers=JSON, timeout=30, **kw
    )


def assert_recovered(setup: Setup) -> None:
    r = ask(setup)
    assert r.status_code == 200 and r.json()["boolean"] is True, r.text


def test_a_store_that_goes_down_is_502_and_planlink_recovers_when_it_is_back(setup: Setup) -> None:
    assert_recovered(setup)
    setup.kill_store()
    try:
        r = ask(setup)
        assert r.status_code == 502 and r.json()["error"] == "upstream", r.text
        assert "proxy: upstream down" in r.json()["message"] or "unreachable" in r.json()["message"]
        # the proxy stays up, the store behind it is gone; now planlink's own connection is refused too
        setup.proxy.mode = "drop"
        r = ask(setup)
        assert r.status_code == 502 and r.json()["error"] == "upstream", r.text
        assert f"127.0.0.1:{setup.proxy.port}" in r.json()["message"]
        # pages and reports answer in the error shape too, in HTML for a browser
        r = requests.get(
            setup.planlink.url + "/doc/lower-north-1", headers={"Accept": "text/html"}, timeout=30
        )
        assert r.status_code == 502 and "text/html" in r.headers["Content-Type"]
        assert "Traceback" not in r.text
    finally:
        setup.proxy.mode = "pass"
        setup.restart_store()
    assert_recovered(setup)  # the same planlink process: no restart, no poisoned state
    assert setup.planlink.proc.poll() is None


def test_a_store_that_answers_too_slowly_is_504_within_the_time_limit(setup: Setup) -> None:
    setup.proxy.mode = "slow"
    started = time.monotonic()
    r = ask(setup)
    took = time.monotonic() - started
    assert r.status_code == 504 and r.json()["error"] == "store-timeout", r.text
    assert "did not answer within the time limit" in r.json()["message"]
    assert TIMEOUT - 0.5 < took < TIMEOUT + 2.5
    setup.proxy.mode = "pass"
    assert_recovered(setup)


def test_others_are_answered_while_a_slow_store_query_waits(setup: Setup) -> None:
    setup.proxy.mode = "slow"
    slow: dict[str, requests.Response] = {}
    t = threading.Thread(target=lambda: slow.setdefault("r", ask(setup)))
    t.start()
    time.sleep(0.3)
    # the health check and an answer from planlink's cache do not need the store
    assert requests.get(setup.planlink.url + "/healthz", timeout=5).status_code == 200
    t.join()
    assert slow["r"].status_code == 504


def test_a_store_error_or_garbled_answer_is_502_with_what_it_said(setup: Setup) -> None:
    setup.proxy.mode = "error"
    r = ask(setup)
    assert r.status_code == 502 and r.json()["error"] == "upstream", r.text
    assert "HTTP 500" in r.json()["message"] and "storage engine failure" in r.json()["message"]
    setup.proxy.mode = "garbage"
    r = ask(setup, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert r.status_code == 502 and r.json()["error"] == "upstream", r.text
    assert "does not parse" in r.json()["message"]
    setup.proxy.mode = "pass"
    assert_recovered(setup)
    # a failure is never cached: the same text answers once the store does
    r = ask(setup, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1
