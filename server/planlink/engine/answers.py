"""The one place that writes answers: ``write_answer`` reads a pyoxigraph answer (from the local store or a
remote one) up to the row cap into an ``Outcome``, SELECT and ASK answers in the four standard results formats
(JSON, XML, CSV, TSV) by planlink's own writers, graph answers in the RDF format the table names.

The rows are read first so that the row cap can cut an answer and say so; pyoxigraph's own writers take
only a live iterator, which cannot be cut.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from planlink.engine.backend import Outcome, Request
from planlink.foundation import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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
        doc["head"]["link"] = ["urn:planlink:truncated"]
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
        parts.append('<link href="urn:planlink:truncated"/>')
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
    return str(term).replace("\t", "\\t")


def to_tsv(variables: list[str], rows: list[Row], truncated: bool = False) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def boolean_text(value: bool) -> bytes:
    return b"true\n" if value else b"false\n"


WRITERS = {
    "json": (to_json, boolean_json),
    "xml": (to_xml, boolean_xml),
    "csv": (to_csv, lambda b: b"_askResult\r\n" + (b"true" if b else b"false") + b"\r\n"),
    "tsv": (to_tsv, lambda b: b"?_askResult\n" + boolean_text(b)),
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
