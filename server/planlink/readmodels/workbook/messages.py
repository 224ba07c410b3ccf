"""What the workbook reader says, in Thai and English: one table, so that both languages say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

MESSAGES: dict[str, tuple[str, str]] = {
    "not-workbook": (
        "อ่านไฟล์นี้เป็นสมุดงานไม่ได้ ({detail}) ต้องเป็นไฟล์ .xlsx หรือ .ods ที่สร้างจากแม่แบบของ planlink",
        "this file cannot be read as a workbook ({detail}); it must be an .xlsx or .ods file made from the planlink template",
    ),
    "unknown-suffix": (
        "ไม่รองรับไฟล์ชนิด {suffix} ใช้ได้เฉพาะไฟล์ {accepted}",
        "unknown file type {suffix}: use {accepted}",
    ),
    "no-file": ("ไม่พบไฟล์", "no such file"),
    "too-large": (
        "ไฟล์มีขนาด {size} ซึ่งเกินขนาดสูงสุดที่รับได้ {cap} (ตั้งค่าได้ที่ PLANLINK_UPLOAD_CAP)",
        "the file is {size}, more than the largest accepted, {cap} (setting PLANLINK_UPLOAD_CAP)",
    ),
    "too-large-unpacked": (
        "ข้อมูลในไฟล์เมื่อขยายออกมีขนาด {size} ซึ่งเกิน {cap} จึงไม่อ่านต่อ (สมุดงานแผนปกติมีขนาดเล็กกว่านี้มาก)",
        "the file unpacks to {size}, more than {cap}, so it is not read (a plan workbook is far smaller)",
    ),
    "missing-sheet": (
        "ไม่พบแผ่นงาน “{sheet}” ({en}) ซึ่งแม่แบบกำหนดไว้ อย่าเปลี่ยนชื่อหรือลบแผ่นงาน ถ้าแผนไม่มีรายการประเภทนี้ให้เว้นแผ่นงานว่างไว้",
        "the sheet “{sheet}” ({en}) of the template is missing; do not rename or delete sheets, leave a sheet empty if it has no rows",
    ),
    "unknown-sheet": (
        "แผ่นงาน “{sheet}” ไม่ใช่แผ่นงานของแม่แบบ{hint}",
        "the sheet “{sheet}” is not one of the template's{hint}",
    ),
    "renamed-hint": (
        " (ถ้าเปลี่ยนชื่อมาจาก “{expected}” ให้เปลี่ยนกลับเป็นชื่อเดิม)",
        " (if it was renamed from “{expected}”, give it its name back)",
    ),
    "bad-header": (
        "หัวคอลัมน์ควรเป็น “{th}” / “{en}” แต่พบ “{found}” อย่าย้าย เพิ่ม หรือลบคอลัมน์ของแม่แบบ",
        "the column header should be “{en}” (“{th}”) but is “{found}”; do not move, add or delete the template's columns",
    ),
    "extra-column": (
        "มีข้อมูลนอกคอลัมน์ของแม่แบบ (“{found}”) ลบออกหรือย้ายไปไว้ในคอลัมน์ที่ถูกต้อง",
        "there is data outside the template's columns (“{found}”); delete it or move it to the right column",
    ),
    "merged": (
        "เซลล์ {range} ถูกผสานกัน (merge) ให้ยกเลิกการผสานเซลล์ แล้วกรอกค่าลงในทุกเซลล์ที่ต้องการ",
        "the cells {range} are merged; unmerge them and fill in every cell that needs a value",
    ),
    "empty-row": (
        "แถว {row} ว่าง แต่ยังมีข้อมูลในแถวถัดไป ลบแถวว่างออก",
        "row {row} is empty but rows below it hold data; delete the empty row",
    ),
    "required": ("ยังไม่ได้กรอก “{th}” ซึ่งเป็นช่องที่ต้องกรอก", "“{en}” must be filled in"),
    "not-number": (
        "ต้องเป็นจำนวนเต็มบวก (เช่น 1, 2, 3) แต่พบ “{value}”",
        "must be a whole number above zero (e.g. 1, 2, 3), not “{value}”",
    ),
    "bad-choice": (
        "“{value}” ไม่ใช่ค่าที่เลือกได้ เลือกจากรายการ: {choices}",
        "“{value}” is not one of the choices: {choices}",
    ),
    "duplicate": (
        "ลำดับที่ {number} ซ้ำกับแถว {first} ของแผ่นงานนี้ ลำดับที่ต้องไม่ซ้ำกัน",
        "number {number} is also used in row {first} of this sheet; numbers must not repeat",
    ),
    "no-parent": (
        "ไม่มีประเด็นการพัฒนาที่ {number} ในแผ่นงาน “{sheet}” เพิ่มประเด็นนั้นก่อน หรือแก้เลขประเด็นให้ถูกต้อง",
        "there is no development issue {number} on the sheet “{sheet}”; add it there first, or correct the number",
    ),
    "one-row": (
        "แผ่นงานนี้กรอกได้แถวเดียว แต่พบ {count} แถว",
        "this sheet takes one row only, but it has {count}",
    ),
    "no-plan": (
        "ยังไม่ได้กรอกข้อมูลของแผนในแถว 3 ของแผ่นงานนี้",
        "the plan is not filled in: row 3 of this sheet is empty",
    ),
    "bad-slug": (
        "รหัส “{value}” ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีดกลาง เช่น phitsanulok-2566",
        "the slug “{value}” may hold only lower-case letters, digits and hyphens, e.g. phitsanulok-2566",
    ),
    "bad-file-name": (
        "ชื่อไฟล์ “{value}” ใช้ได้เฉพาะอักษรอังกฤษ ตัวเลข จุด ขีดกลาง และขีดล่าง",
        "the file name “{value}” may hold only letters, digits, dots, hyphens and underscores",
    ),
    "indicator-place": (
        "ตัวชี้วัดต้องมีลำดับที่ในระดับแผน หรือมีทั้งประเด็นการพัฒนาที่และลำดับที่ภายใต้ประเด็น",
        "an indicator needs a plan-level number, or both an issue and a number under the issue",
    ),
    "indicator-pair": (
        "ต้องกรอกทั้ง “ประเด็นการพัฒนาที่” และ “ลำดับที่ภายใต้ประเด็น” หรือเว้นว่างทั้งคู่",
        "fill in both “Issue” and “Number under the issue”, or neither",
    ),
    "bad-refs": (
        "“{value}” ไม่ใช่เลขรายการที่คั่นด้วยจุลภาค (เช่น 7 หรือ 4.10, 3.4)",
        "“{value}” is not item numbers separated by commas (such as 7, or 4.10, 3.4)",
    ),
    "no-ref": (
        "ไม่พบ{what_th}ที่ {ref} ในแผ่นงาน “{sheet}”",
        "there is no {what_en} {ref} on sheet “{sheet}”",
    ),
    "earlier-pair": (
        "ต้องกรอกทั้ง “แผนฉบับก่อน” และ “ความสัมพันธ์กับฉบับก่อน” หรือเว้นว่างทั้งคู่",
        "fill in both “Earlier edition” and “Relation to the earlier edition”, or neither",
    ),
    "under-issue-text": (
        "กรอกข้อความในส่วนของประเด็นได้เฉพาะตัวชี้วัดที่อยู่ทั้งระดับแผนและภายใต้ประเด็น",
        "a Thai text under the issue is only for an indicator stated both at plan level and under an issue",
    ),
    "conforms": ("ข้อมูลถูกต้องตามข้อกำหนด", "the data conforms to the shapes"),
    "problems": ("พบปัญหา {count} รายการ ยังไม่ได้เขียนไฟล์ใด ๆ", "{count} problem(s) found; nothing was written"),
    "wrote": ("เขียนไฟล์ {path} แล้ว ({triples} triples)", "wrote {path} ({triples} triples)"),
}


def say(key: str, lang: str, **values: object) -> str:
    th, en = MESSAGES[key]
    return (th if lang == "th" else en).format(**values)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, at a sheet, row and column (``column`` is a letter; either may be
    missing when the problem is the whole sheet or the whole row)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    focus: str | None = None  # the item's IRI, for a shape violation
    path: str | None = None

    @property
    def where(self) -> str:
        if self.row and not self.column:
            return f"{self.sheet}!{self.row}:{self.row}"  # the whole row, as a spreadsheet writes it
        cell = f"{self.column or ''}{self.row or ''}"
        return f"{self.sheet}!{cell}" if cell else self.sheet

    def to_dict(self) -> dict[str, object]:
        return {
            "where": self.where,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "focus": self.focus,
            "path": self.path,
        }


def choices_text(values: tuple[str, ...] | list[str], lang: str) -> str:
    """``.xlsx, .ods or .ttl`` / ``.xlsx, .ods หรือ .ttl``."""
    if len(values) < 2:
        return "".join(values)
    return ", ".join(values[:-1]) + (" หรือ " if lang == "th" else " or ") + values[-1]


def size_text(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1000:
        return f"{n / 1000:.0f} kB"
    return f"{n} bytes"
