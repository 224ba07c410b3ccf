"""The alignment report's model: its records, the levels, and ``build``, the computation of what the items of
one plan (the source, by default Nakhon Sawan's FY2564 strategy) serve in another plan (the target, by default
the Lower Northern Cluster 1 plan), what they leave uncovered, and why.

Every figure comes from a curated query of ``queries/`` run with the report's parameters (a fixed handful of
queries, never one per item), so a figure in the report is what that query returns:

- ``coverage-by-level``: the headline coverage figures of the target's issues, goals and indicators, per issue
  and overall. An item is covered at the strongest level of the accepted links whose object it is (full 3,
  partial 2, weak 1, none 0). **A link to one of an issue's goals or indicators counts for the issue too, but
  at most as partial**: serving one goal serves part of the issue, never all of it.
- ``items-without-counterpart`` (both ways): items linked to nothing in the other plan, either direction;
  a plan:NoCounterpartRecord marks a gap a curator examined and stated ("stated gap"), the others have not
  been looked at ("not examined").
- ``alignment-matrix``: every accepted link (relation, level, rationale), and the heatmap's cells.
- ``shared-indicators``: indicator pairs linked across the plans.
- ``plan-items`` (both plans): the rows and columns of the heatmap, in the plans' own order.
- ``plan-areas``: the areas the plans cover, and so the cross-cluster caveat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from planlink.foundation.errors import BadRequest
from planlink.foundation.namespaces import ITEM_KINDS
from planlink.foundation.text import either, natural_key
from planlink.readmodels import curated
from planlink.readmodels.pages import Pages

if TYPE_CHECKING:
    from planlink.readmodels.context import Context

DEFAULT_SOURCE = "id/nakhon-sawan-2564"  # under the base
DEFAULT_TARGET = "id/lower-north-1"
LEVELS = (3, 2, 1, 0)
LEVEL_KEYS = {3: "full", 2: "partial", 1: "weak", 0: "none"}
LEVEL_NAMES = {
    3: ("เต็ม", "full"),
    2: ("บางส่วน", "partial"),
    1: ("อ่อน", "weak"),
    0: ("ไม่ครอบคลุม", "not covered"),
}
LEVEL_COLOURS = {3: "#1b7f3b", 2: "#e0a100", 1: "#b9c7d6", 0: "#f3f4f6"}
KIND_NAMES = {
    "DevelopmentIssue": ("ประเด็นการพัฒนา", "development issues"),
    "Goal": ("เป้าหมาย", "goals"),
    "Indicator": ("ตัวชี้วัด", "indicators"),
}
COVERED_KINDS = ("DevelopmentIssue", "Goal", "Indicator")
# What the report's sections are made from: the curated query and which of the report's parameters it takes.
SECTION_QUERIES = {
    "coverage": "coverage-by-level",
    "links": "alignment-matrix",
    "shared": "shared-indicators",
    "source_gaps": "items-without-counterpart",
    "target_gaps": "items-without-counterpart",
    "areas": "plan-areas",
    "items": "plan-items",
}


@dataclass
class Item:
    iri: str
    notation: str | None
    label: str
    kind: str  # local name of the plan: class, e.g. "Goal"
    kind_name: str
    issue: str | None = None  # the development issue it sits under

    @property
    def display(self) -> str:
        return f"{self.notation} {self.label}" if self.notation else self.label


@dataclass
class Link:
    record: str
    subject: Item
    object: Item
    relation: str
    relation_name: str
    relation_curie: str
    level: str
    level_name: str
    rank: int
    rationale: str | None
    method: str | None = None  # local name: Curated or Computed
    author: str | None = None  # the curator's (agent's) name
    author_iri: str | None = None
    date: str | None = None  # dcterms:created


@dataclass
class Rejection:
    """A proposal a curator rejected (plan:CurationDecision, plan:Rejected): a negative mapping."""

    record: str
    subject: Item
    object: Item
    reason: str | None
    author: str | None
    author_iri: str | None
    date: str | None
    score: float | None


@dataclass
class Review:
    """What awaits a curator: the proposals of ``planlink suggest`` (top ``k`` per source item) not yet accepted
    or rejected; ``unsure`` of them were looked at and marked unsure."""

    awaiting: int
    unsure: int
    rejected: int
    k: int


@dataclass
class Gap:
    item: Item
    stated: bool
    reason: str | None
    record: str | None


@dataclass
class SharedIndicator:
    record: str
    source: Item
    target: Item
    relation_name: str
    relation_curie: str
    same_measure: bool
    level_name: str
    rank: int
    rationale: str | None


@dataclass
class IssueCoverage:
    issue: Item
    rank: int  # the issue's own coverage level (links to it, or to its goals and indicators at most partial)
    counts: dict[str, dict[int, int]]  # kind (Goal, Indicator) -> level -> count


@dataclass
class Plan:
    iri: str
    label: str
    areas: list[dict[str, str]] = field(default_factory=list)  # {"iri", "label", "kind"}
    clusters: list[dict[str, str]] = field(default_factory=list)  # clusters of the provinces it covers


@dataclass
class Heatmap:
    rows: list[Item]
    columns: list[Item]
    cells: dict[tuple[str, str], int]  # (row IRI, column IRI) -> strongest level
    records: dict[tuple[str, str], str]  # (row IRI, column IRI) -> the record of that strongest link


@dataclass
class Report:
    lang: str
    source: Plan
    target: Plan
    cross_cluster: bool
    caveat: str
    coverage: dict[str, dict[int, int]]  # kind -> level -> count (the whole target plan)
    coverage_by_issue: list[IssueCoverage]
    links: list[Link]
    source_gaps: list[Gap]
    target_gaps: list[Gap]
    shared: list[SharedIndicator]
    heatmap: Heatmap
    source_items: int  # items of the source plan
    target_items: int
    queries: dict[str, str]  # section -> the curated query's path with the report's parameters
    rejections: list[Rejection] = field(default_factory=list)
    review: Review | None = None  # filled by readmodels.review (it needs the suggestions)

    # -- the headline figures ----------------------------------------------------------------------------
    def totals(self, kind: str) -> int:
        return sum(self.coverage.get(kind, {}).values())

    @property
    def source_unlinked(self) -> int:
        return len(self.source_gaps)

    @property
    def source_stated_gaps(self) -> int:
        return sum(1 for g in self.source_gaps if g.stated)

    @property
    def target_unlinked(self) -> int:
        return len(self.target_gaps)

    @property
    def target_stated_gaps(self) -> int:
        return sum(1 for g in self.target_gaps if g.stated)

    def headline(self) -> dict[str, Any]:
        """The figures at the top of the report, as plain data."""
        cov = {
            KIND_KEYS[k]: {LEVEL_KEYS[r]: self.coverage.get(k, {}).get(r, 0) for r in LEVELS}
            | {"total": self.totals(k)}
            for k in COVERED_KINDS
        }
        return {
            "coverage": cov,
            "source_items": self.source_items,
            "source_unlinked": self.source_unlinked,
            "source_stated_gaps": self.source_stated_gaps,
            "target_items": self.target_items,
            "target_unlinked": self.target_unlinked,
            "target_stated_gaps": self.target_stated_gaps,
            "links": len(self.links),
            **(
                {"awaiting_review": self.review.awaiting, "unsure": self.review.unsure}
                if self.review is not None
                else {}
            ),
            "rejected_proposals": len(self.rejections),
        }


KIND_KEYS = {"DevelopmentIssue": "issues", "Goal": "goals", "Indicator": "indicators"}


# -- building ---------------------------------------------------------------------------------------------------


def plan_iri(project: Context, value: str | None, default: str) -> str:
    """A plan given as a full IRI, a path under the base (``id/x``) or a bare slug (``x``)."""
    base = project.base
    if not value:
        return base + default
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return value
    slug = value.strip("/")
    return base + (slug if slug.startswith("id/") else "id/" + slug)


def build(project: Context, source: str | None = None, target: str | None = None, lang: str = "th") -> Report:
    """The report for (source, target) in ``lang`` (th or en)."""
    if lang not in ("th", "en"):
        raise BadRequest(f"lang must be th or en, not {lang!r}")
    src, tgt = plan_iri(project, source, DEFAULT_SOURCE), plan_iri(project, target, DEFAULT_TARGET)
    if src == tgt:
        raise BadRequest("the source and target plans are the same plan; give two different plans")
    pages = Pages(project)
    names = pages.term_labels()
    pair = {"source": src, "target": tgt}

    plans = _plans(project, lang)
    for iri in (src, tgt):
        if iri not in plans:
            raise BadRequest(
                f"<{iri}> is not a development plan covering an area in this graph; plans: "
                + ", ".join(sorted(plans)),
                plans=sorted(plans),
            )
    source_items = _items(project, src, lang, names)
    target_items = _items(project, tgt, lang, names)
    items = {**source_items, **target_items}

    links = []
    for r in curated.rows(project, "alignment-matrix", {**pair, "lang": lang}):
        s, o = r["subject"].value, r["object"].value
        if s not in items or o not in items:
            continue
        links.append(
            Link(
                record=r["record"].value,
                subject=items[s],
                object=items[o],
                relation=r["relation"].value,
                relation_name=_name(names, r["relation"].value, lang, pages),
                relation_curie=pages.curie(r["relation"].value),
                level=r["level"].value,
                level_name=_name(names, r["level"].value, lang, pages),
                rank=int(r["levelRank"].value),
                rationale=_text(r, "rationale"),
            )
        )

    coverage: dict[str, dict[int, int]] = {k: {} for k in COVERED_KINDS}
    by_issue: dict[str, dict[str, dict[int, int]]] = {}
    for r in curated.rows(project, "coverage-by-level", pair):
        kind = _local(r["kind"].value)
        rank, n = int(r["rank"].value), int(r["items"].value)
        scope = r["scope"].value
        target_counts = (
            coverage if scope == tgt else by_issue.setdefault(scope, {k: {} for k in COVERED_KINDS})
        )
        target_counts.setdefault(kind, {})[rank] = n
    coverage_by_issue = sorted(
        (
            IssueCoverage(
                items[i], max((r for r, n in c.get("DevelopmentIssue", {}).items() if n), default=0), c
            )
            for i, c in by_issue.items()
            if i in items
        ),
        key=lambda ic: natural_key(ic.issue.notation),
    )

    source_gaps = _gaps(project, src, tgt, lang, items)
    target_gaps = _gaps(project, tgt, src, lang, items)

    shared = []
    for r in curated.rows(project, "shared-indicators", {**pair, "lang": lang}):
        si, ti = r["sourceIndicator"].value, r["targetIndicator"].value
        shared.append(
            SharedIndicator(
                record=r["record"].value,
                source=items[si],
                target=items[ti],
                relation_name=_name(names, r["relation"].value, lang, pages),
                relation_curie=pages.curie(r["relation"].value),
                same_measure=r["sameMeasure"].value == "true",
                level_name=_name(names, r["level"].value, lang, pages),
                rank=int(r["levelRank"].value),
                rationale=_text(r, "rationale"),
            )
        )

    meta = _record_meta(project, src, tgt, lang)
    for x in links:
        x.method, x.author, x.author_iri, x.date = meta.get(x.record, (None, None, None, None))
    rejections = []
    for r in project.query.rows(REJECTED, {**_pair(src, tgt), "lang": ox.Literal(lang)}):
        s, o = r["subject"].value, r["object"].value
        if s in items and o in items:
            _, author, author_iri, date = meta.get(r["record"].value, (None, None, None, None))
            rejections.append(
                Rejection(
                    r["record"].value,
                    items[s],
                    items[o],
                    _text(r, "reason"),
                    author,
                    author_iri,
                    date,
                    float(r["score"].value) if "score" in r else None,
                )
            )

    cross, caveat = _caveat(plans[src], plans[tgt], lang)
    return Report(
        lang=lang,
        source=plans[src],
        target=plans[tgt],
        cross_cluster=cross,
        caveat=caveat,
        coverage=coverage,
        coverage_by_issue=coverage_by_issue,
        links=links,
        source_gaps=source_gaps,
        target_gaps=target_gaps,
        shared=shared,
        heatmap=_heatmap(source_items, target_items, links),
        source_items=len(source_items),
        target_items=len(target_items),
        queries=_query_links(src, tgt, lang),
        rejections=rejections,
    )


RECORD_META = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?record ?method ?created ?agent ?agentLabel WHERE {
  ?subject plan:inPlan ?source .
  ?record plan:alignmentSubject ?subject ; plan:alignmentObject ?object .
  ?object plan:inPlan ?target .
  OPTIONAL { ?record plan:method ?method }
  OPTIONAL { ?record dcterms:created ?created }
  OPTIONAL {
    ?record prov:wasAttributedTo ?agent .
    OPTIONAL { ?agent rdfs:label ?agentLabel . FILTER (LANG(?agentLabel) = ?lang) }
  }
}"""

