"""A deterministic generator of national-scale planlink data, for the benchmarks.

    .venv/bin/python bench/generate.py --scale medium [--seed 6] [--out bench/out/medium]

writes a planlink project folder: ontology/, shapes/ and queries/ are copies of the checkout's (a snapshot: the
checkout may change while a benchmark runs), data/ holds the real data (copied unchanged) plus generated files, one Turtle file per plan, per alignment and per year of
anchors, and one file of the areas the real data lacks. Scales:

- ``small``:  the real data only (a copy of the checkout's data/);
- ``tiny``:   two clusters (Lower Northern 2, Upper Northeastern 2), one fiscal year: for the tests;
- ``medium``: all 18 provincial clusters and their 76 provinces, one fiscal year (2564): about 100k triples;
- ``large``:  all of them over ten fiscal years (2555-2564): about 1M triples.

Everything follows planlink's ontology, IRI scheme (docs/DATA.md) and shapes: a plan per province and per cluster
per fiscal year, with items in the proportions of the two real plans (a cluster plan has missions, plan-level
indicators restated under its issues as one resource, issues with an objective, goals and indicators, a value
chain and key success factors; a provincial plan has a target, indicators, missions and issues with guidelines);
Thai and English labels recombined from the phrases of the real labels (so that text search behaves as on real
text); and, for each provincial plan, curated alignment records to its own cluster's plan of the same year (with
relations, levels, Thai and English rationales and the plain SKOS triple) in the proportions of the real
alignment, and no-counterpart records for the gaps. The real FY2564 Nakhon Sawan strategy stands in for its
generated twin. Generated plans say in their description that they are synthetic.

The same seed writes the same bytes: every plan draws from its own ``random.Random(f"{seed}/{slug}")``, and
the output never depends on set or hash order. Text is written as it is produced (no RDF graph is built).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provinces import CLUSTERS

REPO = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/planlink/"
ID = BASE + "id/"
PLAN = "https://w3id.org/planlink/def/plan#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SDG = "http://metadata.un.org/sdg/"
DEFAULT_SEED = 6
CREATED = '"2026-11-21"^^xsd:date'


@dataclass(frozen=True)
class Scale:
    clusters: tuple[str, ...]  # cluster slugs; empty = real data only
    years: tuple[int, ...]


ALL = tuple(c[0] for c in CLUSTERS)
SCALES = {
    "small": Scale((), ()),
    "tiny": Scale(("lower-north-2", "upper-northeast-2"), (2564,)),
    "medium": Scale(ALL, (2564,)),
    "large": Scale(ALL, tuple(range(2555, 2565))),
}

PREFIXES = """@prefix plan:    <https://w3id.org/planlink/def/plan#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
"""

# The PDF-extraction damage the spelling shape (shapes/plan-shapes.ttl, ThaiLabelSpellingShape) refuses in labels.
DAMAGE = re.compile(
    "ุา|ปุ[ก-ฮ]|([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1|[\u0e48-\u0e4b][\u0e48-\u0e4b]"
    "|จาหน่าย|ดาเนิน|ดาริ|ทาให้|(^|[^ฒว])นาแนว"
)
# Damage to put back into a generated plan:sourceText (with its plan:correction), as the real sources have it.
REDAMAGE = (("จำหน่าย", "จาหน่าย"), ("ดำเนิน", "ดาเนิน"), ("ทำให้", "ทาให้"), ("ป่าไม้", "ปุาไม้"), ("น้ำ", "น้้ำ"))

KIND_TH = {
    "DevelopmentTarget": "เป้าหมายการพัฒนา",
    "Indicator": "ตัวชี้วัด",
    "Mission": "พันธกิจ",
    "DevelopmentIssue": "ประเด็น",
    "Guideline": "แนวทาง",
    "Goal": "เป้าหมาย",
    "Objective": "วัตถุประสงค์",
    "ValueChainElement": "ห่วงโซ่คุณค่า",
    "KeySuccessFactor": "ปัจจัยความสำเร็จ",
}
KIND_EN = {
    "DevelopmentTarget": "development target",
    "Indicator": "indicator",
    "Mission": "mission",
    "DevelopmentIssue": "issue",
    "Guideline": "guideline",
    "Goal": "goal",
    "Objective": "objective",
    "ValueChainElement": "value-chain element",
    "KeySuccessFactor": "key success factor",
}
REL_TH = {
    "exactMatch": "ตรงกับ",
    "closeMatch": "มุ่งผลเดียวกับ",
    "broadMatch": "เป็นส่วนหนึ่งของ",
    "narrowMatch": "ครอบคลุม",
    "relatedMatch": "เกี่ยวข้องกับ",
}
REL_EN = {
    "exactMatch": "states the same aim as",
    "closeMatch": "aims at the same result as",
    "broadMatch": "is part of",
    "narrowMatch": "covers",
    "relatedMatch": "is related to",
}


# --------------------------------------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    """What the real data offers: labels per item kind, rationales, anchors, and the shape of its alignment."""

    labels: dict[str, list[tuple[str, str]]]
    issue_anchors: list[tuple[tuple[str, str], list[str]]]
    rationale_chunks_th: list[list[str]]
    rationale_sentences_en: list[str]
    records_per_subject: list[int]
    gap_share: float
    relation_levels: list[tuple[str, str]]
    object_kinds: dict[str, list[str]]
    real_areas: list[str]
    real_plans: list[str]


def _q(store: ox.Store, text: str) -> list[list[str]]:
    prologue = f"PREFIX plan: <{PLAN}> PREFIX skos: <{SKOS}> "
    rows = [
        [t.value if t is not None else "" for t in sol]
        for sol in store.query(prologue + text, use_default_graph_as_union=True)
    ]
    return sorted(rows)


def read_vocabulary(data_dir: Path) -> Vocabulary:
    store = ox.Store()
    for p in sorted(data_dir.glob("*.ttl")):
        store.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/" + p.stem))
    labels: dict[str, list[tuple[str, str]]] = {}
    for kind, th, en in _q(
        store,
        """SELECT ?kind ?th ?en WHERE { ?i plan:inPlan ?p ; a ?k ;
            skos:prefLabel ?th , ?en FILTER(lang(?th) = "th" && lang(?en) = "en")
            BIND(STRAFTER(STR(?k), "#") AS ?kind) }""",
    ):
        labels.setdefault(kind, []).append((th, en))
    anchors: dict[tuple[str, str], list[str]] = {}
    for th, en, target in _q(
        store,
        """SELECT ?th ?en ?t WHERE { ?i a plan:DevelopmentIssue ; plan:contributesTo ?t ;
            skos:prefLabel ?th , ?en FILTER(lang(?th) = "th" && lang(?en) = "en") }""",
    ):
        anchors.setdefault((th, en), []).append(target)
    chunks_th, sentences_en = [], []
    for th, en in _q(
        store,
        """SELECT ?th ?en WHERE { ?r a plan:AlignmentRecord ; plan:rationale ?th , ?en
            FILTER(lang(?th) = "th" && lang(?en) = "en") }""",
    ):
        chunks_th.append(th.split())
        sentences_en += [s.strip() for s in re.split(r"(?<=[.;:])\s+", en) if len(s.split()) >= 6]
    per_subject = [
        int(n)
        for (n,) in _q(
            store,
            """SELECT (COUNT(?r) AS ?n) WHERE { ?r a plan:AlignmentRecord ;
            plan:alignmentSubject ?s } GROUP BY ?s""",
        )
    ]
    gaps = len(_q(store, "SELECT ?r WHERE { ?r a plan:NoCounterpartRecord }"))
    rel_levels = [
        (rel.rsplit("#", 1)[1], lvl.rsplit("#", 1)[1])
        for rel, lvl, _ in _q(
            store,
            """SELECT ?rel ?lvl ?r
            WHERE { ?r a plan:AlignmentRecord ; plan:mappingRelation ?rel ; plan:level ?lvl }""",
        )
    ]
    kinds: dict[str, list[str]] = {}
    for sk, ok, _ in _q(
        store,
        """SELECT ?sk ?ok ?r WHERE { ?r a plan:AlignmentRecord ; plan:alignmentSubject ?s ;
            plan:alignmentObject ?o . ?s a ?st . ?o a ?ot
            BIND(STRAFTER(STR(?st), "#") AS ?sk) BIND(STRAFTER(STR(?ot), "#") AS ?ok) }""",
    ):
        kinds.setdefault(sk, []).append(ok)
    areas = [
        a
        for (a,) in _q(
            store,
            "SELECT DISTINCT ?a WHERE { ?a a ?k FILTER(?k IN (plan:Province, plan:ProvincialCluster)) }",
        )
    ]
    plans = [
        p
        for (p,) in _q(
            store,
            "SELECT DISTINCT ?p WHERE { ?p a ?k FILTER(?k IN (plan:ProvincialPlan, plan:ClusterPlan)) }",
        )
    ]
    subjects = len(per_subject) + gaps
    return Vocabulary(
        labels,
        sorted(anchors.items()),
        chunks_th,
        sentences_en,
        per_subject,
        gaps / subjects if subjects else 0.07,
        rel_levels,
        kinds,
        areas,
        plans,
    )


# --------------------------------------------------------------------------------------------- text


def lit(value: str, lang: str | None = None) -> str:
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


def iri(value: str) -> str:
    return f"<{value}>"


def _balanced(text: str) -> str:
    for a, b in (("(", ")"), ("“", "”"), ('"', '"')):
        if text.count(a) != text.count(b) or (a == b and text.count(a) % 2):
            text = text.replace(a, "").replace(b, "")
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def recombine(rng: random.Random, bank: list[tuple[str, str]]) -> tuple[str, str, tuple[str, str]]:
    """A new (Thai, English) label: the head of one real label joined to the tail of another, in both languages
    at proportional cut points. Returns the label and the real label its head came from."""
    for _ in range(50):
        a, b = bank[rng.randrange(len(bank))], bank[rng.randrange(len(bank))]
        if a == b and len(bank) > 1:
            continue
        ta, tb, ea, eb = a[0].split(), b[0].split(), a[1].split(), b[1].split()
        i = rng.randint(1, len(ta) - 1) if len(ta) > 1 else 1
        j = rng.randint(1, len(tb) - 1) if len(tb) > 1 else (0 if len(ta) == 1 else 1)
        th = _balanced(" ".join(ta[:i] + tb[j:]))
        ei = max(1, round(len(ea) * i / len(ta)))
        ej = min(len(eb), round(len(eb) * j / len(tb)))
        en = _balanced(" ".join(ea[:ei] + eb[ej:]))
        if th and en and not DAMAGE.search(th):
            return th, en[:1].upper() + en[1:], a
    return a[0], a[1], a


def unit_of(th: str) -> str:
    if "ร้อยละ" in th:
        return "Percent"
    if "จำนวน" in th:
        return "Count"
    if "อัตรา" in th:
        return "Rate"
    if "ดัชนี" in th or "ระดับ" in th:
        return "IndexValue"
    return "UnitNotStated"


def direction_of(th: str) -> str | None:
    return "Increase" if "เพิ่มขึ้น" in th else "Decrease" if "ลดลง" in th else None


# --------------------------------------------------------------------------------------------- writing


class TurtleFile:
    """Turtle written subject by subject, straight to disk; counts the triples it writes."""

    def __init__(self, path: Path, header: str) -> None:
        self.path = path
        self.out: TextIO = path.open("w", encoding="utf-8", newline="\n")
        self.out.write(header.rstrip("\n") + "\n\n" + PREFIXES + "\n")
        self.triples = 0

    def subject(self, s: str, pairs: Iterable[tuple[str, object]]) -> None:
        grouped: dict[str, list[str]] = {}
        for p, o in pairs:
            if o is None:
                continue
            for v in o if isinstance(o, list) else [o]:
                grouped.setdefault(p, []).append(str(v))
        if not grouped:
            return
        lines = []
        for p, objs in grouped.items():
            lines.append(f"    {p} " + " ,\n        ".join(objs))
            self.triples += len(objs)
        self.out.write(f"{s}\n" + " ;\n".join(lines) + " .\n\n")

    def close(self) -> None:
        self.out.close()


@dataclass
class Item:
    iri: str
    kind: str
    notations: list[str]
    position: int
    th: str
    en: str
    sources: list[str]
    extra: list[tuple[str, object]] = field(default_factory=list)
    head: tuple[str, str] | None = None
    plan_level: int | None = None

    @property
    def notation(self) -> str:
        return self.notations[-1]


def _source_and_correction(rng: random.Random, item: Item, numbering: str) -> None:
    source = f"{numbering}. {item.th}"
    for good, bad in REDAMAGE:
        if good in item.th and rng.random() < 0.35:
            source = source.replace(good, bad, 1)
            item.extra.append(
                (
                    "plan:correction",
                    [
                        lit(f'"{bad}" → "{good}" (ความเสียหายจากการถอดข้อความ PDF)', "th"),
                        lit(f'"{bad}" → "{good}" (damage from the PDF extraction)', "en"),
                    ],
                )
            )
            break
    item.sources.append(source)


def write_item(f: TurtleFile, item: Item, plan_iri: str) -> None:
    f.subject(
        iri(item.iri),
        [
            ("a", f"plan:{item.kind}"),
            ("plan:inPlan", iri(plan_iri)),
            ("skos:inScheme", iri(plan_iri)),
            ("skos:notation", [lit(n) for n in item.notations]),
            ("plan:planLevelPosition", item.plan_level),
            ("plan:position", item.position),
            ("skos:prefLabel", [lit(item.th, "th"), lit(item.en, "en")]),
            ("plan:sourceText", [lit(s, "th") for s in item.sources]),
            *item.extra,
        ],
    )


@dataclass
class PlanSpec:
    slug: str
    kind: str  # "ClusterPlan" or "ProvincialPlan"
    area: str
    th_name: str  # province or cluster name in Thai (without จังหวัด/กลุ่มจังหวัด)
    en_name: str
    year: int
    previous: str | None
    items: list[Item] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return ID + self.slug

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def _n(rng: random.Random, choices: list[int]) -> int:
    return choices[rng.randrange(len(choices))]


def build_plan(spec: PlanSpec, vocab: Vocabulary, rng: random.Random) -> PlanSpec:
    """The items of one plan, in the proportions of the real plan of its kind."""
    L = vocab.labels
    P = spec.iri

    def make(
        kind: str,
        path: str,
        notations: list[str],
        position: int,
        bank: str | list[str],
        numbering: str,
        **kw: object,
    ) -> Item:
        pool = [x for k in ([bank] if isinstance(bank, str) else bank) for x in L.get(k, [])]
        th, en, head = recombine(rng, pool)
        item = Item(f"{P}/{path}", kind, notations, position, th, en, [], head=head, **kw)  # type: ignore[arg-type]
        _source_and_correction(rng, item, numbering)
        if kind == "Indicator":
            item.extra.append(("plan:unit", f"plan:{unit_of(th)}"))
            d = direction_of(th)
            if d:
                item.extra.append(("plan:direction", f"plan:{d}"))
        return item

    top: list[Item] = []
    if spec.kind == "ProvincialPlan":
        target = make("DevelopmentTarget", "target", ["1"], 1, ["DevelopmentTarget", "Mission"], "1")
        target.th = f"{spec.th_name}{target.th}"
        target.en = f"{spec.en_name}: {target.en[:1].lower()}{target.en[1:]}"
        target.sources = [f"{spec.th_name}{s[3:]}" for s in target.sources]
        top.append(target)
        for n in range(1, _n(rng, [3, 4, 4, 4, 5]) + 1):
            top.append(make("Indicator", f"indicator/{n}", [str(n)], n, "Indicator", f"  {n}"))
        for n in range(1, _n(rng, [3, 4, 4, 4, 5]) + 1):
            top.append(make("Mission", f"mission/{n}", [str(n)], n, "Mission", f"  {n}"))
        issues = _n(rng, [3, 4, 4, 4, 5])
        under: list[Item] = []
        for n in range(1, issues + 1):
            issue = make(
                "DevelopmentIssue", f"issue/{n}", [str(n)], n, "DevelopmentIssue", f"ประเด็นการพัฒนา {n}"
            )
            top.append(issue)
            guidelines = []
            for k in range(1, _n(rng, [6, 4, 4, 2]) + 1):
                g = make("Guideline", f"issue/{n}/guideline/{k}", [f"{n}.{k}"], k, "Guideline", f"{n}.{k}")
                g.extra.append(("skos:broader", iri(issue.iri)))
                guidelines.append(g)
            issue.extra.append(("plan:hasGuideline", [iri(g.iri) for g in guidelines]))
            under += guidelines
        spec.items = top + under
    else:
        for n in range(1, _n(rng, [3, 4, 4, 4, 5]) + 1):
            top.append(make("Mission", f"mission/{n}", [str(n)], n, "Mission", f"{n}"))
        issues = _n(rng, [4, 5, 5, 5, 6])
        counts = [_n(rng, [9, 4, 8, 12, 7]) for _ in range(issues)]
        slots = [(n, k) for n in range(1, issues + 1) for k in range(1, counts[n - 1] + 1)]
        shared = sorted(rng.sample(range(len(slots)), round(len(slots) * 15 / 40)))
        plan_level = {slots[s]: pos for pos, s in enumerate(shared, start=1)}
        under = []
        issue_items = []
        for n in range(1, issues + 1):
            issue = make(
                "DevelopmentIssue", f"issue/{n}", [str(n)], n, "DevelopmentIssue", f"ประเด็นการพัฒนาที่ {n}"
            )
            issue_items.append(issue)
            obj = make("Objective", f"issue/{n}/objective", [str(n)], 1, "Objective", f"วัตถุประสงค์ {n}")
            goals = [
                make("Goal", f"issue/{n}/goal/{k}", [f"{n}.{k}"], k, "Goal", f"{n}.{k}")
                for k in range(1, _n(rng, [3, 2, 4, 7, 3]) + 1)
            ]
            indicators = []
            for k in range(1, counts[n - 1] + 1):
                pos = plan_level.get((n, k))
                if pos is None:
                    ind = make("Indicator", f"issue/{n}/indicator/{k}", [f"{n}.{k}"], k, "Indicator", f"{k}")
                else:
                    ind = make(
                        "Indicator",
                        f"indicator/{pos}",
                        [str(pos), f"{n}.{k}"],
                        k,
                        "Indicator",
                        f"{pos}",
                        plan_level=pos,
                    )
                    ind.sources.append(f"{k}. {ind.th}")
                    ind.extra.append(("skos:topConceptOf", iri(P)))
                indicators.append(ind)
            for x in [obj, *goals, *indicators]:
                x.extra.append(("skos:broader", iri(issue.iri)))
            issue.extra += [
                ("plan:hasObjective", iri(obj.iri)),
                ("plan:hasGoal", [iri(g.iri) for g in goals]),
                ("plan:hasIndicator", [iri(i.iri) for i in indicators]),
            ]
            under += [obj, *goals, *indicators]
        vce = [
            make("ValueChainElement", f"value-chain/{n}", [str(n)], n, "ValueChainElement", f"{n}")
            for n in range(1, _n(rng, [5, 6, 6, 7]) + 1)
        ]
        ksf = [
            make("KeySuccessFactor", f"ksf/{n}", [str(n)], n, "KeySuccessFactor", f"{n}")
            for n in range(1, _n(rng, [3, 4, 4, 5]) + 1)
        ]
        top += issue_items + vce + ksf
        spec.items = top + under
    for i in top:
        i.extra.append(("skos:topConceptOf", iri(P)))
    return spec


def write_plan(folder: Path, spec: PlanSpec, seed: int) -> int:
    P = spec.iri
    if spec.kind == "ProvincialPlan":
        title_th = f"ยุทธศาสตร์การพัฒนาจังหวัด{spec.th_name} ปีงบประมาณ พ.ศ. {spec.year}"
        title_en = f"{spec.en_name} Provincial Development Strategy, Fiscal Year {spec.year - 543} (B.E. {spec.year})"
    else:
        title_th = f"แผนพัฒนากลุ่มจังหวัด{spec.th_name} ปีงบประมาณ พ.ศ. {spec.year}"
        title_en = f"Development plan of the {spec.en_name}, Fiscal Year {spec.year - 543} (B.E. {spec.year})"
    f = TurtleFile(
        folder / f"{spec.slug}.ttl",
        f"# SYNTHETIC planlink data for benchmarks (bench/generate.py, seed {seed}): {title_en}.\n"
        f"# Not a real plan. Named graph: {BASE}graph/{spec.slug}",
    )
    items = spec.items
    rel = {
        "DevelopmentTarget": "plan:hasDevelopmentTarget",
        "Mission": "plan:hasMission",
        "DevelopmentIssue": "plan:hasIssue",
        "ValueChainElement": "plan:hasValueChainElement",
        "KeySuccessFactor": "plan:hasKeySuccessFactor",
    }
    links: list[tuple[str, object]] = []
    for kind, prop in rel.items():
        found = [iri(i.iri) for i in items if i.kind == kind]
        if found:
            links.append((prop, found))
    plan_ind = [i for i in items if i.kind == "Indicator" and i.iri.startswith(P + "/indicator/")]
    if plan_ind:
        links.append(("plan:hasPlanIndicator", [iri(i.iri) for i in plan_ind]))
    source = f"{ID}source/synthetic-{spec.slug}"
    f.subject(
        iri(P),
        [
            ("a", f"plan:{spec.kind}"),
            ("dcterms:title", [lit(title_th, "th"), lit(title_en, "en")]),
            ("skos:prefLabel", [lit(title_th, "th"), lit(title_en, "en")]),
            (
                "dcterms:description",
                [
                    lit(
                        f"ข้อมูลสังเคราะห์สำหรับการทดสอบประสิทธิภาพ สร้างโดย bench/generate.py (seed {seed}) "
                        f"ไม่ใช่แผนจริง",
                        "th",
                    ),
                    lit(
                        f"Synthetic data for benchmarks, made by bench/generate.py (seed {seed}); "
                        f"not a real plan.",
                        "en",
                    ),
                ],
            ),
            ("plan:fiscalYear", spec.year),
            ("plan:coversArea", iri(ID + "area/" + spec.area)),
            ("plan:sourceDocument", iri(source)),
            ("prov:wasRevisionOf", iri(ID + spec.previous) if spec.previous else None),
            *links,
            (
                "skos:hasTopConcept",
                [iri(i.iri) for i in items if any(p == "skos:topConceptOf" for p, _ in i.extra)],
            ),
        ],
    )
    f.subject(
        iri(source),
        [
            ("a", "plan:SourceDocument"),
            ("plan:sourceFile", lit(f"synthetic-{spec.slug}.txt")),
            ("dcterms:title", [lit(title_th, "th"), lit(title_en, "en")]),
            ("dcterms:language", lit("th")),
        ],
    )
    for item in items:
        write_item(f, item, P)
    f.close()
    return f.triples


def write_alignment(
    folder: Path, prov: PlanSpec, cluster: PlanSpec, vocab: Vocabulary, rng: random.Random, seed: int
) -> int:
    name = f"{prov.slug}--{cluster.slug}"
    f = TurtleFile(
        folder / f"alignment-{name}.ttl",
        f"# SYNTHETIC curated alignment for benchmarks (bench/generate.py, seed {seed}):\n"
        f"# {prov.iri} -> {cluster.iri} (the province's own cluster, same fiscal year). Not real.",
    )
    agent = iri(ID + "agent/planlink-curators")
    n = gap = 0
    for subj in prov.items:
        if rng.random() < vocab.gap_share:
            gap += 1
            f.subject(
                iri(f"{ID}alignment/{name}/gap/{gap}"),
                [
                    ("a", "plan:NoCounterpartRecord"),
                    (
                        "rdfs:label",
                        [
                            lit(
                                f"{prov.th_name} {KIND_TH[subj.kind]} {subj.notation} — ไม่มีองค์ประกอบคู่ใน"
                                f"แผนพัฒนากลุ่มจังหวัด{cluster.th_name}",
                                "th",
                            ),
                            lit(
                                f"{prov.en_name} {KIND_EN[subj.kind]} {subj.notation} — no counterpart in the "
                                f"{cluster.en_name} plan",
                                "en",
                            ),
                        ],
                    ),
                    ("plan:alignmentSubject", iri(subj.iri)),
                    ("plan:targetPlan", iri(cluster.iri)),
                    (
                        "plan:rationale",
                        [
                            lit(
                                f"“{subj.th}” ไม่มีองค์ประกอบคู่ในแผนพัฒนากลุ่มจังหวัด{cluster.th_name} "
                                + " ".join(_chunk_run(rng, vocab)),
                                "th",
                            ),
                            lit(
                                f"“{subj.en}” has no counterpart in the {cluster.en_name} plan. "
                                + _sentence(rng, vocab),
                                "en",
                            ),
                        ],
                    ),
                    ("plan:method", "plan:Curated"),
                    ("plan:status", "plan:Accepted"),
                    ("dcterms:created", CREATED),
                    ("prov:wasAttributedTo", agent),
                ],
            )
            continue
        kinds = vocab.object_kinds.get(subj.kind) or ["DevelopmentIssue"]
        used: list[str] = []
        for _ in range(_n(rng, vocab.records_per_subject)):
            pool = cluster.of_kind(kinds[rng.randrange(len(kinds))]) or cluster.of_kind("DevelopmentIssue")
            obj = pool[rng.randrange(len(pool))]
            if obj.iri in used:
                continue
            used.append(obj.iri)
            n += 1
            relation, level = vocab.relation_levels[rng.randrange(len(vocab.relation_levels))]
            f.subject(
                iri(f"{ID}alignment/{name}/{n}"),
                [
                    ("a", "plan:AlignmentRecord"),
                    (
                        "rdfs:label",
                        [
                            lit(
                                f"{prov.th_name} {KIND_TH[subj.kind]} {subj.notation} ↔ กลุ่มจังหวัด "
                                f"{KIND_TH[obj.kind]} {obj.notation}",
                                "th",
                            ),
                            lit(
                                f"{prov.en_name} {KIND_EN[subj.kind]} {subj.notation} ↔ Cluster "
                                f"{KIND_EN[obj.kind]} {obj.notation}",
                                "en",
                            ),
                        ],
                    ),
                    ("plan:alignmentSubject", iri(subj.iri)),
                    ("plan:alignmentObject", iri(obj.iri)),
                    ("plan:mappingRelation", f"skos:{relation}"),
                    ("plan:level", f"plan:{level}"),
                    (
                        "plan:rationale",
                        [
                            lit(
                                f"“{subj.th}” ของจังหวัด{prov.th_name} {REL_TH[relation]} “{obj.th}” ของแผน"
                                f"พัฒนากลุ่มจังหวัด{cluster.th_name} " + " ".join(_chunk_run(rng, vocab)),
                                "th",
                            ),
                            lit(
                                f"“{subj.en}” ({prov.en_name}) {REL_EN[relation]} “{obj.en}” "
                                f"({cluster.en_name}). " + _sentence(rng, vocab),
                                "en",
                            ),
                        ],
                    ),
                    ("plan:method", "plan:Curated"),
                    ("plan:status", "plan:Accepted"),
                    ("dcterms:created", CREATED),
                    ("prov:wasAttributedTo", agent),
                ],
            )
            f.subject(iri(subj.iri), [(f"skos:{relation}", iri(obj.iri))])
    f.close()
    return f.triples


def _chunk_run(rng: random.Random, vocab: Vocabulary) -> list[str]:
    chunks = vocab.rationale_chunks_th[rng.randrange(len(vocab.rationale_chunks_th))]
    start = rng.randrange(max(1, len(chunks) - 8))
    return chunks[start : start + 8]


def _sentence(rng: random.Random, vocab: Vocabulary) -> str:
    return vocab.rationale_sentences_en[rng.randrange(len(vocab.rationale_sentences_en))]


def write_anchors(folder: Path, year: int, plans: list[PlanSpec], vocab: Vocabulary, seed: int) -> int:
    f = TurtleFile(
        folder / f"anchors-{year}.ttl",
        f"# SYNTHETIC anchors for benchmarks (bench/generate.py, seed {seed}): the national strategies\n"
        f"# and SDGs each generated FY{year} development issue serves. Not real.",
    )
    heads = dict(vocab.issue_anchors)
    fallback = [t for _, ts in vocab.issue_anchors for t in ts] or [ID + "national-strategy/2", SDG + "8"]
    for spec in plans:
        rng = random.Random(f"{seed}/anchors/{spec.slug}")
        for issue in spec.of_kind("DevelopmentIssue"):
            targets = list(heads.get(issue.head or ("", ""), []))
            if not targets:
                targets = sorted({fallback[rng.randrange(len(fallback))] for _ in range(3)})
            if len(targets) > 2 and rng.random() < 0.3:
                targets.pop(rng.randrange(len(targets)))
            f.subject(iri(issue.iri), [("plan:contributesTo", [iri(t) for t in targets])])
    f.close()
    return f.triples


def write_areas(folder: Path, clusters: list[tuple], vocab: Vocabulary, seed: int) -> int:
    real = set(vocab.real_areas)
    todo = [c for c in clusters if ID + "area/" + c[0] not in real]
    if not todo:
        return 0
    f = TurtleFile(
        folder / "areas-national.ttl",
        f"# planlink areas for the benchmarks (bench/generate.py, seed {seed}): the provincial clusters\n"
        f"# (as composed in the 2560s B.E.) and provinces that data/areas.ttl does not describe.\n"
        f"# The names and ISO 3166-2 codes are real; the file is generated.",
    )
    for slug, th, en, provinces in todo:
        c = ID + "area/" + slug
        f.subject(
            iri(c),
            [
                ("a", "plan:ProvincialCluster"),
                ("skos:prefLabel", [lit(f"กลุ่มจังหวัด{th}", "th"), lit(en, "en")]),
                ("rdfs:label", [lit(f"กลุ่มจังหวัด{th}", "th"), lit(en, "en")]),
                ("org:hasMember", [iri(ID + "area/" + p[0]) for p in provinces]),
            ],
        )
        for pslug, pth, pen, code in provinces:
            f.subject(
                iri(ID + "area/" + pslug),
                [
                    ("a", "plan:Province"),
                    ("skos:prefLabel", [lit(f"จังหวัด{pth}", "th"), lit(f"{pen} Province", "en")]),
                    ("rdfs:label", [lit(f"จังหวัด{pth}", "th"), lit(f"{pen} Province", "en")]),
                    ("skos:altLabel", [lit(pth, "th"), lit(pen, "en")]),
                    ("skos:notation", lit(code)),
                    ("plan:isoCode", lit(code)),
                    ("org:memberOf", iri(c)),
                ],
            )
    f.close()
    return f.triples


# --------------------------------------------------------------------------------------------- the folder


def _copy(source: Path, target: Path) -> None:
    """A snapshot (not a link): the checkout may change while a benchmark runs on the folder."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target, symlinks=False)
    else:
        shutil.copyfile(source, target)


