"""Search: Thai cut into words (and syllables) on both sides, FTS5 with bm25, English stemmed; user input is
never FTS5 syntax; hits carry type, plan and a safely highlighted excerpt."""

from __future__ import annotations

import os
import sqlite3
from html.parser import HTMLParser

import pytest
from planlink.readmodels import search as core

ID = "https://w3id.org/planlink/id/"
NS_15 = ID + "nakhon-sawan-2564/issue/1/guideline/5"  # ประสบการณ์ท่องเที่ยว... (Experience Tourism)
NS_14 = ID + "nakhon-sawan-2564/issue/1/guideline/4"  # ... (Vehicles and Logistics Center)
NS_13 = ID + "nakhon-sawan-2564/issue/1/guideline/3"  # ยกระดับเกษตรสู่เกษตรอินทรีย์...
LN_1 = ID + "lower-north-1/issue/1"  # เกษตรปลอดภัย เกษตรอัจฉริยะ ...
LN_2 = ID + "lower-north-1/issue/2"  # ... โลจิสติกส์และระบบโซ่อุปทาน
LN_4 = ID + "lower-north-1/issue/4"  # ... ศูนย์กลางการท่องเที่ยว ...
LN_4_TOURISM_GOALS = [ID + "lower-north-1/issue/4/goal/6", ID + "lower-north-1/issue/4/goal/7"]


