"""The alignment report (model.Report) rendered as text: Markdown, CSV, JSON and the SSSOM mapping table. The
HTML page is a template (templates/report.html) over the same model and its picture.

The SSSOM table (https://mapping-commons.github.io/sssom/) is TSV with its metadata as a YAML block of ``#``
comment lines:

- identifiers are CURIEs, expanded by the ``curie_map`` (``planlink:`` for the plans' items, ``skos:``,
  ``semapv:``);
- ``predicate_id`` is the record's SKOS mapping relation; ``mapping_justification`` is
  ``semapv:ManualMappingCuration`` (every link in the report is curated and accepted);
- ``confidence`` comes from the level: full 1.0, partial 0.67, weak 0.33. It is how much of the object's aim
  the subject shares, not a probability that the link is right (said in the set's ``comment``);
- ``comment`` is the record's rationale in the report's language; ``see_also`` the record's IRI.

Cells hold no tab or line break; a cell with a double quote is quoted as in CSV (what pandas, and so sssom-py,
reads).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from planlink.foundation.text import either
from planlink.readmodels.alignment.model import (
    COVERED_KINDS,
    KIND_KEYS,
    LEVEL_KEYS,
    LEVELS,
    kind_name,
    level_name,
)

if TYPE_CHECKING:
    from planlink.readmodels.alignment.model import Gap, Link, Report

SYMBOLS = {3: "●", 2: "◐", 1: "○", 0: "·"}


def _t(report: Report, th: str, en: str) -> str:
    return either(report.lang, th, en)


def _md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or line."""
    return " ".join((text or "").split()).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _row(cells: Iterable[str]) -> str:
    """One line of a Markdown table."""
    return "| " + " | ".join(cells) + " |"


def to_markdown(report: Report) -> str:
    """The report as Markdown, one section after another with a blank line between them. Items link to their
    IRIs (which dereference to their pages)."""
    md = _Markdown(report)
    sections = (
        md.title(),
        md.headline(),
        md.coverage_per_issue(),
        md.matrix(),
        md.gaps(
            md.t("องค์ประกอบของแผนต้นทางที่ไม่มีองค์ประกอบคู่", "Source plan items with no counterpart"),
            report.source_gaps,
        ),
        md.gaps(
            md.t("องค์ประกอบของแผนปลายทางที่ไม่มีองค์ประกอบคู่", "Target plan items with no counterpart"),
            report.target_gaps,
        ),
        md.shared(),
        md.links(),
        md.sources(),
    )
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


