"""What the HTML pages show, read with a few SPARQL queries through the query service (no Flask here).

Each function returns plain Python data for a template: the home page's figures, a plan as a tree, an item's
alignment records and anchors, the plans covering an area, the goals of a reference framework with the
issues that serve them, and readable names of vocabulary terms in Thai and English.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from planlink.engine.store import graph_iri
from planlink.foundation.namespaces import prefixes, sparql_prologue
from planlink.foundation.text import natural_key, pick, pick_from
from planlink.readmodels.metadata import ITEMS_QUERY

# Readable names of the terms the data uses from other vocabularies (the ontology labels its own terms).
VOCABULARY_LABELS: dict[str, tuple[str, str]] = {
    "rdf:type": ("ชนิด", "type"),
    "rdfs:label": ("ป้ายชื่อ", "label"),
    "rdfs:comment": ("หมายเหตุ", "comment"),
    "rdfs:subClassOf": ("เป็นชนิดย่อยของ", "subclass of"),
    "skos:prefLabel": ("ป้ายชื่อหลัก", "preferred label"),
    "skos:altLabel": ("ป้ายชื่อรอง", "alternative label"),
    "skos:notation": ("เลขลำดับหรือรหัส", "notation"),
    "skos:inScheme": ("อยู่ในชุด", "in scheme"),
    "skos:topConceptOf": ("เป็นหัวข้อบนสุดของ", "top concept of"),
    "skos:hasTopConcept": ("มีหัวข้อบนสุด", "has top concept"),
    "skos:broader": ("อยู่ภายใต้", "broader"),
    "skos:narrower": ("มีหัวข้อย่อย", "narrower"),
    "skos:definition": ("นิยาม", "definition"),
    "skos:scopeNote": ("หมายเหตุขอบเขต", "scope note"),
    "skos:changeNote": ("บันทึกการเปลี่ยนแปลง", "change note"),
    "skos:editorialNote": ("บันทึกของบรรณาธิการ", "editorial note"),
    "skos:exactMatch": ("ตรงกับ", "exact match"),
    "skos:closeMatch": ("ใกล้เคียงกับ", "close match"),
    "skos:broadMatch": ("สอดคล้องกับองค์ประกอบที่กว้างกว่า", "broad match"),
    "skos:narrowMatch": ("สอดคล้องกับองค์ประกอบที่แคบกว่า", "narrow match"),
    "skos:related": ("มีความเกี่ยวข้องกับ", "related"),
    "skos:relatedMatch": ("เกี่ยวข้องกับ", "related match"),
    "skos:Concept": ("หัวข้อ", "concept"),
    "skos:ConceptScheme": ("ชุดหัวข้อ", "concept scheme"),
    "dcterms:title": ("ชื่อเรื่อง", "title"),
    "dcterms:description": ("คำอธิบาย", "description"),
    "dcterms:created": ("วันที่จัดทำ", "created"),
    "dcterms:language": ("ภาษา", "language"),
    "dcterms:source": ("แหล่งที่มา", "source"),
    "dcterms:license": ("สัญญาอนุญาต", "licence"),
    "org:hasMember": ("มีสมาชิก", "has member"),
    "org:memberOf": ("เป็นสมาชิกของ", "member of"),
    "prov:wasAttributedTo": ("จัดทำโดย", "attributed to"),
    "prov:wasRevisionOf": ("ปรับปรุงจาก", "revision of"),
    "prov:wasDerivedFrom": ("ได้มาจาก", "derived from"),
    "prov:Entity": ("สิ่งที่มีที่มา (PROV)", "entity (PROV)"),
    "prov:Agent": ("ผู้จัดทำ (PROV)", "agent (PROV)"),
    "owl:Class": ("คลาส", "class"),
}

# The order in which an item's properties are listed (others follow, by name).
PROPERTY_ORDER = (
    "rdf:type",
    "skos:prefLabel",
    "dcterms:title",
    "rdfs:label",
    "skos:altLabel",
    "skos:notation",
    "plan:sourceText",
    "plan:correction",
    "dcterms:description",
    "skos:definition",
    "skos:scopeNote",
    "plan:inPlan",
    "skos:inScheme",
    "skos:broader",
)

ITEM_TREE_QUERY = """
SELECT ?this ?parent ?rel ?item ?type ?notation ?pos ?plpos ?th ?en WHERE {
  { ?this ?rel ?item . BIND(?this AS ?parent)
    VALUES ?rel { plan:hasDevelopmentTarget plan:hasMission plan:hasPlanIndicator plan:hasIssue
                  plan:hasValueChainElement plan:hasKeySuccessFactor } }
  UNION
  { ?this plan:hasIssue ?parent . ?parent ?rel ?item .
    VALUES ?rel { plan:hasObjective plan:hasGoal plan:hasIndicator plan:hasGuideline } }
  OPTIONAL { ?item a ?type . ?type rdfs:subClassOf plan:PlanItem }
  OPTIONAL { ?item skos:notation ?notation }
  OPTIONAL { ?item plan:position ?pos }
  OPTIONAL { ?item plan:planLevelPosition ?plpos }
  OPTIONAL { ?item skos:prefLabel ?th FILTER(LANG(?th) = "th") }
  OPTIONAL { ?item skos:prefLabel ?en FILTER(LANG(?en) = "en") }
}"""

ALIGNMENT_QUERY = """
SELECT ?this ?rec ?kind ?role ?other ?rel ?level ?rth ?ren ?status ?method ?score ?onot ?oth ?oen ?plan ?pth ?pen
WHERE {
  { ?rec plan:alignmentSubject ?this . BIND("subject" AS ?role) OPTIONAL { ?rec plan:alignmentObject ?other } }
  UNION
  { ?rec plan:alignmentObject ?this . BIND("object" AS ?role) OPTIONAL { ?rec plan:alignmentSubject ?other } }
  ?rec a ?kind . FILTER(?kind IN (plan:AlignmentRecord, plan:NoCounterpartRecord))
  OPTIONAL { ?rec plan:mappingRelation ?rel }
  OPTIONAL { ?rec plan:level ?level }
  OPTIONAL { ?rec plan:rationale ?rth FILTER(LANG(?rth) = "th") }
  OPTIONAL { ?rec plan:rationale ?ren FILTER(LANG(?ren) = "en") }
  OPTIONAL { ?rec plan:status ?status }
  OPTIONAL { ?rec plan:method ?method }
  OPTIONAL { ?rec plan:score ?score }
  OPTIONAL { ?rec plan:targetPlan ?target }
  OPTIONAL { ?other skos:notation ?onot }
  OPTIONAL { ?other skos:prefLabel ?oth FILTER(LANG(?oth) = "th") }
  OPTIONAL { ?other skos:prefLabel ?oen FILTER(LANG(?oen) = "en") }
  OPTIONAL { ?other plan:inPlan ?oplan }
  BIND(COALESCE(?oplan, ?target) AS ?plan)
  OPTIONAL { ?plan skos:prefLabel ?pth FILTER(LANG(?pth) = "th") }
  OPTIONAL { ?plan skos:prefLabel ?pen FILTER(LANG(?pen) = "en") }
}"""

ANCHORS_QUERY = """
SELECT ?this ?via ?goal ?scheme ?gnot ?gth ?gen WHERE {
  { ?this plan:contributesTo ?goal . BIND(?this AS ?via) }
  UNION
  { ?this skos:broader ?via . ?via plan:contributesTo ?goal }
  OPTIONAL { ?goal skos:inScheme ?scheme }
  OPTIONAL { ?goal skos:notation ?gnot }
  OPTIONAL { ?goal skos:prefLabel ?gth FILTER(LANG(?gth) = "th") }
  OPTIONAL { ?goal skos:prefLabel ?gen FILTER(LANG(?gen) = "en") }
}"""

AREA_PLANS_QUERY = """
SELECT ?this ?plan ?via ?pth ?pen WHERE {
  { ?plan plan:coversArea ?this . BIND(?this AS ?via) }
  UNION { ?this org:memberOf ?via . ?plan plan:coversArea ?via }
  UNION { ?this org:hasMember ?via . ?plan plan:coversArea ?via }
  OPTIONAL { ?plan skos:prefLabel ?pth FILTER(LANG(?pth) = "th") }
  OPTIONAL { ?plan skos:prefLabel ?pen FILTER(LANG(?pen) = "en") }
}"""

CONTRIBUTORS_QUERY = """
SELECT ?this ?goal ?gnot ?gth ?gen ?issue ?inot ?ith ?ien ?plan ?pth ?pen WHERE {
  ?goal skos:inScheme ?this .
  OPTIONAL { ?goal skos:notation ?gnot }
  OPTIONAL { ?goal skos:prefLabel ?gth FILTER(LANG(?gth) = "th") }
  OPTIONAL { ?goal skos:prefLabel ?gen FILTER(LANG(?gen) = "en") }
  OPTIONAL {
    ?issue plan:contributesTo ?goal .
    OPTIONAL { ?issue skos:notation ?inot }
    OPTIONAL { ?issue skos:prefLabel ?ith FILTER(LANG(?ith) = "th") }
    OPTIONAL { ?issue skos:prefLabel ?ien FILTER(LANG(?ien) = "en") }
    OPTIONAL { ?issue plan:inPlan ?plan .
               OPTIONAL { ?plan skos:prefLabel ?pth FILTER(LANG(?pth) = "th") }
               OPTIONAL { ?plan skos:prefLabel ?pen FILTER(LANG(?pen) = "en") } }
  }
}"""

RECORD_PLANS_QUERY = """
SELECT ?this ?x ?plan ?pth ?pen WHERE {
  ?this plan:alignmentSubject|plan:alignmentObject ?x . ?x plan:inPlan ?plan .
  OPTIONAL { ?plan skos:prefLabel ?pth FILTER(LANG(?pth) = "th") }
  OPTIONAL { ?plan skos:prefLabel ?pen FILTER(LANG(?pen) = "en") }
}"""

TERM_LABELS_QUERY = "SELECT ?g ?term ?label WHERE { GRAPH ?g { ?term rdfs:label ?label } }"

# An item's label in a language, its shortest notation and its kind (VALUES_HERE: the items; LANG_HERE: "th"|"en").
ITEM_NAMES_QUERY = """
SELECT ?x (SAMPLE(?l) AS ?label) (MIN(?n) AS ?notation) (SAMPLE(?k) AS ?kind) WHERE {
  VALUES ?x { VALUES_HERE }
  OPTIONAL { ?x skos:prefLabel ?l FILTER (lang(?l) = LANG_HERE) }
  OPTIONAL { ?x skos:notation ?n }
  OPTIONAL { ?x a ?k FILTER (STRSTARTS(STR(?k), STR(plan:))) }
} GROUP BY ?x"""

COUNTS_QUERY = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class .
  VALUES ?class { plan:AlignmentRecord plan:NoCounterpartRecord plan:Province plan:ProvincialCluster
                  plan:ReferenceFramework plan:ReferenceGoal plan:SourceDocument }
} GROUP BY ?class"""

