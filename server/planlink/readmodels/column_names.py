"""The column headings of the curated queries' answers, in Thai and English: the HTML table's header and the
spreadsheet's header row (``/queries/<name>.xlsx``, ``planlink query NAME --format xlsx``) show these in the
page's language instead of the SPARQL variable names (which stay as the header of CSV, TSV, JSON and XML, and
of any other SELECT answer). A variable not listed here is shown as its name."""

from __future__ import annotations

from planlink.foundation.text import either

HEADINGS: dict[str, tuple[str, str]] = {
    "anchor": ("เป้าหมายอ้างอิง (ยุทธศาสตร์ชาติหรือ SDG)", "Anchor (National Strategy or SDG)"),
    "area": ("พื้นที่", "Area"),
    "areaKind": ("ประเภทพื้นที่", "Kind of area"),
    "cluster": ("กลุ่มจังหวัด", "Provincial cluster"),
    "created": ("วันที่บันทึก", "Date recorded"),
    "curator": ("ผู้คัดสรร", "Curator"),
    "element": ("องค์ประกอบ", "Element"),
    "framework": ("กรอบอ้างอิง", "Framework"),
    "gapRecord": ("บันทึกการไม่มีคู่", "No-counterpart record"),
    "guideline": ("แนวทางการพัฒนา", "Guideline"),
    "isoCode": ("รหัส ISO 3166-2", "ISO 3166-2 code"),
    "issue": ("ประเด็นการพัฒนา", "Development issue"),
    "issues": ("จำนวนประเด็นการพัฒนา", "Development issues"),
    "item": ("องค์ประกอบ", "Item"),
    "itemLinks": ("จำนวนความเชื่อมโยงขององค์ประกอบ", "Links of the item"),
    "items": ("จำนวนองค์ประกอบ", "Items"),
    "kind": ("ประเภท", "Kind"),
    "label": ("ชื่อ", "Label"),
    "level": ("ระดับ", "Level"),
    "levelRank": ("ลำดับของระดับ (3 เต็ม ถึง 0 ไม่มี)", "Level rank (3 full to 0 none)"),
    "links": ("จำนวนความเชื่อมโยง", "Links"),
    "member": ("จังหวัดสมาชิก", "Member province"),
    "method": ("วิธีได้มา", "Method"),
    "notation": ("ลำดับที่", "Number"),
    "object": ("องค์ประกอบปลายทาง", "Target item"),
    "objectKind": ("ประเภทขององค์ประกอบปลายทาง", "Target item's kind"),
    "objectPlan": ("แผนปลายทาง", "Target plan"),
    "objectSourceText": ("ข้อความตามต้นฉบับของปลายทาง", "Target item's source text"),
    "plan": ("แผน", "Plan"),
    "position": ("ตำแหน่ง", "Position"),
    "province": ("จังหวัด", "Province"),
    "rank": ("ลำดับของระดับ (3 เต็ม ถึง 0 ไม่มี)", "Level rank (3 full to 0 none)"),
    "rationale": ("เหตุผล", "Rationale"),
    "rationaleEn": ("เหตุผล (ภาษาอังกฤษ)", "Rationale (English)"),
    "rationaleTh": ("เหตุผล (ภาษาไทย)", "Rationale (Thai)"),
    "reason": ("เหตุผล", "Reason"),
    "record": ("บันทึกความเชื่อมโยง", "Alignment record"),
    "relation": ("ความสัมพันธ์", "Relation"),
    "sameMeasure": ("วัดสิ่งเดียวกัน", "Same measure"),
    "scope": ("ขอบเขต", "Scope"),
    "score": ("คะแนน", "Score"),
    "sourceIndicator": ("ตัวชี้วัดของแผนต้นทาง", "Source plan's indicator"),
    "sourceIssue": ("ประเด็นของแผนต้นทาง", "Source plan's issue"),
    "sourceUnit": ("หน่วยวัดของแผนต้นทาง", "Source indicator's unit"),
    "statedGap": ("ระบุว่าไม่มีคู่", "Stated as without counterpart"),
    "status": ("สถานะ", "Status"),
    "strongestRank": ("ลำดับของระดับสูงสุด", "Strongest level's rank"),
    "subject": ("องค์ประกอบต้นทาง", "Source item"),
    "subjectKind": ("ประเภทขององค์ประกอบต้นทาง", "Source item's kind"),
    "subjectPlan": ("แผนต้นทาง", "Source plan"),
    "subjectSourceText": ("ข้อความตามต้นฉบับของต้นทาง", "Source item's source text"),
    "supported": ("ได้รับการตอบสนอง", "Supported"),
    "supporter": ("องค์ประกอบที่ตอบสนอง", "Supporting item"),
    "targetIndicator": ("ตัวชี้วัดของแผนปลายทาง", "Target plan's indicator"),
    "targetIssue": ("ประเด็นของแผนปลายทาง", "Target plan's issue"),
    "targetUnit": ("หน่วยวัดของแผนปลายทาง", "Target indicator's unit"),
    # the parameters' columns (shown in spreadsheets, which keep every column)
    "source": ("แผนต้นทาง", "Source plan"),
    "target": ("แผนปลายทาง", "Target plan"),
    "lang": ("ภาษา", "Language"),
    "word": ("คำที่ค้น", "Word searched"),
    "min": ("จำนวนประเด็นขั้นต่ำ", "Minimum issues"),
    "other": ("แผนอื่น", "Other plan"),
    "result": ("ผลลัพธ์", "Result"),
}


def heading(variable: str, lang: str) -> str:
    """The column's heading in ``lang``: a companion (``xLabel``, ``xNotation``) is named after its column."""
    for suffix, th, en in (("Label", "ชื่อ", "label"), ("Notation", "ลำดับที่", "number")):
        base = variable[: -len(suffix)]
        if variable.endswith(suffix) and base in HEADINGS:
            return f"{heading(base, lang)} ({either(lang, th, en)})"
    names = HEADINGS.get(variable)
    return either(lang, *names) if names else variable
