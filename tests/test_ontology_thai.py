"""The ontology page in Thai (issue 18): pyLODE's own English words (headings, the names of the properties it
shows, the tooltips of its legend) are in Thai on /def/plan?lang=th; what stays in Latin letters is a name or an
identifier (IRIs, prefixes, CURIEs, format names, the symbols of the legend), listed here."""

from __future__ import annotations

import re

from planlink.readmodels.ontodoc import TH_WORDS, in_thai

THAI = re.compile(r"[\u0e00-\u0e7f]")
# names and identifiers that are the same in every language
KEPT = {
    "IRI",
    "English",
    "JSON-LD",
    "N-Triples",
    "Turtle",
    "LODE",
    "OntPub",
    "planlink",
    "p",
    "y",
    "langString",
}
KEPT |= {"c", "op", "dp", "fp", "ap"}  # the legend's symbols (their tooltips are in Thai)


def visible_latin(page: str) -> tuple[set[str], set[str]]:
    body = page[page.find("<body") :]
    body = re.sub(r"<(code|script|style)[^>]*>.*?</\1>", "", body, flags=re.S)
    texts = {t.strip() for t in re.findall(r">([^<]+)<", body)}
    latin = {t for t in texts if re.search("[A-Za-z]", t) and not THAI.search(t)}
    titles = {
        t for t in re.findall(r'title="([^"]*)"', body) if re.search("[A-Za-z]", t) and not THAI.search(t)
    }
    return latin, titles


def is_identifier(text: str) -> bool:
    return bool(re.fullmatch(r"https?://\S+|[a-z]+(:[A-Za-z0-9_-]*)?|[a-z]+:[A-Za-z]\w*", text))


def test_the_thai_page_is_thai(client) -> None:
    page = client.get("/def/plan?lang=th", headers={"Accept": "text/html"}).get_data(as_text=True)
    latin, titles = visible_latin(page)
    left = {t for t in latin if t not in KEPT and not is_identifier(t)}
    assert not left, f"English left on the Thai page: {sorted(left)}"
    assert not titles, f"English tooltips on the Thai page: {sorted(titles)}"
    for heading in ("สารบัญ", "เมทาดาทา", "คลาส", "คุณสมบัติเชิงวัตถุ", "คำอธิบาย", "เป็นคลาสย่อยของ"):
        assert f">{heading}<" in page, heading
    assert 'lang="th"' in page[:300]


def test_the_english_page_keeps_pylodes_words(client) -> None:
    page = client.get("/def/plan?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert ">Description<" in page and ">Sub Class Of<" in page and "สารบัญ" not in page


def test_only_whole_texts_are_replaced() -> None:
    page = '<head><style>.Description{}</style></head><body><p>Description</p><p>A Description of x</p><a title="RDF Property">x</a></body>'
    out = in_thai(page)
    assert f"<p>{TH_WORDS['Description']}</p>" in out
    assert "<p>A Description of x</p>" in out  # a term's own text is not touched
    assert ".Description{}" in out and 'title="คุณสมบัติ RDF"' in out
