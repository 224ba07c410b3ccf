"""The one place that writes answers: ``write_answer`` reads a pyoxigraph answer (from the local store or a
remote one) up to the row cap into an ``Outcome``: SELECT answers in the four standard results formats (JSON,
XML, CSV, TSV) by pyoxigraph's own writers, as a spreadsheet (.xlsx, with openpyxl) and as Python rows by
planlink's; ASK answers by planlink's; graph answers in the RDF format the table names.

pyoxigraph's writers take only a live iterator, which cannot be cut at the row cap. So a SELECT answer is
first written as TSV (one line per row: the format escapes line breaks inside terms) into a sink that stops the
writer once the cap is passed; the TSV, cut to the cap, is read back by pyoxigraph's parser and written in the
format asked for, with the truncation link added when it was cut. All of it runs in Rust: about a third of the
time of writing the rows in Python (bench/RESULTS.md, "Lever: pyoxigraph's own result writers").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import IO, Any, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from planlink.engine.backend import Outcome, Request
from planlink.foundation import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TRUNCATED_LINK = "urn:planlink:truncated"  # the results link that says the row cap cut an answer
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]


def term_json(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"unsupported term {term!r}")


def to_json(variables: list[str], rows: list[Row], truncated: bool = False) -> bytes:
    bindings = [
        {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
    ]
    doc: dict = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    if truncated:
        doc["head"]["link"] = [TRUNCATED_LINK]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def to_xml(variables: list[str], rows: list[Row], truncated: bool = False) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    if truncated:
        parts.append(f'<link href="{TRUNCATED_LINK}"/>')
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts += [
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        ]
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def boolean_xml(value: bool) -> bytes:
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def to_csv(variables: list[str], rows: list[Row], truncated: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    w.writerows([_csv_value(t) for t in row] for row in rows)
    return buf.getvalue().encode()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):  # a triple term, as SPARQL 1.2 TSV writes it
        return f"<<( {_tsv_value(term.subject)} {_tsv_value(term.predicate)} {_tsv_value(term.object)} )>>"
    return str(term).replace("\t", "\\t")


def to_tsv(variables: list[str], rows: list[Row], truncated: bool = False) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def boolean_text(value: bool) -> bytes:
    return b"true\n" if value else b"false\n"


# -- spreadsheets (.xlsx) -------------------------------------------------------------------------------------
XSD = "http://www.w3.org/2001/XMLSchema#"
XLSX_INTEGERS = frozenset(
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
XLSX_FLOATS = frozenset((XSD + "double", XSD + "float"))
XLSX_CELL_CAP = 32767  # the most characters a spreadsheet cell holds
XLSX_LINK_CAP = 65000  # spreadsheet programs open at most 65,530 hyperlinks a sheet; past that IRIs are text
XLSX_LINK_LENGTH = 2079  # the longest hyperlink address they accept
EXACT_DIGITS = 15  # a spreadsheet number keeps 15 significant digits: longer integers stay text


def xlsx_text(text: str) -> str:
    """Text a spreadsheet cell can hold: control characters (which the file format forbids) dropped, at most
    the cell's 32,767 characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= XLSX_CELL_CAP else text[: XLSX_CELL_CAP - 1] + "…"


def xlsx_value(term: Term | None) -> tuple[Any, str | None]:
    """A term as a spreadsheet value and, for an IRI, its hyperlink: xsd:integer (and its subtypes),
    xsd:decimal, xsd:double and xsd:float as numbers, xsd:boolean as a boolean, everything else as its text
    (a language-tagged literal as its text, in whatever script it is written)."""
    if term is None:
        return None, None
    if isinstance(term, ox.NamedNode):
        return xlsx_text(term.value), term.value if len(term.value) <= XLSX_LINK_LENGTH else None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}", None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        v = term.value.strip()
        try:
            if dt in XLSX_INTEGERS:
                n = int(v)
                return (n if len(str(abs(n))) <= EXACT_DIGITS else term.value), None
            if dt == XSD + "decimal":
                from decimal import Decimal

                d = Decimal(v)
                return (d if len(d.as_tuple().digits) <= EXACT_DIGITS else term.value), None
            if dt in XLSX_FLOATS and v not in ("NaN", "INF", "-INF", "+INF"):
                return float(v), None
            if dt == XSD + "boolean" and v in ("true", "false", "1", "0"):
                return v in ("true", "1"), None
        except ValueError:
            pass  # an ill-typed literal keeps its text
        return xlsx_text(term.value), None
    return xlsx_text(str(term)), None