class _Markdown:
    """The sections of the Markdown report, each a list of lines."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def t(self, th: str, en: str) -> str:
        return _t(self.report, th, en)

    def level(self, rank: int) -> str:
        return level_name(rank, self.report.lang)

    @staticmethod
    def link(item: Any) -> str:
        return f"[{_md(item.display)}]({item.iri})"

    def section(self, th: str, en: str) -> list[str]:
        return [f"## {self.t(th, en)}", ""]

    def title(self) -> list[str]:
        r, t = self.report, self.t
        return [
            f"# {t('รายงานความเชื่อมโยงระหว่างแผน', 'Plan alignment report')}",
            "",
            f"**{t('แผนต้นทาง', 'Source plan')}:** [{_md(r.source.label)}]({r.source.iri})  ",
            f"**{t('แผนปลายทาง', 'Target plan')}:** [{_md(r.target.label)}]({r.target.iri})",
            "",
            f"> **{t('ข้อควรทราบ', 'Caveat')}:** {_md(r.caveat)}",
        ]

    def headline(self) -> list[str]:
        r, t = self.report, self.t
        out = self.section("ตัวเลขสำคัญ", "Headline figures")
        out.append(
            _row(
                [
                    t("องค์ประกอบของแผนปลายทาง", "Target plan items"),
                    *map(self.level, LEVELS),
                    t("ทั้งหมด", "total"),
                ]
            )
        )
        out.append("|---|" + "---:|" * (len(LEVELS) + 1))
        for kind in COVERED_KINDS:
            counts = r.coverage.get(kind, {})
            out.append(
                _row(
                    [
                        kind_name(kind, r.lang),
                        *(str(counts.get(rank, 0)) for rank in LEVELS),
                        str(r.totals(kind)),
                    ]
                )
            )
        stated = t("ระบุว่าไม่มีองค์ประกอบคู่พร้อมเหตุผล", "stated gaps with a reason")
        return [
            *out,
            "",
            f"- {t('องค์ประกอบของแผนต้นทางที่ไม่เชื่อมโยงกับองค์ประกอบใดของแผนปลายทาง', 'Source plan items linked to nothing in the target plan')}: "
            f"**{r.source_unlinked}** / {r.source_items} ({stated}: {r.source_stated_gaps})",
            f"- {t('องค์ประกอบของแผนปลายทางที่ไม่เชื่อมโยงกับองค์ประกอบใดของแผนต้นทาง', 'Target plan items linked to nothing in the source plan')}: "
            f"**{r.target_unlinked}** / {r.target_items} ({stated}: {r.target_stated_gaps})",
            f"- {t('ความเชื่อมโยงทั้งหมด', 'Links in all')}: **{len(r.links)}**",
            *self.review(),
            "",
            t(
                "ระดับความครอบคลุมขององค์ประกอบคือระดับสูงสุดของความเชื่อมโยงที่ชี้มาที่องค์ประกอบนั้น ประเด็นนับว่าครอบคลุมด้วย"
                "เมื่อเป้าหมายหรือตัวชี้วัดของประเด็นมีความเชื่อมโยง แต่ไม่เกินระดับบางส่วน",
                "An item is covered at the strongest level of the links that point to it. An issue also counts as "
                "covered by a link to one of its goals or indicators, but at most partly.",
            ),
        ]

    def review(self) -> list[str]:
        r, t = self.report, self.t
        out = []
        if r.review is not None:
            out.append(
                f"- {t('ข้อเสนอความเชื่อมโยงที่รอการพิจารณา', 'Link proposals awaiting review')}: "
                f"**{r.review.awaiting}** ({t('ไม่แน่ใจ', 'unsure')}: {r.review.unsure}; "
                f"{t('ข้อเสนอ', 'the top')} {r.review.k} "
                f"{t('อันดับแรกต่อองค์ประกอบจาก planlink suggest', 'per item from planlink suggest')}; "
                f"`planlink curate`)"
            )
        out.append(f"- {t('ข้อเสนอที่ผู้คัดสรรปฏิเสธ', 'Proposals a curator rejected')}: **{len(r.rejections)}**")
        return out

    def coverage_per_issue(self) -> list[str]:
        t = self.t
        symbols = "/".join(SYMBOLS[r] for r in LEVELS)
        out = self.section("ความครอบคลุมรายประเด็น", "Coverage per issue")
        out.append(
            _row(
                [
                    t("ประเด็น", "Issue"),
                    t("ระดับของประเด็น", "issue level"),
                    f"{t('เป้าหมาย', 'goals')} ({symbols})",
                    f"{t('ตัวชี้วัด', 'indicators')} ({symbols})",
                ]
            )
        )
        out.append("|---|---|---|---|")
        for c in self.report.coverage_by_issue:
            goals = "/".join(str(c.counts.get("Goal", {}).get(r, 0)) for r in LEVELS)
            inds = "/".join(str(c.counts.get("Indicator", {}).get(r, 0)) for r in LEVELS)
            out.append(_row([self.link(c.issue), self.level(c.rank), goals, inds]))
        return out

    def matrix(self) -> list[str]:
        hm = self.report.heatmap
        out = self.section("ตารางความเชื่อมโยง", "Alignment matrix")
        out.append(
            self.t(
                "แถว: ประเด็นและแนวทางของแผนต้นทาง คอลัมน์: ประเด็นและเป้าหมายของแผนปลายทาง ",
                "Rows: the source plan's issues and guidelines; columns: the target plan's issues and goals. ",
            )
            + " ".join(f"{SYMBOLS[r]} {self.level(r)}" for r in LEVELS)
        )
        out += [
            "",
            "| " + _row(_md(c.notation or "") for c in hm.columns),  # an empty corner cell first
            "|---|" + ":-:|" * len(hm.columns),
        ]
        for r in hm.rows:
            out.append(
                _row([_md(r.display), *(SYMBOLS[hm.cells.get((r.iri, c.iri), 0)] for c in hm.columns)])
            )
        return out

    def gaps(self, heading: str, gaps: list[Gap]) -> list[str]:
        t = self.t
        lines = []
        for g in gaps:
            state = (
                t("ระบุว่าไม่มีองค์ประกอบคู่", "stated: no counterpart")
                if g.stated
                else t("ยังไม่มีผู้พิจารณา", "not examined")
            )
            reason = f" — {_md(g.reason)}" if g.reason else ""
            lines.append(
                f"- {_md(g.item.kind_name)} [{_md(g.item.display)}]({g.item.iri}) · *{state}*{reason}"
            )
        return [f"## {heading}", "", *(lines or ["- " + t("ไม่มี", "none")])]

    def shared(self) -> list[str]:
        t = self.t
        out = self.section("ตัวชี้วัดที่จับคู่กันได้", "Shared and matched indicators")
        out.append(
            _row(
                [
                    t("ตัวชี้วัดต้นทาง", "Source indicator"),
                    t("ความสัมพันธ์", "Relation"),
                    t("ระดับ", "Level"),
                    t("ตัวชี้วัดปลายทาง", "Target indicator"),
                    t("วัดสิ่งเดียวกัน", "Same measure"),
                ]
            )
        )
        out.append("|---|---|---|---|---|")
        for s in self.report.shared:
            same = t("ใช่", "yes") if s.same_measure else t("ไม่ใช่", "no")
            out.append(
                _row(
                    [self.link(s.source), _md(s.relation_name), _md(s.level_name), self.link(s.target), same]
                )
            )
        return out

    def links(self) -> list[str]:
        t = self.t
        out = self.section("ความเชื่อมโยงทั้งหมดและเหตุผล", "Every link, with its reason")
        out.append(
            _row(
                [
                    t("องค์ประกอบต้นทาง", "Source item"),
                    t("ความสัมพันธ์", "Relation"),
                    t("ระดับ", "Level"),
                    t("องค์ประกอบปลายทาง", "Target item"),
                    t("เหตุผล", "Rationale"),
                ]
            )
        )
        out.append("|---|---|---|---|---|")
        for x in self.report.links:
            reason = f"{_md(x.rationale)} ([{t('บันทึก', 'record')}]({x.record}))"
            out.append(
                _row(
                    [
                        self.link(x.subject),
                        _md(x.relation_name),
                        _md(x.level_name),
                        self.link(x.object),
                        reason,
                    ]
                )
            )
        return out

    def sources(self) -> list[str]:
        out = self.section("ที่มาของตัวเลข", "Where the figures come from")
        return out + [f"- `{name}`: {path}" for name, path in self.report.queries.items()]


CSV_COLUMNS = (
    "row",
    "subject",
    "subject_notation",
    "subject_kind",
    "subject_label",
    "relation",
    "level",
    "object",
    "object_notation",
    "object_kind",
    "object_label",
    "rationale",
    "stated_gap",
    "record",
)


def to_csv(report: Report) -> str:
    """One row per link (row = link) and per item with no counterpart (row = source-gap / target-gap)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for x in report.links:
        w.writerow(
            (
                "link",
                x.subject.iri,
                x.subject.notation,
                x.subject.kind,
                x.subject.label,
                x.relation_curie,
                LEVEL_KEYS[x.rank],
                x.object.iri,
                x.object.notation,
                x.object.kind,
                x.object.label,
                x.rationale,
                "",
                x.record,
            )
        )
    for name, gaps in (("source-gap", report.source_gaps), ("target-gap", report.target_gaps)):
        for g in gaps:
            w.writerow(
                (
                    name,
                    g.item.iri,
                    g.item.notation,
                    g.item.kind,
                    g.item.label,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    g.reason or "",
                    "true" if g.stated else "false",
                    g.record or "",
                )
            )
    return buf.getvalue()


