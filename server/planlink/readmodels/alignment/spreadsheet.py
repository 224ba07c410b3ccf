"""The alignment report (alignment.Report) as a spreadsheet: one sheet per table of the report, headers in the
report's language, items as hyperlinks to their IRIs, figures as numbers. Markdown, CSV and JSON are in
renderings.py; this module reads the same model. The workbook writer itself (bold header, hyperlinks, note rows)
is the engine's, shared with the SELECT answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planlink.engine.answers import xlsx_workbook
from planlink.readmodels.alignment.model import COVERED_KINDS, LEVELS, kind_name, level_name

if TYPE_CHECKING:
    from planlink.readmodels.alignment.model import Gap, Report

Sheet = tuple[str, list[str], list[list[Any]], str | None]


def _item(item: Any) -> tuple[str, str]:
    """An item's cell: its notation and label, linked to its IRI."""
    return (item.display, item.iri)


def _iri(iri: str | None) -> tuple[str, str] | str:
    return (iri, iri) if iri else ""


def to_xlsx(report: Report) -> bytes:
    """The report as an .xlsx workbook: the summary (plans, caveat, headline figures), coverage per issue, the
    alignment matrix, the gaps both ways, the shared indicators, every link with its reason, and the queries
    the figures come from."""
    lang = report.lang

    def t(th: str, en: str) -> str:
        return th if lang == "th" else en

    levels = [level_name(r, lang) for r in LEVELS]
    summary: list[list[Any]] = [
        [t("แผนต้นทาง", "Source plan"), (report.source.label, report.source.iri)],
        [t("แผนปลายทาง", "Target plan"), (report.target.label, report.target.iri)],
        [t("ข้อควรทราบ", "Caveat"), report.caveat],
        [],
        [t("องค์ประกอบของแผนปลายทาง", "Target plan items"), *levels, t("ทั้งหมด", "total")],
    ]
    for kind in COVERED_KINDS:
        counts = report.coverage.get(kind, {})
        summary.append([kind_name(kind, lang), *(counts.get(r, 0) for r in LEVELS), report.totals(kind)])
    summary += [
        [],
        [
            t("องค์ประกอบของแผนต้นทางทั้งหมด", "Source plan items"),
            report.source_items,
        ],
        [
            t("ไม่เชื่อมโยงกับแผนปลายทาง", "Linked to nothing in the target plan"),
            report.source_unlinked,
        ],
        [t("ระบุว่าไม่มีองค์ประกอบคู่พร้อมเหตุผล", "Stated gaps with a reason"), report.source_stated_gaps],
        [t("องค์ประกอบของแผนปลายทางทั้งหมด", "Target plan items"), report.target_items],
        [
            t("ไม่เชื่อมโยงกับแผนต้นทาง", "Linked to nothing in the source plan"),
            report.target_unlinked,
        ],
        [t("ระบุว่าไม่มีองค์ประกอบคู่พร้อมเหตุผล", "Stated gaps with a reason"), report.target_stated_gaps],
        [t("ความเชื่อมโยงทั้งหมด", "Links in all"), len(report.links)],
    ]
    sheets: list[Sheet] = [
        (t("สรุป", "Summary"), [t("รายงานความเชื่อมโยงระหว่างแผน", "Plan alignment report"), ""], summary, None)
    ]

    per_issue = [
        [
            _item(c.issue),
            level_name(c.rank, lang),
            *(c.counts.get("Goal", {}).get(r, 0) for r in LEVELS),
            *(c.counts.get("Indicator", {}).get(r, 0) for r in LEVELS),
        ]
        for c in report.coverage_by_issue
    ]
    sheets.append(
        (
            t("ความครอบคลุมรายประเด็น", "Coverage per issue"),
            [
                t("ประเด็น", "Issue"),
                t("ระดับของประเด็น", "Issue level"),
                *(f"{t('เป้าหมาย', 'goals')}: {n}" for n in levels),
                *(f"{t('ตัวชี้วัด', 'indicators')}: {n}" for n in levels),
            ],
            per_issue,
            None,
        )
    )

    hm = report.heatmap
    matrix = [[_item(r), *(hm.cells.get((r.iri, c.iri), 0) for c in hm.columns)] for r in hm.rows]
    legend = ", ".join(f"{r} = {level_name(r, lang)}" for r in LEVELS)
    sheets.append(
        (
            t("ตารางความเชื่อมโยง", "Alignment matrix"),
            [t("ต้นทาง \\ ปลายทาง", "Source \\ target"), *(c.display for c in hm.columns)],
            matrix,
            t("ระดับ: ", "Levels: ") + legend,
        )
    )

    for title, gaps in (
        (t("ต้นทางที่ไม่มีคู่", "Source items, no counterpart"), report.source_gaps),
        (t("ปลายทางที่ไม่มีคู่", "Target items, no counterpart"), report.target_gaps),
    ):
        sheets.append(
            (
                title,
                [
                    t("ประเภท", "Kind"),
                    t("องค์ประกอบ", "Item"),
                    t("สถานะ", "State"),
                    t("เหตุผล", "Reason"),
                    t("บันทึก", "Record"),
                ],
                [_gap_row(g, t) for g in gaps],
                None if gaps else t("ไม่มี", "none"),
            )
        )

    sheets.append(
        (
            t("ตัวชี้วัดที่จับคู่กันได้", "Shared indicators"),
            [
                t("ตัวชี้วัดต้นทาง", "Source indicator"),
                t("ความสัมพันธ์", "Relation"),
                t("ระดับ", "Level"),
                t("ตัวชี้วัดปลายทาง", "Target indicator"),
                t("วัดสิ่งเดียวกัน", "Same measure"),
                t("เหตุผล", "Rationale"),
                t("บันทึก", "Record"),
            ],
            [
                [
                    _item(s.source),
                    s.relation_name,
                    s.level_name,
                    _item(s.target),
                    s.same_measure,
                    s.rationale or "",
                    _iri(s.record),
                ]
                for s in report.shared
            ],
            None,
        )
    )
    sheets.append(
        (
            t("ความเชื่อมโยงและเหตุผล", "Links and reasons"),
            [
                t("องค์ประกอบต้นทาง", "Source item"),
                t("ความสัมพันธ์", "Relation"),
                t("ระดับ", "Level"),
                t("ระดับ (ตัวเลข)", "Level (number)"),
                t("องค์ประกอบปลายทาง", "Target item"),
                t("เหตุผล", "Rationale"),
                t("บันทึก", "Record"),
            ],
            [
                [
                    _item(x.subject),
                    x.relation_name,
                    x.level_name,
                    x.rank,
                    _item(x.object),
                    x.rationale or "",
                    _iri(x.record),
                ]
                for x in report.links
            ],
            None,
        )
    )
    sheets.append(
        (
            t("ที่มาของตัวเลข", "Sources of figures"),
            [t("ส่วน", "Section"), t("คำค้นสำเร็จรูป", "Curated query")],
            [[name, path] for name, path in report.queries.items()],
            None,
        )
    )
    return xlsx_workbook(sheets)


def _gap_row(g: Gap, t: Any) -> list[Any]:
    state = (
        t("ระบุว่าไม่มีองค์ประกอบคู่", "stated: no counterpart") if g.stated else t("ยังไม่มีผู้พิจารณา", "not examined")
    )
    return [g.item.kind_name, _item(g.item), state, g.reason or "", _iri(g.record)]
