"""A page as PDF, printed by headless Chromium (the browser the tests install: Debian's ``chromium``), with the
page's print stylesheet; Chromium embeds the fonts it draws with (Thai from fonts-thai-tlwg), so the file reads
the same anywhere.

The page is written to a temporary folder with its stylesheets inlined (a ``file:`` page cannot fetch
``/static``) and its scripts left out (the report needs none: its pictures are SVG), and printed from there, so
Chromium reads nothing from the network. Links are written out against ``site`` (the print stylesheet's
``--site``): the base IRI, for a document that outlives the host that printed it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from planlink.foundation.errors import PlanlinkError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
STATIC = Path(__file__).resolve().parent / "static"


def find_browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise PlanlinkError(
        "printing a PDF needs Chromium, and none was found on PATH (looked for "
        + ", ".join(BROWSERS)
        + "); install it, e.g. apt-get install chromium fonts-thai-tlwg (make browser)"
    )


def standalone(page: str, site: str, static: Path = STATIC) -> str:
    """The page with its /static stylesheets inlined (keeping their media), its scripts removed and ``--site``
    set to ``site``."""

    def style(m: re.Match[str]) -> str:
        name, media = m.group(1), m.group(2)
        path = (static / name).resolve()
        if static.resolve() not in path.parents or not path.is_file():
            return ""
        attr = f' media="{media}"' if media else ""
        return f"<style{attr}>\n{path.read_text('utf-8')}\n</style>"

    page = re.sub(r'<link rel="stylesheet" href="/static/([^"?#]+)"(?: media="([a-z]+)")?>', style, page)
    page = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)
    return re.sub(r"--site: '[^']*'", "--site: '" + site.replace("'", "%27") + "'", page, count=1)


def pdf_of(page: str, site: str, timeout: float = 120.0) -> bytes:
    """``page`` (an HTML document from this app) printed as PDF (A4, the print stylesheet, no header or footer
    lines of the browser's own)."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="planlink-print-") as tmp:
        folder = Path(tmp)
        source, out = folder / "page.html", folder / "page.pdf"
        source.write_text(standalone(page, site), "utf-8")
        cmd = [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PlanlinkError(f"Chromium did not print the PDF within {timeout:.0f} s") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PlanlinkError(
                f"Chromium could not print the PDF (exit {done.returncode}): "
                + (" | ".join(said) or "no message")
            )
        return out.read_bytes()