def report_data(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return {
        "lang": report.lang,
        "source": asdict(report.source),
        "target": asdict(report.target),
        "crossCluster": report.cross_cluster,
        "caveat": report.caveat,
        "figures": report.headline(),
        "coverageByIssue": [
            {
                "issue": asdict(c.issue),
                "level": LEVEL_KEYS[c.rank],
                "coverage": {
                    KIND_KEYS[k]: {LEVEL_KEYS[r]: c.counts.get(k, {}).get(r, 0) for r in LEVELS}
                    for k in ("Goal", "Indicator")
                },
            }
            for c in report.coverage_by_issue
        ],
        "heatmap": {
            "rows": [r.iri for r in report.heatmap.rows],
            "columns": [c.iri for c in report.heatmap.columns],
            "cells": [
                {"row": r, "column": c, "level": LEVEL_KEYS[v], "record": report.heatmap.records[(r, c)]}
                for (r, c), v in report.heatmap.cells.items()
            ],
        },
        "links": [_link_dict(x) for x in report.links],
        "sourceGaps": [_gap_dict(g) for g in report.source_gaps],
        "targetGaps": [_gap_dict(g) for g in report.target_gaps],
        "sharedIndicators": [
            {
                "record": s.record,
                "source": asdict(s.source),
                "target": asdict(s.target),
                "relation": s.relation_curie,
                "relationName": s.relation_name,
                "sameMeasure": s.same_measure,
                "level": LEVEL_KEYS[s.rank],
                "levelName": s.level_name,
                "rationale": s.rationale,
            }
            for s in report.shared
        ],
        "rejectedProposals": [
            {
                "record": n.record,
                "subject": asdict(n.subject),
                "object": asdict(n.object),
                "reason": n.reason,
                "author": n.author,
                "date": n.date,
                "score": n.score,
            }
            for n in report.rejections
        ],
        "queries": report.queries,
    }


def _link_dict(x: Link) -> dict[str, Any]:
    return {
        "record": x.record,
        "subject": asdict(x.subject),
        "object": asdict(x.object),
        "relation": x.relation_curie,
        "relationName": x.relation_name,
        "level": LEVEL_KEYS[x.rank],
        "levelName": x.level_name,
        "rationale": x.rationale,
        "method": x.method,
        "author": x.author,
        "date": x.date,
    }


def _gap_dict(g: Gap) -> dict[str, Any]:
    return {"item": asdict(g.item), "statedGap": g.stated, "reason": g.reason, "record": g.record}


def to_json(report: Report) -> str:
    return json.dumps(report_data(report), ensure_ascii=False, indent=1) + "\n"


# -- SSSOM ------------------------------------------------------------------------------------------------

SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "author_label",
    "mapping_date",
    "comment",
    "see_also",
)
JUSTIFICATIONS = {"Curated": "semapv:ManualMappingCuration", "Computed": "semapv:LexicalMatching"}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEMAPV = "https://w3id.org/semapv/vocab/"