REJECTED = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
SELECT ?record ?subject ?object ?reason ?score WHERE {
  ?subject plan:inPlan ?source .
  ?record plan:alignmentSubject ?subject ; plan:alignmentObject ?object .
  ?object plan:inPlan ?target .
  ?record a plan:CurationDecision ; plan:status plan:Rejected .
  OPTIONAL { ?record plan:rationale ?reason }
  OPTIONAL { ?record plan:score ?score }
}
ORDER BY ?record"""


def _pair(src: str, tgt: str) -> dict[str, Any]:
    return {"source": ox.NamedNode(src), "target": ox.NamedNode(tgt)}


def _record_meta(
    project: Context, src: str, tgt: str, lang: str
) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
    """record -> (method, author's name, author's IRI, date) for the records between the two plans."""
    out: dict[str, tuple[str | None, str | None, str | None, str | None]] = {}
    for r in project.query.rows(RECORD_META, {**_pair(src, tgt), "lang": ox.Literal(lang)}):
        out[r["record"].value] = (
            _local(r["method"].value) if "method" in r else None,
            r["agentLabel"].value if "agentLabel" in r else None,
            r["agent"].value if "agent" in r else None,
            r["created"].value if "created" in r else None,
        )
    return out


def _plans(project: Context, lang: str) -> dict[str, Plan]:
    """Every plan with the areas it covers (labelled) and the clusters of the provinces in those areas."""
    plans: dict[str, Plan] = {}
    for r in curated.rows(project, "plan-areas", {"lang": lang}):
        iri, area, kind = r["plan"].value, r["area"].value, _local(r["areaKind"].value)
        p = plans.setdefault(iri, Plan(iri, _text(r, "planLabel") or iri))
        cluster = r["cluster"].value if "cluster" in r else None
        if cluster and all(c["iri"] != cluster for c in p.clusters):
            p.clusters.append({"iri": cluster, "label": _text(r, "clusterLabel") or cluster})
        label = (
            _text(r, "provinceLabel")
            if kind == "Province"
            else _text(r, "clusterLabel")
            if cluster == area
            else None
        )
        if all(a["iri"] != area for a in p.areas):
            p.areas.append({"iri": area, "kind": kind, "label": label or area})
    return plans


def _caveat(source: Plan, target: Plan, lang: str) -> tuple[bool, str]:
    """Whether the two plans belong to different provincial clusters, and what the reader must know."""
    s_clusters = {c["iri"] for c in source.clusters}
    t_clusters = {c["iri"] for c in target.clusters}
    s_area = ", ".join(a.get("label", a["iri"]) for a in source.areas)
    s_cluster = ", ".join(c["label"] for c in source.clusters)
    t_area = ", ".join(a.get("label", a["iri"]) for a in target.areas)
    if s_clusters and t_clusters and not s_clusters & t_clusters:
        th = (
            f"{s_area} อยู่ใน{s_cluster} ไม่ได้อยู่ในพื้นที่ที่แผนปลายทางครอบคลุม ({t_area}) สองแผนนี้จึงเป็นแผนของพื้นที่"
            f"ข้างเคียงกัน ไม่ใช่แผนแม่กับแผนลูก ความเชื่อมโยงในรายงานนี้บอกว่าองค์ประกอบของ{source.label} มุ่งผลเดียวกับ"
            f"องค์ประกอบของ{target.label} (ความสอดคล้องข้ามกลุ่มจังหวัด) ไม่ได้บอกว่า{s_area}ดำเนินการตามแผนนั้น "
            f"และผลการดำเนินงานของ{s_area}ไม่นับรวมในตัวชี้วัดของ{t_area}"
        )
        en = (
            f"{s_area} is in {s_cluster}, not in the area the target plan covers ({t_area}). The two plans are "
            f"plans of neighbouring areas, not a plan and its parent. A link in this report says that an item of "
            f"{source.label} aims at the same ends as an item of {target.label} (cross-cluster alignment); it "
            f"does not say that {s_area} implements that plan, and {s_area}'s results do not count towards "
            f"{t_area}'s indicators."
        )
        return True, either(lang, th, en)
    th = (
        f"{source.label} ครอบคลุม {s_area} และ{target.label} ครอบคลุม {t_area} ความเชื่อมโยงบอกว่าองค์ประกอบมุ่งผลเดียวกัน"
        " ระดับความสอดคล้องบอกว่าครอบคลุมเป้าหมายของแผนปลายทางมากน้อยเพียงใด"
    )
    en = (
        f"{source.label} covers {s_area} and {target.label} covers {t_area}. A link says that two items aim at the "
        "same ends; its level says how much of the target item's aim the source item shares."
    )
    return False, either(lang, th, en)


def _items(project: Context, plan: str, lang: str, names: dict[str, dict[str, str]]) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for r in curated.rows(project, "plan-items", {"plan": plan, "lang": lang}):
        iri = r["item"].value
        kind = _local(r["kind"].value)
        kind_iri = r["kind"].value
        kind_name = (names.get(kind_iri) or {}).get(lang) or kind
        out[iri] = Item(
            iri,
            _text(r, "notation"),
            _text(r, "label") or iri,
            kind,
            kind_name,
            r["issue"].value if "issue" in r else None,
        )
    return out


def _gaps(project: Context, plan: str, other: str, lang: str, items: dict[str, Item]) -> list[Gap]:
    rows = curated.rows(project, "items-without-counterpart", {"plan": plan, "other": other, "lang": lang})
    gaps = [
        Gap(
            items[r["item"].value],
            r["statedGap"].value == "true",
            _text(r, "reason"),
            r["gapRecord"].value if "gapRecord" in r else None,
        )
        for r in rows
        if r["item"].value in items
    ]
    return sorted(gaps, key=lambda g: (KIND_ORDER.get(g.item.kind, 99), natural_key(g.item.notation)))


KIND_ORDER = {k: i for i, k in enumerate(ITEM_KINDS)}


def _heatmap(source: dict[str, Item], target: dict[str, Item], links: list[Link]) -> Heatmap:
    """Rows: the source plan's issues, each followed by its guidelines; columns: the target plan's issues, each
    followed by its goals; a cell: the strongest level of the links from the row item to the column item."""
    rows = _outline(source, "Guideline")
    columns = _outline(target, "Goal")
    on_rows, on_cols = {r.iri for r in rows}, {c.iri for c in columns}
    cells: dict[tuple[str, str], int] = {}
    records: dict[tuple[str, str], str] = {}
    for x in links:
        key = (x.subject.iri, x.object.iri)
        if key[0] in on_rows and key[1] in on_cols and x.rank > cells.get(key, 0):
            cells[key], records[key] = x.rank, x.record
    return Heatmap(rows, columns, cells, records)


def _outline(items: dict[str, Item], under: str) -> list[Item]:
    issues = sorted(
        (i for i in items.values() if i.kind == "DevelopmentIssue"), key=lambda i: natural_key(i.notation)
    )
    out: list[Item] = []
    for issue in issues:
        out.append(issue)
        out += sorted(
            (i for i in items.values() if i.kind == under and i.issue == issue.iri),
            key=lambda i: natural_key(i.notation),
        )
    return out


def _query_links(src: str, tgt: str, lang: str) -> dict[str, str]:
    from urllib.parse import urlencode

    pair = {"source": src, "target": tgt, "lang": lang}
    return {
        "coverage": "/queries/coverage-by-level?" + urlencode({"source": src, "target": tgt, "lang": lang}),
        "links": "/queries/alignment-matrix?" + urlencode(pair),
        "shared": "/queries/shared-indicators?" + urlencode(pair),
        "source_gaps": "/queries/items-without-counterpart?"
        + urlencode({"plan": src, "other": tgt, "lang": lang}),
        "target_gaps": "/queries/items-without-counterpart?"
        + urlencode({"plan": tgt, "other": src, "lang": lang}),
        "areas": "/queries/plan-areas?" + urlencode({"lang": lang}),
        "anchors": "/queries/same-anchor-no-link?" + urlencode(pair),
    }


# -- small helpers --------------------------------------------------------------------------------------------


def _text(row: dict[str, Any], name: str) -> str | None:
    t = row.get(name)
    return t.value if isinstance(t, ox.Literal) else None


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _name(names: dict[str, dict[str, str]], iri: str, lang: str, pages: Pages) -> str:
    return pages.term_name(iri, lang, names)


def level_name(rank: int, lang: str) -> str:
    return either(lang, *LEVEL_NAMES[rank])


def kind_name(kind: str, lang: str) -> str:
    return either(lang, *KIND_NAMES[kind])
