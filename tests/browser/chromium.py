"""What the browser tests share: Debian's Chromium (installed by `make browser`), started headless by Playwright in
a throwaway profile, and the Journey that records everything a page reports (console and page errors, failed
requests, HTTP errors, any request to another host) and takes each step's screenshot."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"

# pytestmark of every browser test module
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Debian chromium is not installed at {CHROMIUM} (CI installs it: apt-get install chromium)",
)


@contextmanager
def chromium(**options: Any) -> Iterator[Any]:
    """A browser context of headless Chromium, Thai locale, 1280×900, in a profile deleted afterwards
    (``options``: more of Playwright's context options, e.g. ``accept_downloads=True``)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="planlink-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            **{"locale": "th-TH", "viewport": {"width": 1280, "height": 900}, **options},
        )
        try:
            yield context
        finally:
            context.close()


def new_page(context: Any, timeout_ms: int = 30_000) -> Any:
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return page


class Journey:
    """One browser page and everything it reported, step by step."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.problems: list[
            str
        ] = []  # console errors, page errors, failed requests, HTTP errors, other hosts
        self.step_start = 0
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.problems.append(f"request failed: {req.url} {req.failure}"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.problems.append(f"console error: {msg.text} at {msg.location.get('url')}")

    def _response(self, resp: Any) -> None:
        if resp.status >= 400:
            self.problems.append(f"HTTP {resp.status}: {resp.url}")

    def _request(self, req: Any) -> None:
        host = urlsplit(req.url).netloc
        if req.url.startswith(("http:", "https:")) and host != self.host:
            self.problems.append(f"request to another host: {req.url}")

    def begin(self) -> None:
        self.step_start = len(self.problems)

    def finish(self, step: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{step}.png"), full_page=True)
        new = self.problems[self.step_start :]
        assert not new, f"{step}: the browser reported problems: {new}"

    def path(self) -> str:
        return urlsplit(self.page.url).path