def confidence(rank: int) -> str:
    return f"{rank / 3:.2f}"


def _sssom_cell(value: str | None) -> str:
    return " ".join((value or "").split())  # no tab or line break inside a cell


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML scalar


def to_sssom(report: Report, base: str, mapping_set_id: str, version: str) -> str:
    """The SSSOM/TSV text of the report's links."""
    ids = base + "id/"

    def curie(iri: str) -> str:
        if iri.startswith(ids):
            return "planlink:" + iri[len(ids) :]
        if iri.startswith(SKOS):
            return "skos:" + iri[len(SKOS) :]
        return iri

    title = either(
        report.lang,
        f"ความเชื่อมโยงระหว่าง{report.source.label} กับ{report.target.label}",
        f"Alignment of {report.source.label} with {report.target.label}",
    )
    note = (
        "confidence = level of the curated link / 3 (full 1.0, partial 0.67, weak 0.33): how much of the "
        "object's aim the subject shares, not a probability. Rows with predicate_modifier Not are proposals a "
        "curator rejected (planlink curate), with the reason as comment and no confidence. " + report.caveat
    )
    meta = [
        "# curie_map:",
        f"#   planlink: {_yaml(ids)}",
        f"#   skos: {_yaml(SKOS)}",
        f"#   semapv: {_yaml(SEMAPV)}",
        f"# mapping_set_id: {_yaml(mapping_set_id)}",
        f"# mapping_set_version: {_yaml(version)}",
        f"# mapping_set_title: {_yaml(title)}",
        f"# license: {_yaml(LICENSE)}",
        f"# subject_source: {_yaml(curie(report.source.iri))}",
        f"# object_source: {_yaml(curie(report.target.iri))}",
        f"# comment: {_yaml(note)}",
    ]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(SSSOM_COLUMNS)
    for x in report.links:
        w.writerow(
            [
                _sssom_cell(v)
                for v in (
                    curie(x.subject.iri),
                    x.subject.label,
                    curie(x.relation),
                    "",
                    curie(x.object.iri),
                    x.object.label,
                    JUSTIFICATIONS.get(x.method or "Curated", "semapv:ManualMappingCuration"),
                    confidence(x.rank),
                    curie(x.author_iri) if x.author_iri else "",
                    x.author,
                    x.date,
                    x.rationale,
                    x.record,
                )
            ]
        )
    for n in report.rejections:  # negative mappings: the proposal (skos:relatedMatch) is NOT the case
        w.writerow(
            [
                _sssom_cell(v)
                for v in (
                    curie(n.subject.iri),
                    n.subject.label,
                    "skos:relatedMatch",
                    "Not",
                    curie(n.object.iri),
                    n.object.label,
                    "semapv:ManualMappingCuration",
                    "",
                    curie(n.author_iri) if n.author_iri else "",
                    n.author,
                    n.date,
                    n.reason,
                    n.record,
                )
            ]
        )
    return "\n".join(meta) + "\n" + buf.getvalue()
