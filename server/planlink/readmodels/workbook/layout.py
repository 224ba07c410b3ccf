"""The workbook's sheets and columns: the one table the template, the reader and the exporter follow.

Each data sheet has its Thai header in row 1, the English header beneath it in row 2, and one item per row from
row 3. The first sheet explains, in Thai, how to fill the others in. A column is ``text`` (any text, kept as
typed), ``int`` (a whole number), ``choice`` (one of a closed list, offered as a drop-down), ``parent`` (the
number of a development issue on the issues sheet) or ``refs`` (other items of the plan by their numbers, such as
``7`` or ``4.10``, separated by commas; a text cell, so that 4.10 stays 4.10).
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER_ROWS = 2
FIRST_ROW = HEADER_ROWS + 1
GUIDE_SHEET = "วิธีกรอก"


@dataclass(frozen=True)
class Column:
    key: str  # the English header (row 2), also the reader's name for the column
    th: str  # the Thai header (row 1)
    kind: str = "text"  # text | int | choice | parent | refs
    required: bool = False
    choices: str | None = None  # a key of CHOICES
    width: int = 14


@dataclass(frozen=True)
class Choice:
    value: str  # what the cell holds (Thai, with the English term): shown in the drop-down
    term: str  # the local name of the ontology term (plan#...)


CHOICES: dict[str, tuple[Choice, ...]] = {
    "kind": (
        Choice("แผนพัฒนากลุ่มจังหวัด (ClusterPlan)", "ClusterPlan"),
        Choice("แผนพัฒนาจังหวัด (ProvincialPlan)", "ProvincialPlan"),
    ),
    "unit": (
        Choice("ร้อยละ (Percent)", "Percent"),
        Choice("จำนวน (Count)", "Count"),
        Choice("อัตรา (Rate)", "Rate"),
        Choice("ดัชนีหรือระดับ (IndexValue)", "IndexValue"),
        Choice("ไม่ระบุหน่วย (UnitNotStated)", "UnitNotStated"),
    ),
    "direction": (
        Choice("เพิ่มขึ้น (Increase)", "Increase"),
        Choice("ลดลง (Decrease)", "Decrease"),
    ),
    # How the plan stands to its earlier edition: revised from it (prov:wasRevisionOf), or stated to be
    # unchanged from it (plan:unchangedFrom), as Nakhon Sawan's FY2564 strategy says of FY2563.
    "earlier": (
        Choice("ปรับปรุงจากฉบับก่อน (wasRevisionOf)", "wasRevisionOf"),
        Choice("ไม่มีการปรับปรุงจากฉบับก่อน (unchangedFrom)", "unchangedFrom"),
    ),
}


def choice_for_term(name: str, term: str) -> Choice:
    return next(c for c in CHOICES[name] if c.term == term)


def read_choice(name: str, raw: str) -> Choice | None:
    """The choice a cell names: its full value, or just its Thai or English part (case and spaces aside)."""
    norm = " ".join(raw.split()).casefold()
    for c in CHOICES[name]:
        thai = c.value.split(" (", 1)[0]
        if norm in (c.value.casefold(), c.term.casefold(), thai.casefold()):
            return c
    return None


# The text columns every item has: the Thai text as the source has it (kept verbatim, numbering and all), the
# corrected Thai label where it differs, the English label, what was corrected, and notes.
ITEM_TEXT = (
    Column("Thai text as in the source", "ข้อความภาษาไทยตามต้นฉบับ", required=True, width=60),
    Column("Corrected Thai label", "ชื่อภาษาไทยที่แก้ไขแล้ว (ถ้ามี)", width=50),
    Column("English label", "ชื่อภาษาอังกฤษ", required=True, width=50),
    Column("Correction (Thai)", "สิ่งที่แก้ไข (ภาษาไทย)", width=30),
    Column("Correction (English)", "สิ่งที่แก้ไข (ภาษาอังกฤษ)", width=30),
    Column("Scope note (Thai)", "คำอธิบายเพิ่มเติม เช่น คำย่อ (ภาษาไทย)", width=30),
    Column("Scope note (English)", "คำอธิบายเพิ่มเติม (ภาษาอังกฤษ)", width=30),
    Column("Editorial note (Thai)", "หมายเหตุของผู้จัดทำข้อมูล (ภาษาไทย)", width=30),
    Column("Editorial note (English)", "หมายเหตุของผู้จัดทำข้อมูล (ภาษาอังกฤษ)", width=30),
)

NUMBER = Column("Number", "ลำดับที่", "int", required=True, width=10)
ISSUE = Column("Issue", "ประเด็นการพัฒนาที่", "parent", required=True, width=12)


@dataclass(frozen=True)
class Sheet:
    key: str  # the kind of item (a class of the plan ontology), or "Plan"
    title: str  # the sheet's name in the workbook (Thai)
    en: str  # its English name
    columns: tuple[Column, ...]
    what_th: str  # one line for the guide sheet
    single: bool = False  # at most one row (the plan; the development target)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter([c.key for c in self.columns].index(key) + 1)


PLAN = Sheet(
    "Plan",
    "แผน",
    "Plan",
    (
        Column("Plan slug", "รหัสแผน (อักษรอังกฤษตัวเล็ก ตัวเลข และขีด)", required=True, width=22),
        Column("Plan kind", "ประเภทแผน", "choice", required=True, choices="kind", width=30),
        Column("Thai title", "ชื่อแผนภาษาไทย", required=True, width=50),
        Column("English title", "ชื่อแผนภาษาอังกฤษ", required=True, width=50),
        Column("Description (Thai)", "คำอธิบายแผน (ภาษาไทย)", width=40),
        Column("Description (English)", "คำอธิบายแผน (ภาษาอังกฤษ)", width=40),
        Column("Area", "รหัสพื้นที่ (จังหวัดหรือกลุ่มจังหวัด)", required=True, width=20),
        Column("Fiscal year (B.E.)", "ปีงบประมาณ (พ.ศ.)", "int", width=12),
        Column("Period statement (Thai)", "ระยะเวลาของแผน (ภาษาไทย)", width=30),
        Column("Period statement (English)", "ระยะเวลาของแผน (ภาษาอังกฤษ)", width=30),
        Column("Change note (Thai)", "การเปลี่ยนแปลงจากฉบับก่อน (ภาษาไทย)", width=30),
        Column("Change note (English)", "การเปลี่ยนแปลงจากฉบับก่อน (ภาษาอังกฤษ)", width=30),
        Column("Earlier edition (slug)", "แผนฉบับก่อน (รหัสแผน)", width=22),
        Column("Relation to the earlier edition", "ความสัมพันธ์กับฉบับก่อน", "choice", choices="earlier", width=34),
        Column("Earlier edition label (Thai)", "ชื่อแผนฉบับก่อน (ภาษาไทย)", width=30),
        Column("Earlier edition label (English)", "ชื่อแผนฉบับก่อน (ภาษาอังกฤษ)", width=30),
        Column("Earlier edition comment (Thai)", "หมายเหตุแผนฉบับก่อน (ภาษาไทย)", width=30),
        Column("Earlier edition comment (English)", "หมายเหตุแผนฉบับก่อน (ภาษาอังกฤษ)", width=30),
        Column("Source file", "ชื่อไฟล์เอกสารต้นฉบับ", required=True, width=28),
        Column("Source title (Thai)", "ชื่อเอกสารต้นฉบับ (ภาษาไทย)", width=30),
        Column("Source title (English)", "ชื่อเอกสารต้นฉบับ (ภาษาอังกฤษ)", width=30),
        Column("Source label (Thai)", "ป้ายชื่อเอกสารต้นฉบับ (ภาษาไทย)", width=30),
        Column("Source label (English)", "ป้ายชื่อเอกสารต้นฉบับ (ภาษาอังกฤษ)", width=30),
        Column("Source comment (Thai)", "หมายเหตุเอกสารต้นฉบับ (ภาษาไทย)", width=30),
        Column("Source comment (English)", "หมายเหตุเอกสารต้นฉบับ (ภาษาอังกฤษ)", width=30),
    ),
    "ข้อมูลของแผน: รหัสแผน ประเภท ชื่อภาษาไทยและอังกฤษ พื้นที่ ปีงบประมาณหรือระยะเวลา และเอกสารต้นฉบับ (กรอกแถวเดียว)",
    single=True,
)

TARGET = Sheet(
    "DevelopmentTarget",
    "วิสัยทัศน์",
    "Development target",
    (NUMBER, *ITEM_TEXT),
    "เป้าหมายการพัฒนา (วิสัยทัศน์) ของแผน ถ้าแผนมี (กรอกได้แถวเดียว)",
    single=True,
)
MISSION = Sheet("Mission", "พันธกิจ", "Missions", (NUMBER, *ITEM_TEXT), "พันธกิจ ข้อละหนึ่งแถว")
ISSUE_SHEET = Sheet(
    "DevelopmentIssue",
    "ประเด็นการพัฒนา",
    "Development issues",
    (NUMBER, *ITEM_TEXT),
    "ประเด็นการพัฒนา (ประเด็นยุทธศาสตร์) ประเด็นละหนึ่งแถว เลขลำดับในแผ่นนี้ใช้อ้างถึงในแผ่นอื่น",
)
OBJECTIVE = Sheet(
    "Objective",
    "วัตถุประสงค์",
    "Objectives",
    (ISSUE, *ITEM_TEXT),
    "วัตถุประสงค์ของแต่ละประเด็นการพัฒนา ประเด็นละหนึ่งแถว",
)
GOAL = Sheet(
    "Goal",
    "เป้าหมาย",
    "Goals",
    (ISSUE, NUMBER, *ITEM_TEXT),
    "เป้าหมายของแต่ละประเด็นการพัฒนา ลำดับที่นับใหม่ในแต่ละประเด็น (เป้าหมาย 1.2 คือประเด็น 1 ลำดับ 2)",
)
INDICATOR = Sheet(
    "Indicator",
    "ตัวชี้วัด",
    "Indicators",
    (
        Column("Plan-level number", "ลำดับที่ในระดับแผน", "int", width=12),
        Column("Issue", "ประเด็นการพัฒนาที่", "parent", width=12),
        Column("Number under the issue", "ลำดับที่ภายใต้ประเด็น", "int", width=12),
        Column("Unit", "หน่วยวัด", "choice", required=True, choices="unit", width=26),
        Column("Direction", "ทิศทาง (ถ้าแผนระบุ)", "choice", choices="direction", width=20),
        *ITEM_TEXT,
        Column(
            "Thai text under the issue, if different",
            "ข้อความตามต้นฉบับในส่วนของประเด็น (ถ้าต่างจากระดับแผน)",
            width=50,
        ),
        # Links between indicators of the plan, written both ways in the graph (skos:related as well): a near
        # duplicate measures the same thing (plan:nearDuplicateOf); a related one a neighbouring thing.
        Column("Near duplicate of", "ซ้ำหรือเกือบซ้ำกับตัวชี้วัดที่ (เช่น 7 หรือ 4.10)", "refs", width=20),
        Column("Related indicators", "ตัวชี้วัดที่เกี่ยวข้อง (เช่น 3.4, 10)", "refs", width=20),
    ),
    "ตัวชี้วัด ตัวละหนึ่งแถว ตัวชี้วัดระดับแผนกรอกลำดับที่ในระดับแผน ตัวชี้วัดของประเด็นกรอกประเด็นและลำดับที่ภายใต้ประเด็น "
    "ถ้าตัวชี้วัดเดียวกันปรากฏทั้งสองที่ ให้กรอกทั้งสามช่องในแถวเดียว",
)
GUIDELINE = Sheet(
    "Guideline",
    "แนวทางการพัฒนา",
    "Guidelines",
    (ISSUE, NUMBER, *ITEM_TEXT),
    "แนวทางการพัฒนาหรือกลยุทธ์ของแต่ละประเด็น ลำดับที่นับใหม่ในแต่ละประเด็น (แนวทาง 1.3 คือประเด็น 1 ลำดับ 3)",
)
VALUE_CHAIN = Sheet(
    "ValueChainElement",
    "ห่วงโซ่คุณค่า",
    "Value chain",
    (
        NUMBER,
        *ITEM_TEXT,
        # The development issues whose text the element restates (plan:valueChainOf, and skos:related both ways).
        Column("Value chain of issues", "เป็นห่วงโซ่คุณค่าของประเด็นการพัฒนาที่ (เช่น 1, 3)", "refs", width=20),
    ),
    "องค์ประกอบของห่วงโซ่คุณค่า (Value Chain) ข้อละหนึ่งแถว",
)
KSF = Sheet(
    "KeySuccessFactor",
    "ปัจจัยความสำเร็จ",
    "Key success factors",
    (NUMBER, *ITEM_TEXT),
    "ปัจจัยแห่งความสำเร็จ (Key Success Factors) ข้อละหนึ่งแถว",
)

SHEETS: tuple[Sheet, ...] = (
    PLAN,
    TARGET,
    MISSION,
    ISSUE_SHEET,
    OBJECTIVE,
    GOAL,
    INDICATOR,
    GUIDELINE,
    VALUE_CHAIN,
    KSF,
)
BY_TITLE = {s.title: s for s in SHEETS}

# IRI paths under id/{plan}/ and the plan's property for each top-level kind.
SEGMENT = {
    "DevelopmentTarget": "target",
    "Mission": "mission",
    "DevelopmentIssue": "issue",
    "Indicator": "indicator",
    "ValueChainElement": "value-chain",
    "KeySuccessFactor": "ksf",
    "Goal": "goal",
    "Guideline": "guideline",
}
PLAN_PROPERTY = {
    "DevelopmentTarget": "hasDevelopmentTarget",
    "Mission": "hasMission",
    "Indicator": "hasPlanIndicator",
    "DevelopmentIssue": "hasIssue",
    "ValueChainElement": "hasValueChainElement",
    "KeySuccessFactor": "hasKeySuccessFactor",
}
ISSUE_PROPERTY = {
    "Objective": "hasObjective",
    "Goal": "hasGoal",
    "Indicator": "hasIndicator",
    "Guideline": "hasGuideline",
}
