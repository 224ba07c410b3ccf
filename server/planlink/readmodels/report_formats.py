"""The alignment report (alignment.Report) as Markdown, CSV and JSON. The HTML page is a template
(templates/report.html) over the same model; the SSSOM mapping table is in sssom.py."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from planlink.foundation.text import either
from planlink.readmodels.alignment import COVERED_KINDS, LEVEL_KEYS, LEVELS, kind_name, level_name

if TYPE_CHECKING:
    from planlink.readmodels.alignment import Gap, Report

SYMBOLS = {3: "●", 2: "◐", 1: "○", 0: "·"}


def _t(report: Report, th: str, en: str) -> str:
    return either(report.lang, th, en)


def _md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or line."""
    return " ".join((text or "").split()).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def to_markdown(report: Report) -> str:
    """The report as Markdown. Items link to their IRIs (which dereference to their pages)."""

    def t(th: str, en: str) -> str:
        return _t(report, th, en)

    def link(item: Any) -> str:
        return f"[{_md(item.display)}]({item.iri})"

    out = [
        f"# {t('รายงานความเชื่อมโยงระหว่างแผน', 'Plan alignment report')}",
        "",
        f"**{t('แผนต้นทาง', 'Source plan')}:** [{_md(report.source.label)}]({report.source.iri})  ",
        f"**{t('แผนปลายทาง', 'Target plan')}:** [{_md(report.target.label)}]({report.target.iri})",
        "",
        f"> **{t('ข้อควรทราบ', 'Caveat')}:** {_md(report.caveat)}",
        "",
        f"## {t('ตัวเลขสำคัญ', 'Headline figures')}",
        "",
        "| "
        + t("องค์ประกอบของแผนปลายทาง", "Target plan items")
        + " | "
        + " | ".join(level_name(r, report.lang) for r in LEVELS)
        + " | "
        + t("ทั้งหมด", "total")
        + " |",
        "|---|" + "---:|" * (len(LEVELS) + 1),
    ]
    for kind in COVERED_KINDS:
        counts = report.coverage.get(kind, {})
        out.append(
            f"| {kind_name(kind, report.lang)} | "
            + " | ".join(str(counts.get(r, 0)) for r in LEVELS)
            + f" | {report.totals(kind)} |"
        )
    out += [
        "",
        (
            f"- {t('องค์ประกอบของแผนต้นทางที่ไม่เชื่อมโยงกับองค์ประกอบใดของแผนปลายทาง', 'Source plan items linked to nothing in the target plan')}: "
            f"**{report.source_unlinked}** / {report.source_items} "
            f"({t('ระบุว่าไม่มีองค์ประกอบคู่พร้อมเหตุผล', 'stated gaps with a reason')}: {report.source_stated_gaps})"
        ),
        (
            f"- {t('องค์ประกอบของแผนปลายทางที่ไม่เชื่อมโยงกับองค์ประกอบใดของแผนต้นทาง', 'Target plan items linked to nothing in the source plan')}: "
            f"**{report.target_unlinked}** / {report.target_items} "
            f"({t('ระบุว่าไม่มีองค์ประกอบคู่พร้อมเหตุผล', 'stated gaps with a reason')}: {report.target_stated_gaps})"
        ),
        f"- {t('ความเชื่อมโยงทั้งหมด', 'Links in all')}: **{len(report.links)}**",
        "",
        t(
            "ระดับความครอบคลุมขององค์ประกอบคือระดับสูงสุดของความเชื่อมโยงที่ชี้มาที่องค์ประกอบนั้น ประเด็นนับว่าครอบคลุมด้วย"
            "เมื่อเป้าหมายหรือตัวชี้วัดของประเด็นมีความเชื่อมโยง แต่ไม่เกินระดับบางส่วน",
            "An item is covered at the strongest level of the links that point to it. An issue also counts as "
            "covered by a link to one of its goals or indicators, but at most partly.",
        ),
        "",
        f"## {t('ความครอบคลุมรายประเด็น', 'Coverage per issue')}",
        "",
        "| "
        + t("ประเด็น", "Issue")
        + " | "
        + t("ระดับของประเด็น", "issue level")
        + " | "
        + t("เป้าหมาย", "goals")
        + " ("
        + "/".join(SYMBOLS[r] for r in LEVELS)
        + ") | "
        + t("ตัวชี้วัด", "indicators")
        + " ("
        + "/".join(SYMBOLS[r] for r in LEVELS)
        + ") |",
        "|---|---|---|---|",
    ]
    for c in report.coverage_by_issue:
        goals = "/".join(str(c.counts.get("Goal", {}).get(r, 0)) for r in LEVELS)
        inds = "/".join(str(c.counts.get("Indicator", {}).get(r, 0)) for r in LEVELS)
        out.append(f"| {link(c.issue)} | {level_name(c.rank, report.lang)} | {goals} | {inds} |")
    hm = report.heatmap
    out += [
        "",
        f"## {t('ตารางความเชื่อมโยง', 'Alignment matrix')}",
        "",
        t(
            "แถว: ประเด็นและแนวทางของแผนต้นทาง คอลัมน์: ประเด็นและเป้าหมายของแผนปลายทาง ",
            "Rows: the source plan's issues and guidelines; columns: the target plan's issues and goals. ",
        )
        + " ".join(f"{SYMBOLS[r]} {level_name(r, report.lang)}" for r in LEVELS),
        "",
        "| | " + " | ".join(_md(c.notation or "") for c in hm.columns) + " |",
        "|---|" + ":-:|" * len(hm.columns),
    ]
    for r in hm.rows:
        out.append(
            f"| {_md(r.display)} | "
            + " | ".join(SYMBOLS[hm.cells.get((r.iri, c.iri), 0)] for c in hm.columns)
            + " |"
        )
    out += ["", f"## {t('องค์ประกอบของแผนต้นทางที่ไม่มีองค์ประกอบคู่', 'Source plan items with no counterpart')}", ""]
    out += _gap_lines(report, report.source_gaps) or ["- " + t("ไม่มี", "none")]
    out += [
        "",
        f"## {t('องค์ประกอบของแผนปลายทางที่ไม่มีองค์ประกอบคู่', 'Target plan items with no counterpart')}",
        "",
    ]
    out += _gap_lines(report, report.target_gaps) or ["- " + t("ไม่มี", "none")]
    out += [
        "",
        f"## {t('ตัวชี้วัดที่จับคู่กันได้', 'Shared and matched indicators')}",
        "",
        "| "
        + " | ".join(
            (
                t("ตัวชี้วัดต้นทาง", "Source indicator"),
                t("ความสัมพันธ์", "Relation"),
                t("ระดับ", "Level"),
                t("ตัวชี้วัดปลายทาง", "Target indicator"),
                t("วัดสิ่งเดียวกัน", "Same measure"),
            )
        )
        + " |",
        "|---|---|---|---|---|",
    ]
    for s in report.shared:
        out.append(
            f"| {link(s.source)} | {_md(s.relation_name)} | {_md(s.level_name)} | {link(s.target)} | "
            + (t("ใช่", "yes") if s.same_measure else t("ไม่ใช่", "no"))
            + " |"
        )
    out += [
        "",
        f"## {t('ความเชื่อมโยงทั้งหมดและเหตุผล', 'Every link, with its reason')}",
        "",
        "| "
        + " | ".join(
            (
                t("องค์ประกอบต้นทาง", "Source item"),
                t("ความสัมพันธ์", "Relation"),
                t("ระดับ", "Level"),
                t("องค์ประกอบปลายทาง", "Target item"),
                t("เหตุผล", "Rationale"),
            )
        )
        + " |",
        "|---|---|---|---|---|",
    ]
    for x in report.links:
        out.append(
            f"| {link(x.subject)} | {_md(x.relation_name)} | {_md(x.level_name)} | {link(x.object)} | "
            f"{_md(x.rationale)} ([{t('บันทึก', 'record')}]({x.record})) |"
        )
    out += ["", f"## {t('ที่มาของตัวเลข', 'Where the figures come from')}", ""]
    out += [f"- `{name}`: {path}" for name, path in report.queries.items()]
    return "\n".join(out) + "\n"


def _gap_lines(report: Report, gaps: list[Gap]) -> list[str]:
    def t(th: str, en: str) -> str:
        return _t(report, th, en)

    lines = []
    for g in gaps:
        state = (
            t("ระบุว่าไม่มีองค์ประกอบคู่", "stated: no counterpart")
            if g.stated
            else t("ยังไม่มีผู้พิจารณา", "not examined")
        )
        reason = f" — {_md(g.reason)}" if g.reason else ""
        lines.append(f"- {_md(g.item.kind_name)} [{_md(g.item.display)}]({g.item.iri}) · *{state}*{reason}")
    return lines


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


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