def truncation_note(rows: int) -> str:
    """The note row of an answer the row cap cut (in both languages: the answer is the same for everyone)."""
    return (
        f"⚠ คำตอบถูกตัดไว้ที่ {rows:,} แถว (จำนวนแถวสูงสุดของบริการ) มีแถวมากกว่านี้ · "
        f"The answer was cut at {rows:,} rows (the service's row cap): there are more rows."
    )


def xlsx_workbook(sheets: Sequence[tuple[str, list[str], Sequence[Sequence[Any]], str | None]]) -> bytes:
    """A workbook (write-only, for speed) of ``(title, header, rows, note)`` sheets: a bold header row, then
    the rows, then the note (if any) as a last row of its own. A row's cell is a plain value, or a
    ``(value, hyperlink)`` pair."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold, link_font, note_font = Font(bold=True), Font(color="0563C1", underline="single"), Font(italic=True)
    for title, header, rows, note in sheets:
        ws = wb.create_sheet(_sheet_title(title))
        ws.freeze_panes = "A2"
        head = []
        for name in header:
            c = WriteOnlyCell(ws, value=xlsx_text(name))
            c.font = bold
            head.append(c)
        ws.append(head)
        links = 0
        for row in rows:
            out: list[Any] = []
            for cell in row:
                if isinstance(cell, tuple):
                    value, target = cell
                    if target and links < XLSX_LINK_CAP:
                        c = WriteOnlyCell(ws, value=value)
                        c.hyperlink = target
                        c.font = link_font
                        links += 1
                        out.append(c)
                        continue
                    cell = value
                out.append(cell)
            ws.append(out)
        if note:
            c = WriteOnlyCell(ws, value=xlsx_text(note))
            c.font = note_font
            ws.append([c])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(title: str) -> str:
    """A legal sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    return clean[:31]


def to_xlsx(
    variables: list[str], rows: list[Row], truncated: bool = False, headings: list[str] | None = None
) -> bytes:
    """A SELECT answer as a spreadsheet: the variables (or ``headings``) as the header row, IRIs as hyperlinks,
    numbers as numbers; an answer the row cap cut ends with a note row saying so."""
    body = [[xlsx_value(t) for t in row] for row in rows]
    header = headings if headings is not None else variables
    return xlsx_workbook([("results", header, body, truncation_note(len(rows)) if truncated else None)])


def boolean_xlsx(value: bool) -> bytes:
    return xlsx_workbook([("results", ["_askResult"], [[value]], None)])


NATIVE_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


class _CapReached(Exception):
    pass


class _CappedLines:
    """A binary sink for pyoxigraph's TSV writer that stops it (by raising from ``write``) once more than
    ``rows`` rows follow the header line. It keeps what it was given: at most one write chunk past the cap."""

    def __init__(self, rows: int) -> None:
        self.stop_at = rows + 2  # the header line, the rows, and one line more
        self.parts: list[bytes] = []
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        self.parts.append(data)
        self.lines += data.count(b"\n")
        if self.lines >= self.stop_at:
            raise _CapReached
        return len(data)

    def flush(self) -> None:
        pass


