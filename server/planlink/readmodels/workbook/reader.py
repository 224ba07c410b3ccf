"""Reading a filled workbook: the file (.xlsx with openpyxl, .ods with python-calamine) -> its sheets' cells ->
checked rows, every problem named by sheet, row and column. No spreadsheet parsing of our own."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planlink.foundation.errors import DataFileError
from planlink.readmodels.workbook.layout import (
    BY_TITLE,
    FIRST_ROW,
    GUIDE_SHEET,
    SHEETS,
    Column,
    Sheet,
    read_choice,
)
from planlink.readmodels.workbook.messages import Problem, choices_text, say, size_text

SUFFIXES = (".xlsx", ".ods")
GUIDE_TITLES = (GUIDE_SHEET, "How to fill in")
DEFAULT_CAP = 10_000_000
UNPACK_FACTOR = 20  # how much larger than the upload cap a workbook may be once unpacked
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass
class RawSheet:
    title: str
    cells: list[list[Any]]  # row by row, from row 1
    merged: list[str] = field(default_factory=list)  # merged ranges, e.g. "A3:B4"


@dataclass
class Row:
    """One filled row of a data sheet: its number in the sheet and its values by column key (None: empty)."""

    sheet: Sheet
    number: int
    values: dict[str, Any]

    def cell(self, key: str) -> str:
        return f"{self.sheet.letter(key)}{self.number}"


@dataclass
class Book:
    rows: dict[str, list[Row]]  # by sheet key
    problems: list[Problem]
    name: str = ""


def unreadable(path: str, key: str, lang: str, **values: object) -> DataFileError:
    return DataFileError(say(key, lang, **values), path)


def check_size(size: int, cap: int, name: str, lang: str) -> None:
    if size > cap:
        raise unreadable(name, "too-large", lang, size=size_text(size), cap=size_text(cap))


def load_raw(path: Path, lang: str = "en", cap: int | None = None, name: str | None = None) -> list[RawSheet]:
    """The sheets of a workbook file, as cell values. An unreadable file is a DataFileError (exit 2)."""
    shown = name or str(path)
    suffix = Path(name or path.name).suffix.lower()
    if not path.is_file():
        raise unreadable(shown, "no-file", lang)
    if cap is not None:
        check_size(path.stat().st_size, cap, shown, lang)
    if suffix not in SUFFIXES:
        raise unreadable(
            shown, "unknown-suffix", lang, suffix=suffix or "(none)", accepted=choices_text(SUFFIXES, lang)
        )
    unpacked = _unpacked_size(path)
    limit = UNPACK_FACTOR * (cap or DEFAULT_CAP)
    if unpacked > limit:  # a small archive that would unpack to gigabytes is refused before it is opened
        raise unreadable(shown, "too-large-unpacked", lang, size=size_text(unpacked), cap=size_text(limit))
    try:
        return _read_xlsx(path) if suffix == ".xlsx" else _read_ods(path)
    except DataFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the libraries raise on a file that is not a workbook
        detail = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        raise unreadable(shown, "not-workbook", lang, detail=detail[:200]) from None


def _unpacked_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as z:
            return sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # not an archive: the reader says so


def _read_xlsx(path: Path) -> list[RawSheet]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(path):
        raise ValueError("not a zip archive")
    wb = load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        out.append(RawSheet(ws.title, cells, [str(r) for r in ws.merged_cells.ranges]))
    wb.close()
    return out


def _read_ods(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for title in wb.sheet_names:
        sheet = wb.get_sheet_by_name(title)
        # skip_empty_area=False: the rows start at row 1, column A, as in the file; calamine gives "" for empty
        cells: list[list[Any]] = [
            [None if v == "" else v for v in r] for r in sheet.to_python(skip_empty_area=False)
        ]
        merged = []
        for m in getattr(sheet, "merged_cell_ranges", None) or []:
            (r1, c1), (r2, c2) = m
            merged.append(f"{_letter(c1)}{r1 + 1}:{_letter(c2)}{r2 + 1}")
        out.append(RawSheet(title, cells, merged))
    return out


def _letter(index0: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index0 + 1)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_book(raw: list[RawSheet], lang: str = "en") -> Book:
    """Check the sheets against the layout and read their rows; problems are collected, not raised."""
    problems: list[Problem] = []
    by_title = {s.title: s for s in raw}
    known = {s.title for s in SHEETS}
    missing = [s for s in SHEETS if s.title not in by_title]
    strangers = [t for t in by_title if t not in known and t not in GUIDE_TITLES]
    for i, title in enumerate(strangers):
        hint = say("renamed-hint", lang, expected=missing[i].title) if i < len(missing) else ""
        problems.append(Problem(title, None, None, say("unknown-sheet", lang, sheet=title, hint=hint)))
    for s in missing:
        problems.append(Problem(s.title, None, None, say("missing-sheet", lang, sheet=s.title, en=s.en)))
    rows: dict[str, list[Row]] = {s.key: [] for s in SHEETS}
    for title, sheet in BY_TITLE.items():
        if title in by_title:
            rows[sheet.key] = _read_sheet(sheet, by_title[title], lang, problems)
    return Book(rows, problems)


def _read_sheet(sheet: Sheet, raw: RawSheet, lang: str, problems: list[Problem]) -> list[Row]:
    def problem(at: int | None, col: str | None, key: str, **kw: object) -> None:
        problems.append(Problem(sheet.title, at, col, say(key, lang, **kw)))

    start = len(problems)
    for rng in raw.merged:
        first = rng.split(":", 1)[0]
        m = re.match(r"([A-Z]+)(\d+)", first)
        problem(int(m.group(2)) if m else None, m.group(1) if m else None, "merged", range=rng)
    cells = raw.cells
    header = cells[1] if len(cells) > 1 else []
    width = len(sheet.columns)
    for i, col in enumerate(sheet.columns):
        found = header[i] if i < len(header) else None
        if str(found or "").strip() != col.key:
            problem(2, sheet.letter(col.key), "bad-header", th=col.th, en=col.key, found=found or "")
    for j in range(width, len(header)):
        if not _blank(header[j]):
            problem(2, _letter(j), "extra-column", found=header[j])
    if len(problems) > start:
        return []  # the columns cannot be trusted: their rows are not read
    data = cells[FIRST_ROW - 1 :]
    last = max((i for i, r in enumerate(data) if any(not _blank(v) for v in r)), default=-1)
    out: list[Row] = []
    for i, r in enumerate(data[: last + 1]):
        number = FIRST_ROW + i
        if all(_blank(v) for v in r):
            problem(number, None, "empty-row", row=number)
            continue
        for j in range(width, len(r)):
            if not _blank(r[j]):
                problem(number, _letter(j), "extra-column", found=r[j])
        values: dict[str, Any] = {}
        for j, col in enumerate(sheet.columns):
            v = r[j] if j < len(r) else None
            values[col.key] = _value(col, v, number, sheet, lang, problems)
        out.append(Row(sheet, number, values))
    if sheet.single and len(out) > 1:
        problem(out[1].number, None, "one-row", count=len(out))
    return out


def _value(col: Column, v: Any, row: int, sheet: Sheet, lang: str, problems: list[Problem]) -> Any:
    letter = sheet.letter(col.key)
    if _blank(v):
        if col.required:
            problems.append(Problem(sheet.title, row, letter, say("required", lang, th=col.th, en=col.key)))
        return None
    if col.kind in ("int", "parent"):
        n = as_int(v)
        if n is None:
            problems.append(Problem(sheet.title, row, letter, say("not-number", lang, value=v)))
        return n
    if col.kind == "choice" and col.choices:
        from planlink.readmodels.workbook.layout import CHOICES

        c = read_choice(col.choices, str(v))
        if c is None:
            choices = ", ".join(x.value for x in CHOICES[col.choices])
            problems.append(
                Problem(sheet.title, row, letter, say("bad-choice", lang, value=v, choices=choices))
            )
        return c
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if col.kind == "refs":
        refs = [x.strip().translate(THAI_DIGITS) for x in str(v).split(",")]
        if not all(re.fullmatch(r"\d+(\.\d+)?", x) for x in refs):
            problems.append(Problem(sheet.title, row, letter, say("bad-refs", lang, value=v)))
            return None
        return ", ".join(refs)
    return v if isinstance(v, str) else str(v)


def as_int(v: Any) -> int | None:
    """A whole number above zero, from a number cell or from digits typed as text (Thai digits too)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v > 0 else None
    if isinstance(v, float):
        return int(v) if v.is_integer() and v > 0 else None
    text = str(v).strip().translate(THAI_DIGITS)
    if re.fullmatch(r"\d+", text) and int(text) > 0:
        return int(text)
    return None
