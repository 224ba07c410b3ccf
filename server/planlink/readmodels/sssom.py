"""The alignment report's links as an SSSOM mapping table (https://mapping-commons.github.io/sssom/): TSV with
its metadata as a YAML block of ``#`` comment lines.

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planlink.readmodels.alignment import Report

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
    "see_also",
)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEMAPV = "https://w3id.org/semapv/vocab/"


def confidence(rank: int) -> str:
    return f"{rank / 3:.2f}"


def _cell(value: str | None) -> str:
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

    th = report.lang == "th"
    title = (
        f"ความเชื่อมโยงระหว่าง{report.source.label} กับ{report.target.label}"
        if th
        else f"Alignment of {report.source.label} with {report.target.label}"
    )
    note = (
        "confidence = level of the curated link / 3 (full 1.0, partial 0.67, weak 0.33): how much of the "
        "object's aim the subject shares, not a probability. " + report.caveat
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
    w.writerow(COLUMNS)
    for x in report.links:
        w.writerow(
            [
                _cell(v)
                for v in (
                    curie(x.subject.iri),
                    x.subject.label,
                    curie(x.relation),
                    curie(x.object.iri),
                    x.object.label,
                    "semapv:ManualMappingCuration",
                    confidence(x.rank),
                    x.rationale,
                    x.record,
                )
            ]
        )
    return "\n".join(meta) + "\n" + buf.getvalue()