def hits(client, q, **params):
    resp = client.get(
        "/search", query_string={"q": q, "limit": 100, **params}, headers={"Accept": "application/json"}
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def iris(body):
    return [h["iri"] for h in body["hits"]]


def test_fts5_is_compiled_into_this_sqlite():
    sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")


def test_pythainlp_runs_offline_with_its_bundled_dictionary():
    from pythainlp.tools.path import is_offline_mode, is_read_only_mode

    assert os.environ["PYTHAINLP_OFFLINE"] == "1" and is_offline_mode() and is_read_only_mode()
    assert core.words("พัฒนาแหล่งท่องเที่ยว") == ["พัฒนา", "แหล่งท่องเที่ยว"]
    assert core.syllables("การท่องเที่ยว") == ("การ", "ท่อง", "เที่ยว")


def test_thai_tourism_finds_the_tourism_items(client):
    body = hits(client, "ท่องเที่ยว")
    found = iris(body)
    assert body["terms"] == ["ท่องเที่ยว"]
    assert NS_15 in found[:3]
    assert LN_4 in found[:10]
    for goal in LN_4_TOURISM_GOALS:
        assert goal in found[:12]
    # found inside compounds too: รายได้จากการท่องเที่ยว (การท่องเที่ยว is one dictionary word)
    assert ID + "lower-north-1/indicator/7" in found


def test_thai_agriculture_finds_the_agriculture_items(client):
    found = iris(hits(client, "เกษตร"))
    assert LN_1 in found[:3] and NS_13 in found[:3]


def test_thai_and_english_logistics(client):
    assert LN_2 in iris(hits(client, "โลจิสติกส์"))[:3]
    found = iris(hits(client, "logistics"))
    assert {NS_14, LN_2} <= set(found[:3])
    assert found == iris(hits(client, "Logistic"))  # stemmed, case-folded


def test_hits_say_what_they_are_and_which_plan_in_the_page_language(client):
    en = next(h for h in hits(client, "ท่องเที่ยว", lang="en")["hits"] if h["iri"] == NS_15)
    th = next(h for h in hits(client, "ท่องเที่ยว", lang="th")["hits"] if h["iri"] == NS_15)
    assert en["type"] == "development guideline" and th["type"] == "แนวทางการพัฒนา"
    assert en["plan"].startswith("Nakhon Sawan") and th["plan"].startswith("ยุทธศาสตร์การพัฒนาจังหวัดนครสวรรค์")
    assert en["href"] == "/id/nakhon-sawan-2564/issue/1/guideline/5" and en["notation"] == ["1.5"]
    assert "<mark>ท่องเที่ยว</mark>" in th["labelHtml"]
    # the English label does not hold the Thai word: the excerpt shows where it matched
    assert "<mark>" not in en["labelHtml"] and "<mark>ท่องเที่ยว</mark>" in en["snippetHtml"]


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        "*",
        "ท่องเที่ยว*",
        "NEAR(a b)",
        "a NEAR b",
        "-เกษตร",
        "a OR b",
        "NOT x",
        "^x",
        "label_th: x",
        "{label_th}: ท่องเที่ยว",
        ")(",
        "'",
        "\\",
        'logistics" OR "x',
        "AND",
        "tour*",
        "+-~:",
        "\x00",
    ],
)
def test_user_input_is_never_fts5_syntax(client, hostile):
    resp = client.get("/search", query_string={"q": hostile}, headers={"Accept": "application/json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert isinstance(resp.get_json()["hits"], list)
    assert client.get("/search", query_string={"q": hostile}).status_code == 200


def test_a_quoted_operator_is_a_word(client):
    assert hits(client, "-เกษตร")["terms"] == ["เกษตร"]
    assert iris(hits(client, '"logistics"')) == iris(hits(client, "logistics"))


def test_all_words_first_then_any(client):
    both = hits(client, "ท่องเที่ยว เกษตร")
    assert both["allTerms"] and both["total"] >= 1
    loose = hits(client, "ท่องเที่ยว zzzqqq")
    assert not loose["allTerms"] and NS_15 in iris(loose)


def test_bad_searches_get_a_helpful_400(client):
    for params in ({"q": ""}, {"q": "x" * 201}, {"q": "เกษตร", "limit": "0"}, {"q": "เกษตร", "page": "abc"}):
        resp = client.get("/search", query_string=params, headers={"Accept": "application/json"})
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad-request"
    assert client.get("/search", query_string={"q": "x" * 201}).status_code == 400
    landing = client.get("/search?lang=en")  # the empty form, with examples
    assert landing.status_code == 200 and landing.mimetype == "text/html"


def test_paging(client):
    full = iris(hits(client, "ท่องเที่ยว"))
    p1 = client.get("/search.json", query_string={"q": "ท่องเที่ยว", "limit": 5}).get_json()
    p2 = client.get(
        "/search", query_string={"q": "ท่องเที่ยว", "limit": 5, "page": 2, "format": "json"}
    ).get_json()
    assert iris(p1) + iris(p2) == full[:10]
    assert p1["total"] == p2["total"] == len(full)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_mark = tag == "mark"

    def handle_data(self, data):
        if self._in_mark:
            self.marks.append(data)
            self._in_mark = False


def test_the_page_escapes_everything_and_marks_matches(client):
    page = Tags()
    page.feed(
        client.get("/search", query_string={"q": "<script>alert(1)</script> ท่องเที่ยว", "lang": "th"}).get_data(
            as_text=True
        )
    )
    assert "script" not in page.tags
    page = Tags()
    page.feed(client.get("/search", query_string={"q": "ท่องเที่ยว", "lang": "th"}).get_data(as_text=True))
    assert page.marks and set(page.marks) == {"ท่องเที่ยว"}


def test_marks_are_added_after_escaping():
    pattern = core.highlight_pattern(core.parse_query("ท่องเที่ยว b"))
    html = core.mark('<b onclick="x">การท่องเที่ยว & b</b>', pattern)
    assert str(html) == (
        "&lt;<mark>b</mark> onclick=&#34;x&#34;&gt;การ<mark>ท่องเที่ยว</mark> &amp; <mark>b</mark>"
        "&lt;/<mark>b</mark>&gt;"
    )


LN_2_GOAL_1 = ID + "lower-north-1/issue/2/goal/1"  # ... และภูมิภาค RCEP (source: ภูมิภาคRCEP)
LN_4_IND_4 = ID + "lower-north-1/issue/4/indicator/4"  # ... ฐานตลาด Digital Market (source: ฐานตลาดDigital)


@pytest.mark.parametrize(
    "q,expected",
    [
        ("RCEP", {LN_2, LN_2_GOAL_1}),
        ("rcep", {LN_2, LN_2_GOAL_1}),
        ("ภูมิภาค RCEP", {LN_2, LN_2_GOAL_1}),
        ("ภูมิภาคRCEP", {LN_2, LN_2_GOAL_1}),
        ("ภูมิภาคrcep", {LN_2, LN_2_GOAL_1}),
        ("Digital", {LN_4_IND_4}),
        ("digital", {LN_4_IND_4}),
        ("DIGITAL market", {LN_4_IND_4}),
        ("ฐานตลาด Digital", {LN_4_IND_4}),
        ("ฐานตลาดDigital", {LN_4_IND_4}),
    ],
)
def test_latin_words_in_thai_text_are_found_with_or_without_the_space(client, q, expected):
    """The labels write a space between Thai and Latin text (ภูมิภาค RCEP) where the source has none
    (ภูมิภาคRCEP); a search finds the item whichever way it is typed, in any case."""
    found = iris(hits(client, q))
    assert expected <= set(found[:10]), (q, found[:10])
