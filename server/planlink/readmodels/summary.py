"""What the graph holds: plans, items per kind per plan, triples per named graph (read with SPARQL)."""

from __future__ import annotations

from dataclasses import dataclass, field

from planlink.engine.store import LoadedData
from planlink.foundation.namespaces import ITEM_KINDS, sparql_prologue

KINDS = ITEM_KINDS  # summaries list items by kind in this order

ITEMS_QUERY = """
SELECT ?plan ?type ?th ?en ?kind (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?plan a ?type ; skos:prefLabel ?th , ?en .
  VALUES ?type { plan:ClusterPlan plan:ProvincialPlan }
  FILTER(LANG(?th) = "th" && LANG(?en) = "en")
  OPTIONAL { ?item plan:inPlan ?plan ; a ?class . ?class rdfs:subClassOf plan:PlanItem .
             BIND(STRAFTER(STR(?class), "#") AS ?kind) }
} GROUP BY ?plan ?type ?th ?en ?kind ORDER BY ?plan ?kind
"""

PLAN_INDICATORS_QUERY = (
    "SELECT ?plan (COUNT(?i) AS ?n) WHERE { ?plan plan:hasPlanIndicator ?i } GROUP BY ?plan"
)
ISSUE_INDICATORS_QUERY = (
    "SELECT ?plan (COUNT(*) AS ?n) WHERE { ?plan plan:hasIssue/plan:hasIndicator ?i } GROUP BY ?plan"
)


@dataclass
class PlanSummary:
    iri: str
    kind: str
    label_th: str
    label_en: str
    items: dict[str, int] = field(default_factory=dict)
    plan_indicators: int = 0
    issue_indicator_entries: int = 0


@dataclass
class Summary:
    plans: list[PlanSummary]
    triples_per_graph: dict[str, int]

    @property
    def total_triples(self) -> int:
        return sum(self.triples_per_graph.values())


def summarize(data: LoadedData) -> Summary:
    prologue = sparql_prologue(data.base)
    plans: dict[str, PlanSummary] = {}
    for row in data.store.query(prologue + ITEMS_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri = row["plan"].value
        p = plans.setdefault(
            iri, PlanSummary(iri, row["type"].value.rsplit("#", 1)[-1], row["th"].value, row["en"].value)
        )
        if row["kind"] is not None:
            p.items[row["kind"].value] = int(row["n"].value)
    for query, attr in (
        (PLAN_INDICATORS_QUERY, "plan_indicators"),
        (ISSUE_INDICATORS_QUERY, "issue_indicator_entries"),
    ):
        for row in data.store.query(prologue + query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            if row["plan"].value in plans:
                setattr(plans[row["plan"].value], attr, int(row["n"].value))
    return Summary(sorted(plans.values(), key=lambda p: p.iri), dict(data.triples_per_graph))


def as_dict(summary: Summary) -> dict:
    return {
        "plans": [vars(p) for p in summary.plans],
        "triplesPerGraph": summary.triples_per_graph,
        "totalTriples": summary.total_triples,
    }