def generate(
    scale: str, out: Path, seed: int = DEFAULT_SEED, repo: Path = REPO, log: TextIO | None = None
) -> dict:
    """Write the project folder for ``scale`` into ``out`` (replacing its data/); return what was written."""
    spec = SCALES[scale]
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes", "queries"):
        _copy(repo / name, out / name)
    for stale in ("var",):  # a persisted store or validation result of another generation must not be reused
        if (out / stale).exists():
            shutil.rmtree(out / stale)
    data = out / "data"
    if data.is_symlink() or data.is_file():
        data.unlink()
    elif data.exists():
        shutil.rmtree(data)
    if not spec.clusters:
        _copy(repo / "data", data)
        return {
            "scale": scale,
            "files": len(list((repo / "data").glob("*.ttl"))),
            "generated_triples": 0,
            "seconds": time.perf_counter() - started,
        }
    data.mkdir()
    for p in sorted((repo / "data").glob("*.ttl")):
        _copy(p, data / p.name)
    vocab = read_vocabulary(repo / "data")
    real_plans = set(vocab.real_plans)
    clusters = [c for c in CLUSTERS if c[0] in spec.clusters]
    triples = write_areas(data, clusters, vocab, seed)
    files = 1 if triples else 0
    for year in spec.years:
        year_plans: list[PlanSpec] = []
        for cslug, cth, cen, provinces in clusters:
            cs = f"{cslug}-{year}"
            prev = f"{cslug}-{year - 1}" if year - 1 in spec.years else None
            cluster = build_plan(
                PlanSpec(cs, "ClusterPlan", cslug, cth, cen, year, prev), vocab, random.Random(f"{seed}/{cs}")
            )
            triples += write_plan(data, cluster, seed)
            files += 1
            year_plans.append(cluster)
            for pslug, pth, pen, _code in provinces:
                ps = f"{pslug}-{year}"
                if ID + ps in real_plans:  # the real plan stands in for its generated twin
                    continue
                prev_slug = f"{pslug}-{year - 1}"
                prev = prev_slug if (year - 1 in spec.years or ID + prev_slug in real_plans) else None
                prov = build_plan(
                    PlanSpec(ps, "ProvincialPlan", pslug, pth, pen, year, prev),
                    vocab,
                    random.Random(f"{seed}/{ps}"),
                )
                triples += write_plan(data, prov, seed)
                triples += write_alignment(
                    data, prov, cluster, vocab, random.Random(f"{seed}/align/{ps}"), seed
                )
                files += 2
                year_plans.append(prov)
        triples += write_anchors(data, year, year_plans, vocab, seed)
        files += 1
        if log:
            print(
                f"  FY{year}: {len(year_plans)} plans, {triples} generated triples so far",
                file=log,
                flush=True,
            )
    return {
        "scale": scale,
        "files": files,
        "generated_triples": triples,
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=sorted(SCALES), required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument(
        "--out", type=Path, default=None, help="project folder to write (default bench/out/<scale>)"
    )
    args = ap.parse_args(argv)
    out = args.out or REPO / "bench" / "out" / args.scale
    info = generate(args.scale, out, args.seed, log=sys.stderr)
    print(
        f"{args.scale}: wrote {info['files']} generated files, {info['generated_triples']} triples "
        f"(plus the real data) into {out} in {info['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
