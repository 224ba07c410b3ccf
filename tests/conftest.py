"""Shared fixtures: the project, a Flask test client, and the real service (granian on loopback)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def project():
    from planlink.foundation.settings import load_settings
    from planlink.project import open_project

    p = open_project(load_settings({"root": str(ROOT), "access_log": False, "validate_on_start": False}))
    yield p
    p.close()


@pytest.fixture(scope="session")
def app(project):
    from planlink import create_app

    return create_app(project=project)


@pytest.fixture()
def client(app):
    return app.test_client()


class LiveServer:
    def __init__(self, proc: subprocess.Popen, url: str, log: Path) -> None:
        self.proc = proc
        self.url = url
        self.log = log

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def start_server(
    env_extra: dict[str, str] | None = None, args: list[str] | None = None, tmp: Path | None = None
) -> LiveServer:
    """Start ``planlink serve`` (granian) on a free loopback port and wait until it is ready."""
    return start_command(["serve", *(args or [])], "/readyz", env_extra, tmp)


def start_command(
    command: list[str], ready: str, env_extra: dict[str, str] | None = None, tmp: Path | None = None
) -> LiveServer:
    """Start ``planlink COMMAND --port P ...`` on a free loopback port, and wait until ``GET ready`` is 200."""
    port = free_port()
    env = {**os.environ, "PLANLINK_ACCESS_LOG": "false", **(env_extra or {})}
    log = (tmp or Path("/tmp")) / f"planlink-{command[0]}-{port}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "planlink.cli", command[0], "--port", str(port), *command[1:]],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"planlink {command[0]} exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url + ready, timeout=5).status_code == 200:
                return LiveServer(proc, url, log)
        except requests.RequestException:  # not listening yet, or too busy to answer in time
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"planlink {command[0]} did not become ready:\n{log.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The real service on the shipped data, as users run it (short time limit for the timeout tests)."""
    server = start_server(
        {"PLANLINK_QUERY_TIMEOUT": "3", "PLANLINK_STATE_DIR": str(tmp_path_factory.mktemp("state"))},
        tmp=tmp_path_factory.mktemp("logs"),
    )
    yield server
    stop_server(server)
