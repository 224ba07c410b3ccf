"""The model of the page about one resource (``/doc/...`` as HTML): which kind of page it is and the plain data
its template shows: names, properties with the graphs that state them, inbound links, and per kind a plan's
sections and issues, an item's breadcrumb, alignments and anchors, an area's plans, an alignment record, a
framework's goals. No Flask here: the view passes ``href``, which turns an IRI into a link on this server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from planlink.foundation.namespaces import ITEM_KINDS
from planlink.foundation.text import other_lang, pick
from planlink.readmodels.describe import Description
from planlink.readmodels.pages import PROPERTY_ORDER, Pages

Href = Callable[[str], str]
Labels = dict[str, dict[str, str]]

PLAN = "def/plan#"
# Plan sections in the order the plans state them: (property, class named in the heading).
PLAN_SECTIONS = (
    ("plan:hasDevelopmentTarget", "DevelopmentTarget"),
    ("plan:hasMission", "Mission"),
    ("plan:hasPlanIndicator", "Indicator"),
    ("plan:hasIssue", "DevelopmentIssue"),
    ("plan:hasValueChainElement", "ValueChainElement"),
    ("plan:hasKeySuccessFactor", "KeySuccessFactor"),
)
ISSUE_SECTIONS = (
    ("plan:hasObjective", "Objective"),
    ("plan:hasGoal", "Goal"),
    ("plan:hasIndicator", "Indicator"),
    ("plan:hasGuideline", "Guideline"),
)
# Kinds of page, by the resource's types (the first that matches); "resource" is the plain page.
PAGE_KINDS = ("plan", "item", "area", "alignment", "scheme", "goal", "resource")


def resource_page(desc: Description, pages: Pages, lang: str, href: Href) -> tuple[str, dict[str, Any]]:
    """(kind of page, data for its template) for the resource ``desc`` describes."""
    labels = pages.term_labels()
    base = pages.base
    local_types = {t[len(base + PLAN) :] for t in desc.types() if t.startswith(base + PLAN)}
    ctx: dict[str, Any] = {"r": _common(desc, pages, labels, lang, href)}
    if local_types & {"ClusterPlan", "ProvincialPlan"}:
        tree = pages.plan_tree(desc.iri, lang)
        ctx["sections"] = [
            {
                "key": rel,
                "items": tree["plan"].get(rel, []),
                "name": pages.term_name(base + PLAN + cls, lang, labels)
                if rel != "plan:hasPlanIndicator"
                else pick(lang, "ตัวชี้วัดความสำเร็จระดับแผน", "plan-level indicators"),
            }
            for rel, cls in PLAN_SECTIONS
        ]
        ctx["issue_sections"] = [
            (rel, pages.term_name(base + PLAN + cls, lang, labels)) for rel, cls in ISSUE_SECTIONS
        ]
        ctx["issues"] = tree["issues"]
        ctx["collapse_props"] = True  # the tree shows them; the full list stays one click away
        return "plan", ctx
    if local_types & set(ITEM_KINDS):
        ctx["alignments"] = pages.alignments(desc.iri, lang)
        ctx["anchors"] = pages.anchors(desc.iri, lang)
        ctx["breadcrumb"] = _breadcrumb(desc, pages, lang, href)
        ctx["sources"] = [{"text": str(v.value)} for v in desc.values(desc.iri, base + PLAN + "sourceText")]
        return "item", ctx
    if local_types & {"Province", "ProvincialCluster"}:
        ctx["plans"] = pages.area_plans(desc.iri, lang)
        return "area", ctx
    if local_types & {"AlignmentRecord", "NoCounterpartRecord"}:
        ctx["record"] = _record(desc, pages, labels, lang, href)
        ctx["record_plans"] = pages.record_plans(desc.iri, lang)
        return "alignment", ctx
    if "ReferenceFramework" in local_types:
        ctx["goals"] = pages.contributors(lang, scheme=desc.iri)
        return "scheme", ctx
    if "ReferenceGoal" in local_types:
        ctx["goals"] = pages.contributors(lang, goal=desc.iri)
        return "goal", ctx
    return "resource", ctx


def graph_page(project: Any, iri: str, stem: str, lang: str) -> dict[str, Any]:
    """What the page about the named graph ``iri`` (one data file) shows."""
    gf = next(f for f in project.data.files if f.iri == iri)
    return {
        "iri": iri,
        "name": stem,
        "file": f"{gf.path.parent.name}/{gf.path.name}",
        "role": gf.role,
        "triples": project.data.triples_per_graph.get(iri, 0),
        "subjects": Pages(project).graph_subjects(iri, lang),
    }


def _common(desc: Description, pages: Pages, labels: Labels, lang: str, href: Href) -> dict[str, Any]:
    """The parts every resource page shows: names, properties (with graphs), inbound links."""
    iri = desc.iri
    other = other_lang(lang)
    props: dict[str, dict[str, Any]] = {}
    for q in desc.outgoing():
        pred = q.predicate.value
        e = props.setdefault(
            pred,
            {
                "iri": pred,
                "curie": pages.curie(pred),
                "name": pages.term_name(pred, lang, labels),
                "vals": {},
            },
        )
        e["vals"].setdefault(q.object, set()).add(_stem(str(getattr(q.graph_name, "value", ""))))
    order = {c: i for i, c in enumerate(PROPERTY_ORDER)}
    properties = []
    for e in sorted(props.values(), key=lambda e: (order.get(e["curie"], len(order)), e["name"])):
        vals = [
            dict(_term(t, desc, pages, labels, lang, href), graphs=sorted(gs)) for t, gs in e["vals"].items()
        ]
        vals.sort(key=lambda v: (v.get("lang") not in (lang, None), v.get("lang") or "", v["sort"]))
        properties.append({**e, "vals": vals})
    inbound: dict[str, dict[str, Any]] = {}
    for q in desc.inbound():
        pred = q.predicate.value
        e = inbound.setdefault(
            pred,
            {
                "iri": pred,
                "curie": pages.curie(pred),
                "name": pages.term_name(pred, lang, labels),
                "subjects": {},
            },
        )
        e["subjects"].setdefault(q.subject, _term(q.subject, desc, pages, labels, lang, href))
    inbound_list = [
        {**e, "subjects": sorted(e["subjects"].values(), key=lambda v: v["sort"])}
        for e in sorted(inbound.values(), key=lambda e: e["name"])
    ]
    return {
        "iri": iri,
        "path": iri[len(pages.base) :],
        "label": desc.label(iri, lang) or iri[len(pages.base) :],
        "other_label": desc.exact_label(iri, other),
        "notations": desc.notations(iri),
        "types": [
            {"iri": t, "name": pages.term_name(t, lang, labels), "href": href(t)} for t in desc.types()
        ],
        "properties": properties,
        "inbound": inbound_list,
        "truncated": desc.truncated,
        "graphs": [{"iri": g, "name": _stem(g), "href": href(g)} for g in desc.graphs()],
        "text": lambda pred: _in_lang(desc, iri, pages.base + PLAN + pred if ":" not in pred else pred, lang),
    }


def _in_lang(desc: Description, iri: str, pred: str, lang: str) -> str | None:
    vals = [v for v in desc.values(iri, pred) if isinstance(v, ox.Literal)]
    th = next((str(v.value) for v in vals if v.language == "th"), None)
    en = next((str(v.value) for v in vals if v.language == "en"), None)
    plain = next((str(v.value) for v in vals if not v.language), None)
    return pick(lang, th, en) or plain


def _term(t: Any, desc: Description, pages: Pages, labels: Labels, lang: str, href: Href) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        label = desc.label(t.value, lang) or (
            pages.term_name(t.value, lang, labels) if t.value in labels else None
        )
        ours = t.value.startswith(pages.base)
        return {
            "kind": "iri",
            "iri": t.value,
            "href": href(t.value),
            "label": label,
            "notations": desc.notations(t.value),
            "external": not ours,
            "display": label or pages.curie(t.value),
            "sort": _sort_key(t.value),
        }
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        plain = dt in (
            "http://www.w3.org/2001/XMLSchema#string",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
        )
        return {
            "kind": "literal",
            "value": str(t.value),
            "lang": t.language,
            "datatype": None if plain else pages.curie(dt),
            "sort": str(t.value),
        }
    return {"kind": "bnode", "value": "_:" + str(t.value), "sort": str(t.value)}


def _sort_key(iri: str) -> str:
    return re.sub(r"\d+", lambda m: m.group().zfill(6), iri)


def _stem(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def _breadcrumb(desc: Description, pages: Pages, lang: str, href: Href) -> list[dict[str, Any]]:
    """plan › issue › (this item): from plan:inPlan and skos:broader."""
    base = pages.base
    crumbs: list[dict[str, Any]] = []
    plan = desc.first(desc.iri, base + PLAN + "inPlan")
    if isinstance(plan, ox.NamedNode):
        crumbs.append({"iri": plan.value, "href": href(plan.value), "label": desc.label(plan.value, lang)})
    for parent in desc.values(desc.iri, "http://www.w3.org/2004/02/skos/core#broader"):
        if isinstance(parent, ox.NamedNode):
            crumbs.append(
                {
                    "iri": parent.value,
                    "href": href(parent.value),
                    "label": desc.label(parent.value, lang),
                    "notations": desc.notations(parent.value),
                    "issue": True,
                }
            )
    return crumbs


def _record(desc: Description, pages: Pages, labels: Labels, lang: str, href: Href) -> dict[str, Any]:
    base = pages.base

    def one(pred: str) -> dict[str, Any] | None:
        v = desc.first(desc.iri, pred if pred.startswith("http") else base + PLAN + pred)
        return None if v is None else _term(v, desc, pages, labels, lang, href)

    level = desc.first(desc.iri, base + PLAN + "level")
    other = other_lang(lang)
    rationale = {
        lg: next(
            (
                str(v.value)
                for v in desc.values(desc.iri, base + PLAN + "rationale")
                if isinstance(v, ox.Literal) and v.language == lg
            ),
            None,
        )
        for lg in ("th", "en")
    }
    return {
        "gap": any(t.endswith("NoCounterpartRecord") for t in desc.types()),
        "subject": one("alignmentSubject"),
        "object": one("alignmentObject"),
        "target_plan": one("targetPlan"),
        "relation": one("mappingRelation"),
        "level": one("level"),
        "level_key": level.value.rsplit("#", 1)[-1].lower() if isinstance(level, ox.NamedNode) else None,
        "method": one("method"),
        "status": one("status"),
        "score": one("score"),
        "created": one("http://purl.org/dc/terms/created"),
        "attributed": one("http://www.w3.org/ns/prov#wasAttributedTo"),
        "rationale": rationale.get(lang) or rationale.get(other),
        "rationale_other": rationale.get(other) if rationale.get(lang) else None,
    }
