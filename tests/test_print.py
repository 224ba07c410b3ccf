"""Printing (issue 18): ``planlink report --format pdf`` prints the report page with its print stylesheet through
headless Chromium; the PDF is read back with pypdf: Thai text in reading order, a Thai font embedded, the site's
navigation left out, links written out against the base IRI. (The print stylesheet on the item pages is looked at
in Chromium: tests/browser/test_desk_browser.py.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from planlink.foundation.errors import PlanlinkError
from planlink.web.printing import standalone

ROOT = Path(__file__).resolve().parents[1]
THAI_FONTS = (
    "Loma",
    "Norasi",
    "Garuda",
    "Kinnari",
    "Sawasdee",
    "Waree",
    "Umpush",
    "Laksaman",
    "Purisa",
    "Tlwg",
    "Thai",
)
# vowel and tone marks, which text extraction drops or reads as the fonts' positioned variants (Private Use Area)
MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\uf700-\uf71f\s]")

needs_chromium = pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")),
    reason="printing needs Chromium (make browser installs it)",
)


def bare(text: str) -> str:
    return MARKS.sub("", text)


def embedded_fonts(reader) -> set[str]:  # type: ignore[no-untyped-def]
    found = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            kids = font.get("/DescendantFonts")
            descriptor = (kids[0].get_object() if kids else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.add(str(font.get("/BaseFont")))
    return found


@needs_chromium
def test_report_as_pdf(tmp_path: Path, project) -> None:
    from planlink.readmodels import alignment
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "planlink.cli", "report", "--format", "pdf", "--lang", "th", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    assert len(reader.pages) >= 5  # sections start on pages of their own
    first = reader.pages[0].extract_text()
    report = alignment.build(project, None, None, "th")
    assert bare("รายงานความเชื่อมโยงระหว่างแผน") in bare(first)
    assert bare(report.source.label) in bare(first)
    assert "https://w3id.org/planlink/id/nakhon-sawan-2564" in first.replace("\n", "")  # a link written out
    assert bare("หน้าแรก") not in bare(first)  # the site's navigation is not printed
    fonts = embedded_fonts(reader)
    assert any(name in f for f in fonts for name in THAI_FONTS), fonts
    text = "".join(p.extract_text() for p in reader.pages)
    assert bare("ความเชื่อมโยงทั้งหมดและเหตุผล") in bare(text)  # the last section is there too


def test_a_pdf_is_not_written_to_a_terminal_and_needs_a_browser(monkeypatch) -> None:
    from planlink.web import printing

    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    with pytest.raises(PlanlinkError, match="needs Chromium"):
        printing.pdf_of("<html></html>", "https://w3id.org/planlink")


def test_standalone_page(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p { color: red }", "utf-8")
    (tmp_path / "print.css").write_text("@media print { nav { display: none } }", "utf-8")
    page = (
        "<html style=\"--site: 'http://localhost'\"><head>"
        '<link rel="stylesheet" href="/static/a.css"><link rel="stylesheet" href="/static/print.css" media="print">'
        '<link rel="stylesheet" href="/static/../secret.css"><script src="/static/x.js"></script></head>'
        "<body><script>alert(1)</script><p>ก</p></body></html>"
    )
    out = standalone(page, "https://w3id.org/planlink", tmp_path)
    assert "<style>\np { color: red }\n</style>" in out
    assert '<style media="print">' in out and "nav { display: none }" in out
    assert "secret" not in out and "<script" not in out and "alert" not in out
    assert "--site: 'https://w3id.org/planlink'" in out and "<p>ก</p>" in out
