"""The empty workbook a plan author fills in: a guide sheet, then one sheet per kind of item (layout.SHEETS),
Thai headers with English beneath, drop-downs on the closed columns, and whole-number checks on numbers."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planlink.readmodels.workbook.layout import (
    CHOICES,
    FIRST_ROW,
    GUIDE_SHEET,
    ISSUE_SHEET,
    SHEETS,
    Sheet,
)

LAST_ROW = 500  # how far down the drop-downs and checks reach
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
REQUIRED_FILL = PatternFill("solid", fgColor="F6DDB8")

GUIDE_TH = [
    "วิธีกรอกแผนพัฒนาลงในสมุดงานนี้",
    "",
    "สมุดงานนี้ใช้เพิ่มแผนพัฒนาของจังหวัดหรือกลุ่มจังหวัดเข้าสู่ planlink โดยไม่ต้องเขียน Turtle เอง",
    "แต่ละแผ่นงานเก็บรายการหนึ่งประเภท แถวที่ 1 เป็นหัวคอลัมน์ภาษาไทย แถวที่ 2 เป็นหัวคอลัมน์ภาษาอังกฤษ "
    "ให้เริ่มกรอกตั้งแต่แถวที่ 3 หนึ่งรายการต่อหนึ่งแถว",
    "",
    "ข้อควรทราบ",
    "1. อย่าเปลี่ยนชื่อ ย้าย หรือลบแผ่นงานและคอลัมน์ แผ่นงานที่แผนไม่มีรายการประเภทนั้นให้เว้นว่างไว้",
    "2. อย่าผสานเซลล์ (merge) และอย่าเว้นแถวว่างระหว่างรายการ",
    "3. หัวคอลัมน์สีส้มคือช่องที่ต้องกรอก ช่องอื่นกรอกเมื่อมีข้อมูล",
    "4. “ข้อความภาษาไทยตามต้นฉบับ” ให้คัดลอกมาจากเอกสารตามที่เป็นอยู่ทุกตัวอักษร รวมทั้งเลขข้อและคำที่สะกดผิด "
    "ถ้าข้อความในเอกสารเสียหายหรือพิมพ์ผิด ให้กรอกข้อความที่ถูกต้องใน “ชื่อภาษาไทยที่แก้ไขแล้ว” (ไม่ต้องใส่เลขข้อ) "
    "และบอกว่าแก้อะไรใน “สิ่งที่แก้ไข” ถ้าไม่ได้แก้ ระบบจะใช้ข้อความตามต้นฉบับเป็นชื่อ",
    "5. “ชื่อภาษาอังกฤษ” ให้แปลให้ตรงความหมาย ไม่ใช่สรุปย่อ",
    "6. ลำดับที่ให้กรอกเป็นตัวเลขตามที่แผนใช้ เป้าหมาย ตัวชี้วัดของประเด็น และแนวทางการพัฒนานับใหม่ในแต่ละประเด็น "
    "เช่น แนวทางที่ 2.3 กรอกประเด็นการพัฒนาที่ 2 ลำดับที่ 3",
    "7. ช่องประเภทแผน หน่วยวัด ทิศทาง และประเด็นการพัฒนาที่ ให้เลือกจากรายการที่มีให้",
    "8. ตัวชี้วัดที่แผนระบุทั้งในระดับแผนและซ้ำภายใต้ประเด็นการพัฒนาเป็นตัวชี้วัดเดียวกัน "
    "ให้กรอกแถวเดียว โดยกรอกทั้งลำดับที่ในระดับแผน ประเด็นการพัฒนาที่ และลำดับที่ภายใต้ประเด็น",
    "9. ระบุทิศทางของตัวชี้วัดเฉพาะเมื่อแผนเขียนว่าเพิ่มขึ้นหรือลดลง",
    "10. ปีงบประมาณกรอกเมื่อเอกสารระบุไว้ ถ้าไม่ระบุให้อธิบายใน “ระยะเวลาของแผน” ว่าเอกสารไม่ได้ระบุ",
    "11. ช่องที่อ้างถึงรายการอื่นของแผน (ตัวชี้วัดที่ซ้ำหรือเกี่ยวข้อง ประเด็นของห่วงโซ่คุณค่า) ให้กรอกเลขตามแผน "
    "คั่นด้วยจุลภาค เช่น 7 คือตัวชี้วัดระดับแผนที่ 7 และ 4.10 คือตัวชี้วัดที่ 10 ของประเด็นที่ 4 "
    "กรอกที่แถวใดแถวหนึ่งก็พอ ระบบจะเชื่อมให้ทั้งสองทาง และควรอธิบายเหตุผลไว้ใน “หมายเหตุของผู้จัดทำข้อมูล”",
    "12. ช่องหมายเหตุ คำอธิบายเพิ่มเติม และสิ่งที่แก้ไข มีได้หลายข้อในช่องเดียว โดยเว้นบรรทัดว่างระหว่างข้อ "
    "(กด Alt+Enter สองครั้งใน Excel)",
    "",
    "เมื่อกรอกเสร็จ",
    "ตรวจสอบสมุดงานที่หน้า /validate ของ planlink หรือสั่ง planlink import ชื่อไฟล์.xlsx "
    "ระบบจะบอกปัญหาทุกข้อพร้อมตำแหน่งเซลล์ เช่น ตัวชี้วัด!C12 และจะไม่เขียนไฟล์ใดเลยจนกว่าจะถูกต้องทั้งหมด",
    "",
    "แผ่นงานในสมุดงานนี้",
]

GUIDE_EN = [
    "How to fill in a development plan in this workbook",
    "",
    "This workbook adds a provincial or cluster development plan to planlink without writing Turtle.",
    "Each sheet holds one kind of item. Row 1 holds the Thai headers, row 2 the English ones; fill in from row 3, "
    "one item per row.",
    "",
    "Please note",
    "1. Do not rename, move or delete sheets or columns; leave a sheet empty when the plan has no such items.",
    "2. Do not merge cells and do not leave empty rows between items.",
    "3. Orange headers are required; fill in the others when the plan has the information.",
    "4. 'Thai text as in the source': copy the document's text exactly, numbering and misspellings included. "
    "Where the text is damaged or misspelt, give the right text in 'Corrected Thai label' (without the numbering) "
    "and say what you changed in 'Correction'; otherwise the source text is the label.",
    "5. 'English label': a faithful translation, not a summary.",
    "6. Numbers follow the plan's own numbering. Goals, issue indicators and guidelines are numbered within their "
    "issue: guideline 2.3 is issue 2, number 3.",
    "7. Plan kind, unit, direction and issue are chosen from the drop-down lists.",
    "8. An indicator the plan states at plan level and again under an issue is one indicator: one row, with the "
    "plan-level number, the issue and the number under the issue.",
    "9. Give an indicator's direction only where the plan says increase or decrease.",
    "10. Give the fiscal year only where the document states it; otherwise say so in 'Period statement'.",
    "11. Columns that name other items of the plan (near-duplicate or related indicators, a value-chain element's "
    "issues) take the plan's numbers separated by commas: 7 is plan-level indicator 7, 4.10 is indicator 10 of "
    "issue 4. One of the two rows is enough: the link is made both ways. Say why in 'Editorial note'.",
    "12. The note, scope note and correction cells may hold several notes: leave an empty line between two "
    "(Alt+Enter twice in Excel).",
    "",
    "When you have finished",
    "Check the workbook on planlink's /validate page, or run planlink import your-file.xlsx: every problem is "
    "listed with its cell (e.g. ตัวชี้วัด!C12), and nothing is written until there is none.",
    "",
    "The sheets of this workbook",
]


def new_workbook(lang: str = "th", areas: list[str] | None = None) -> Workbook:
    """The empty template (``areas``: the area slugs the project knows, offered as a drop-down)."""
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE_SHEET if lang == "th" else "How to fill in"
    lines = GUIDE_TH if lang == "th" else GUIDE_EN
    for i, line in enumerate(lines, start=1):
        guide.cell(i, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    guide.cell(1, 1).font = Font(bold=True, size=14)
    row = len(lines) + 1
    for sheet in SHEETS:
        guide.cell(row, 1, f"{sheet.title} ({sheet.en}): {sheet.what_th if lang == 'th' else sheet.en}")
        guide.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    guide.column_dimensions["A"].width = 120
    for sheet in SHEETS:
        add_sheet(wb, sheet, areas)
    return wb


def add_sheet(wb: Workbook, sheet: Sheet, areas: list[str] | None) -> None:
    ws = wb.create_sheet(sheet.title)
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        th = ws.cell(1, i, col.th)
        en = ws.cell(2, i, col.key)
        for c in (th, en):
            c.fill = REQUIRED_FILL if col.required else HEAD_FILL
            c.alignment = Alignment(wrap_text=True, vertical="top")
        th.font = Font(bold=True)
        en.font = Font(italic=True, color="555555")
        ws.column_dimensions[letter].width = col.width
        cells = f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}"
        dv: DataValidation | None = None
        if col.kind == "choice" and col.choices:
            values = ",".join(c.value for c in CHOICES[col.choices])
            dv = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
            dv.error = "เลือกจากรายการเท่านั้น (choose from the list)"
        elif col.kind == "parent":
            dv = DataValidation(
                type="list",
                formula1=f"'{ISSUE_SHEET.title}'!$A${FIRST_ROW}:$A${LAST_ROW}",
                allow_blank=True,
            )
            dv.error = "เลือกเลขประเด็นการพัฒนาจากแผ่นงานประเด็นการพัฒนา (choose an issue number)"
        elif col.kind == "int":
            dv = DataValidation(type="whole", operator="greaterThan", formula1="0", allow_blank=True)
            dv.error = "กรอกจำนวนเต็มบวก (a whole number above zero)"
        elif col.kind == "refs":
            # the column's style is text: typed 4.10 stays indicator 10 of issue 4, not the number 4.1
            ws.column_dimensions[letter].number_format = "@"
        elif col.key == "Area" and areas and len(",".join(areas)) < 250:  # Excel's limit
            dv = DataValidation(type="list", formula1=f'"{",".join(areas)}"', allow_blank=True)
            dv.error = "เลือกรหัสพื้นที่จากรายการ (choose an area)"
        if dv is not None:
            dv.errorTitle = "ค่าไม่ถูกต้อง (invalid value)"
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(cells)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.row_dimensions[1].height = 45