def capped_tsv(answer: ox.QuerySolutions, row_cap: int) -> tuple[bytes, int, bool]:
    """``answer`` as SPARQL TSV cut at ``row_cap`` rows: (the TSV, its row count, whether rows were cut)."""
    sink = _CappedLines(row_cap)
    truncated = False
    try:
        answer.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV)  # it only calls write
    except _CapReached:
        truncated = True
    tsv = b"".join(sink.parts)
    if truncated:
        tsv = b"\n".join(tsv.split(b"\n", row_cap + 1)[: row_cap + 1]) + b"\n"
    return tsv, tsv.count(b"\n") - 1, truncated


def mark_truncated(body: bytes, output: str) -> bytes:
    """A results document with the link that says the row cap cut it (JSON and XML have a place for links)."""
    if output == "json":  # {"head":{"vars":[...]} : variable names hold no "]"
        end = body.index(b"]") + 1
        return body[:end] + b',"link":["' + TRUNCATED_LINK.encode() + b'"]' + body[end:]
    if output == "xml":
        end = body.index(b"</head>")
        return body[:end] + b'<link href="' + TRUNCATED_LINK.encode() + b'"/>' + body[end:]
    return body  # CSV and TSV cannot say it: the Planlink-Truncated header does


def native_solutions(answer: ox.QuerySolutions, req: Request) -> Outcome:
    """A SELECT answer in one of the four standard results formats, by pyoxigraph's writers, cut at the cap."""
    variables = [v.value for v in answer.variables]
    tsv, count, truncated = capped_tsv(answer, req.row_cap)
    if req.output == "tsv":
        body = tsv
    else:
        cut = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        body = cast(bytes, cut.serialize(format=NATIVE_FORMATS[req.output]))  # bytes: no output was given
    if truncated:
        body = mark_truncated(body, req.output)
    return Outcome("select", variables=variables, count=count, truncated=truncated, body=body)


WRITERS = {
    "json": (to_json, boolean_json),
    "xml": (to_xml, boolean_xml),
    "csv": (to_csv, lambda b: b"_askResult\r\n" + (b"true" if b else b"false") + b"\r\n"),
    "tsv": (to_tsv, lambda b: b"?_askResult\n" + boolean_text(b)),
    "xlsx": (to_xlsx, boolean_xlsx),
}


def write_answer(answer: Any, req: Request) -> Outcome:
    """Read an answer (pyoxigraph QueryBoolean, QuerySolutions or anything with its ``variables`` and rows, or
    an iterable of triples) up to the row cap and write it as ``req.output`` asks. Shared by the evaluators and
    the remote store."""
    out: Outcome
    if isinstance(answer, ox.QueryBoolean):
        value = bool(answer)
        out = Outcome("ask", boolean=value, count=1)
        if req.output != "rows":
            out.body = WRITERS[req.output][1](value)
    elif isinstance(answer, ox.QuerySolutions) and req.output in NATIVE_FORMATS:
        out = native_solutions(answer, req)
    elif isinstance(answer, ox.QuerySolutions) or hasattr(answer, "variables"):
        variables = [v.value for v in answer.variables]
        rows: list[Row] = []
        truncated = False
        for solution in answer:
            if len(rows) >= req.row_cap:
                truncated = True
                break
            rows.append(tuple(solution[v] for v in variables))
        out = Outcome("select", variables=variables, count=len(rows), truncated=truncated)
        if req.output == "rows":
            out.rows = rows
        else:
            out.body = WRITERS[req.output][0](variables, rows, truncated)
    else:
        triples: list[ox.Triple] = []
        truncated = False
        for t in answer:
            if len(triples) >= req.row_cap:
                truncated = True
                break
            triples.append(t)
        out = Outcome("graph", count=len(triples), truncated=truncated)
        if req.output == "rows":
            out.rows = [(t.subject, t.predicate, t.object) for t in triples]
        else:
            fmt = formats.get(req.output).ox
            if not isinstance(fmt, ox.RdfFormat):
                raise ValueError(
                    f"{req.output!r} is not an RDF format: a graph answer cannot be written in it"
                )
            items = (
                [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
                if fmt.supports_datasets
                else triples
            )
            out.body = ox.serialize(items, format=fmt, prefixes=req.prefixes or {})
    return out
