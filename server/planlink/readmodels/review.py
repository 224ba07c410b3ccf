"""The alignment report with what awaits review: ``alignment.build`` plus, from ``suggest``, how many of its
proposals (the top ``k`` per source item) are not yet accepted or rejected, and how many of those a curator
marked unsure. Kept apart from ``alignment`` because ``suggest`` itself reads the alignment model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from planlink.readmodels import alignment, suggest
from planlink.readmodels.alignment import Report, Review

if TYPE_CHECKING:
    from planlink.readmodels.context import Context

UNSURE = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
SELECT DISTINCT ?subject ?object WHERE {
  ?subject plan:inPlan ?source .
  ?record plan:alignmentSubject ?subject ; plan:alignmentObject ?object .
  ?object plan:inPlan ?target .
  ?record a plan:CurationDecision ; plan:status plan:Unsure .
}"""


def report(
    project: Context, source: str | None = None, target: str | None = None, lang: str = "th", k: int = 3
) -> Report:
    """The alignment report of (source, target) in ``lang``, with its ``review`` figures."""
    r = alignment.build(project, source, target, lang)
    found, _, src, tgt = suggest.run(project, r.source.iri, r.target.iri, k)
    rows = project.query.rows(UNSURE, {"source": ox.NamedNode(src), "target": ox.NamedNode(tgt)})
    unsure = {(x["subject"].value, x["object"].value) for x in rows}
    marked = sum(1 for x in found if (x.subject.iri, x.object.iri) in unsure)
    r.review = Review(len(found), marked, len(r.rejections), k)
    return r