LISTS_QUERY = """
SELECT ?x ?class ?th ?en WHERE {
  ?x a ?class .
  VALUES ?class { plan:ClusterPlan plan:ProvincialPlan plan:ReferenceFramework plan:ProvincialCluster plan:Province }
  OPTIONAL { ?x skos:prefLabel ?th FILTER(LANG(?th) = "th") }
  OPTIONAL { ?x skos:prefLabel ?en FILTER(LANG(?en) = "en") }
} ORDER BY ?class ?x"""

GRAPH_SUBJECTS_QUERY = """
SELECT ?g ?s ?n ?th ?en WHERE {
  { SELECT ?g ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ?s }
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?th FILTER(LANG(?th) = "th") }
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?en FILTER(LANG(?en) = "en") }
}"""


def _v(row: dict[str, Any], name: str) -> str | None:
    t = row.get(name)
    return None if t is None else str(t.value)


class Pages:
    """Page data for one project; every query goes through ``project.query`` (checked, cached)."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.base: str = project.base
        self.prologue = sparql_prologue(self.base)
        self.prefixes = prefixes(self.base)

    def rows(self, text: str, **subs: Any) -> list[dict[str, Any]]:
        return self.project.query.rows(self.prologue + text, {k: ox.NamedNode(v) for k, v in subs.items()})

    # -- names --------------------------------------------------------------------------------------
    def curie(self, iri: str) -> str:
        best = ""
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(best) and p not in ("id", "graph"):
                best, name = ns, f"{p}:{iri[len(ns) :]}"
        return name if best else iri

    def term_labels(self) -> dict[str, dict[str, str]]:
        """{term IRI: {"th": ..., "en": ...}} for the ontology's terms (rdfs:label in graph/ontology) and the
        terms of other vocabularies the data uses."""
        out: dict[str, dict[str, str]] = {}
        for curie, (th, en) in VOCABULARY_LABELS.items():
            p, local = curie.split(":", 1)
            out[self.prefixes[p] + local] = {"th": th, "en": en}
        for r in self.rows(TERM_LABELS_QUERY, g=graph_iri(self.base, "ontology")):
            lit = r["label"]
            if isinstance(lit, ox.Literal) and lit.language in ("th", "en"):
                out.setdefault(r["term"].value, {})[lit.language] = lit.value
        return out

    def names_of(self, iris: list[str], lang: str) -> dict[str, str]:
        """Short names for a chart's labels: a numbered item as its kind and number ("ประเด็นการพัฒนา 2"),
        another item or plan by its label, a vocabulary term by its name in ``lang``."""
        terms = self.term_labels()
        out = {iri: self.term_name(iri, lang, terms) for iri in iris}
        items = [iri for iri in iris if iri not in terms]
        if not items:
            return out
        values = " ".join(str(ox.NamedNode(i)) for i in items)
        text = ITEM_NAMES_QUERY.replace("VALUES_HERE", values).replace("LANG_HERE", str(ox.Literal(lang)))
        for r in self.rows(text):
            iri, kind = r["x"].value, r.get("kind")
            notation, label = r.get("notation"), r.get("label")
            if notation is not None and kind is not None:
                name = self.term_name(kind.value, lang, terms)
                out[iri] = f"{name[:1].upper()}{name[1:]} {notation.value}"  # "Development issue 2"
            elif label is not None:
                out[iri] = label.value
        return out

    def term_name(self, iri: str, lang: str, labels: dict[str, dict[str, str]]) -> str:
        names = labels.get(iri)
        if names:
            return pick_from(names, lang) or next(iter(names.values()))
        return self.curie(iri)

    # -- home ---------------------------------------------------------------------------------------
    def home(self, lang: str) -> dict[str, Any]:
        labels = self.term_labels()
        plans: dict[str, dict[str, Any]] = {}
        for r in self.rows(ITEMS_QUERY):
            iri = r["plan"].value
            p = plans.setdefault(
                iri,
                {
                    "iri": iri,
                    "type": self.term_name(r["type"].value, lang, labels),
                    "label": pick(lang, _v(r, "th"), _v(r, "en")),
                    "kinds": [],
                    "total": 0,
                },
            )
            if "kind" in r:
                n = int(r["n"].value)
                kind_iri = self.prefixes["plan"] + r["kind"].value
                p["kinds"].append(
                    {"name": self.term_name(kind_iri, lang, labels), "count": n, "iri": kind_iri}
                )
                p["total"] += n
        counts = {self.curie(r["class"].value): int(r["n"].value) for r in self.rows(COUNTS_QUERY)}
        lists: dict[str, list[dict[str, str]]] = {}
        for r in self.rows(LISTS_QUERY):
            lists.setdefault(self.curie(r["class"].value), []).append(
                {"iri": r["x"].value, "label": pick(lang, _v(r, "th"), _v(r, "en")) or r["x"].value}
            )
        data = self.project.data
        graphs = [
            {"iri": iri, "name": iri.rsplit("/", 1)[-1], "triples": n}
            for iri, n in data.triples_per_graph.items()
        ]
        return {
            "plans": list(plans.values()),
            "counts": counts,
            "lists": lists,
            "graphs": graphs,
            "total_triples": data.total_triples,
        }

    # -- plans --------------------------------------------------------------------------------------
    def plan_tree(self, plan: str, lang: str) -> dict[str, Any]:
        """The plan's items: {"plan": {rel-curie: [item]}, "issues": {issue IRI: {rel-curie: [item]}}},
        each list in the plan's order; an item is {"iri", "notation", "label", "type"}."""
        items: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in self.rows(ITEM_TREE_QUERY, this=plan):
            parent, rel, item = r["parent"].value, self.curie(r["rel"].value), r["item"].value
            at_plan = parent == plan
            e = items.setdefault(
                (parent, rel, item),
                {
                    "iri": item,
                    "notations": set(),
                    "label": pick(lang, _v(r, "th"), _v(r, "en")) or item,
                    "type": _v(r, "type"),
                    "at_plan": at_plan,
                    "order": int(r["plpos"].value)
                    if at_plan and "plpos" in r
                    else int(r["pos"].value)
                    if "pos" in r
                    else 0,
                },
            )
            if "notation" in r:
                e["notations"].add(r["notation"].value)
        plan_level: dict[str, list[dict[str, Any]]] = {}
        issues: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for (parent, rel, _), e in items.items():
            e["notation"] = _numbering(e.pop("notations"), under_issue=not e["at_plan"])
            (plan_level if parent == plan else issues.setdefault(parent, {})).setdefault(rel, []).append(e)
        for group in [plan_level, *issues.values()]:
            for lst in group.values():
                lst.sort(key=lambda e: (e["order"], natural_key(e["notation"]), e["iri"]))
        return {"plan": plan_level, "issues": issues}

    # -- items --------------------------------------------------------------------------------------
    def alignments(self, iri: str, lang: str) -> list[dict[str, Any]]:
        """The alignment records where ``iri`` is the subject or the object, one entry per record."""
        labels = self.term_labels()
        recs: dict[str, dict[str, Any]] = {}
        for r in self.rows(ALIGNMENT_QUERY, this=iri):
            rec = r["rec"].value
            e = recs.get(rec)
            if e is None:
                e = recs[rec] = {
                    "iri": rec,
                    "gap": r["kind"].value.endswith("NoCounterpartRecord"),
                    "role": _v(r, "role"),
                    "other": _v(r, "other"),
                    "other_label": pick(lang, _v(r, "oth"), _v(r, "oen")),
                    "other_notations": set(),
                    "relation": self.term_name(r["rel"].value, lang, labels) if "rel" in r else None,
                    "relation_curie": self.curie(r["rel"].value) if "rel" in r else None,
                    "level": self.term_name(r["level"].value, lang, labels) if "level" in r else None,
                    "level_key": r["level"].value.rsplit("#", 1)[-1].lower() if "level" in r else None,
                    "rationale": pick(lang, _v(r, "rth"), _v(r, "ren")),
                    "status": self.term_name(r["status"].value, lang, labels) if "status" in r else None,
                    "method": self.term_name(r["method"].value, lang, labels) if "method" in r else None,
                    "score": _v(r, "score"),
                    "plan": _v(r, "plan"),
                    "plan_label": pick(lang, _v(r, "pth"), _v(r, "pen")),
                }
            if "onot" in r:
                e["other_notations"].add(r["onot"].value)
        out = list(recs.values())
        for e in out:
            e["other_notations"] = sorted(e["other_notations"], key=natural_key)
        out.sort(key=lambda e: (e["gap"], e["role"] or "", natural_key(e["iri"])))
        return out

    def anchors(self, iri: str, lang: str) -> list[dict[str, Any]]:
        """The national strategies and SDGs ``iri`` contributes to, directly or through its issue."""
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self.rows(ANCHORS_QUERY, this=iri):
            key = (r["goal"].value, r["via"].value)
            seen.setdefault(
                key,
                {
                    "goal": r["goal"].value,
                    "via": r["via"].value,
                    "direct": r["via"].value == iri,
                    "scheme": _v(r, "scheme"),
                    "notation": _v(r, "gnot"),
                    "label": pick(lang, _v(r, "gth"), _v(r, "gen")) or r["goal"].value,
                },
            )
        return sorted(
            seen.values(), key=lambda a: (a["scheme"] or "", natural_key(a["notation"] or a["goal"]))
        )

    def record_plans(self, record: str, lang: str) -> dict[str, dict[str, str]]:
        """{item IRI: {"iri", "label"}}: the plan of the subject and of the object of an alignment record."""
        return {
            r["x"].value: {"iri": r["plan"].value, "label": pick(lang, _v(r, "pth"), _v(r, "pen")) or ""}
            for r in self.rows(RECORD_PLANS_QUERY, this=record)
        }

    def area_plans(self, iri: str, lang: str) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for r in self.rows(AREA_PLANS_QUERY, this=iri):
            seen.setdefault(
                r["plan"].value,
                {
                    "iri": r["plan"].value,
                    "via": r["via"].value,
                    "direct": r["via"].value == iri,
                    "label": pick(lang, _v(r, "pth"), _v(r, "pen")) or r["plan"].value,
                },
            )
        return sorted(seen.values(), key=lambda p: (not p["direct"], p["iri"]))

    def contributors(
        self, lang: str, scheme: str | None = None, goal: str | None = None
    ) -> list[dict[str, Any]]:
        """The goals of a reference framework (or one goal), each with the issues that contribute to it."""
        subs = {"this": scheme} if scheme else {"goal": goal} if goal else {}
        goals: dict[str, dict[str, Any]] = {}
        for r in self.rows(CONTRIBUTORS_QUERY, **subs):
            g = goals.setdefault(
                r["goal"].value,
                {
                    "iri": r["goal"].value,
                    "notation": _v(r, "gnot"),
                    "scheme": _v(r, "this"),
                    "label": pick(lang, _v(r, "gth"), _v(r, "gen")) or r["goal"].value,
                    "issues": {},
                },
            )
            if "issue" in r:
                g["issues"].setdefault(
                    r["issue"].value,
                    {
                        "iri": r["issue"].value,
                        "notation": _v(r, "inot"),
                        "label": pick(lang, _v(r, "ith"), _v(r, "ien")) or r["issue"].value,
                        "plan": _v(r, "plan"),
                        "plan_label": pick(lang, _v(r, "pth"), _v(r, "pen")),
                    },
                )
        out = sorted(goals.values(), key=lambda g: natural_key(g["notation"] or g["iri"]))
        for g in out:
            g["issues"] = sorted(
                g["issues"].values(), key=lambda i: (i["plan"] or "", natural_key(i["notation"] or ""))
            )
        return out

    # -- graphs -------------------------------------------------------------------------------------
    def graph_subjects(self, graph: str, lang: str) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for r in self.rows(GRAPH_SUBJECTS_QUERY, g=graph):
            s = r["s"]
            if not isinstance(s, ox.NamedNode):
                continue
            seen.setdefault(
                s.value,
                {
                    "iri": s.value,
                    "statements": int(r["n"].value),
                    "label": pick(lang, _v(r, "th"), _v(r, "en")),
                },
            )
        return sorted(seen.values(), key=lambda e: natural_key(e["iri"]))


def _numbering(notations: set[str], under_issue: bool) -> str | None:
    """The number an item shows where it is listed: "2.3" under an issue, "5" at plan level (an indicator
    stated in both places carries both notations)."""
    if not notations:
        return None
    dotted = sorted((n for n in notations if "." in n), key=natural_key)
    plain = sorted((n for n in notations if "." not in n), key=natural_key)
    if under_issue:
        return (dotted or plain)[0]
    return (plain or dotted)[0]
