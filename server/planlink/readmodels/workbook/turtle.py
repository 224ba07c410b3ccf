"""A plan's graph as Turtle in the style of the shipped files: a header comment, the prefixes it uses, one
section per kind of item (with a comment rule), items in the plan's order, properties in a fixed order, Thai
before English. The same graph always gives the same text, so two imports diff line by line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from planlink.foundation.namespaces import STANDARD
from planlink.foundation.settings import DEFAULT_BASE

PLAN = f"{DEFAULT_BASE}def/plan#"
PREFIXES = {"plan": PLAN, **{k: STANDARD[k] for k in ("rdf", "rdfs", "xsd", "skos", "dcterms", "prov")}}
RULE = "# " + "-" * 64

ORDER = [
    "rdf:type",
    "plan:inPlan",
    "skos:inScheme",
    "skos:topConceptOf",
    "skos:broader",
    "skos:notation",
    "plan:position",
    "plan:planLevelPosition",
    "dcterms:title",
    "skos:prefLabel",
    "rdfs:label",
    "plan:sourceFile",
    "dcterms:language",
    "dcterms:description",
    "rdfs:comment",
    "plan:sourceText",
    "plan:correction",
    "plan:unit",
    "plan:direction",
    "skos:scopeNote",
    "skos:editorialNote",
    "plan:valueChainOf",
    "plan:nearDuplicateOf",
    "skos:related",
    "plan:fiscalYear",
    "plan:periodStatement",
    "plan:coversArea",
    "plan:sourceDocument",
    "skos:changeNote",
    "prov:wasRevisionOf",
    "plan:unchangedFrom",
    "plan:hasDevelopmentTarget",
    "plan:hasMission",
    "plan:hasPlanIndicator",
    "plan:hasIssue",
    "plan:hasObjective",
    "plan:hasGoal",
    "plan:hasIndicator",
    "plan:hasGuideline",
    "plan:hasValueChainElement",
    "plan:hasKeySuccessFactor",
    "skos:hasTopConcept",
]
SECTIONS = [
    ("DevelopmentTarget", "development target (vision)"),
    ("Indicator:plan", "plan-level indicators"),
    ("Mission", "missions"),
    ("DevelopmentIssue", "development issues, each with its objective, goals, indicators and guidelines"),
    ("ValueChainElement", "value chain"),
    ("KeySuccessFactor", "key success factors"),
]
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """A Turtle string body: quotes, backslashes and line breaks escaped, and invisible characters (no-break
    spaces, zero-width marks) written as \\uXXXX so that they show in a diff."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in "\u00a0\u200b\u200c\u200d\u2060\ufeff" or (ord(ch) < 0x20):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def qname(iri: str) -> str | None:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w-]*", iri[len(ns) :]):
            return f"{p}:{iri[len(ns) :]}"
    return None


def term(t: rdflib.term.Node, used: set[str]) -> str:
    if isinstance(t, URIRef):
        q = qname(str(t))
        if q:
            used.add(q.split(":", 1)[0])
            return q
        return f"<{t}>"
    if isinstance(t, Literal):
        if t.language:
            return f'"{escape(str(t))}"@{t.language}'
        if t.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(t)):
            return str(t)
        if t.datatype is None or t.datatype == XSD.string:
            return f'"{escape(str(t))}"'
        return f'"{escape(str(t))}"^^{term(URIRef(t.datatype), used)}'
    raise ValueError(f"a blank node cannot be written here: {t}")


def _natural(text: str) -> list[object]:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", text)]


def to_turtle(graph: rdflib.Graph, plan: URIRef, header: Iterable[str] = ()) -> str:
    """The graph as Turtle, ordered by the plan's structure; subjects outside it go last, by IRI."""
    P = rdflib.Namespace(PLAN)

    def position(s: rdflib.term.Node) -> tuple:
        pos = graph.value(s, P.position)
        return (int(str(pos)) if pos is not None else 0, _natural(str(s)))

    def kind(s: rdflib.term.Node) -> str:
        t = graph.value(s, RDF.type)
        return str(t).rsplit("#", 1)[-1] if t is not None else ""

    ordered: list[tuple[str | None, Any]] = [("the plan and its source document", plan)]
    ordered += [(None, o) for o in sorted(graph.objects(plan, P.sourceDocument), key=str)]
    ordered += [
        (None, o)
        for p in (rdflib.URIRef(STANDARD["prov"] + "wasRevisionOf"), P.unchangedFrom)
        for o in sorted(graph.objects(plan, p), key=str)
        if (o, None, None) in graph
    ]
    items = [s for s in set(graph.subjects(P.inPlan, plan)) if isinstance(s, URIRef)]
    for key, title in SECTIONS:
        if key == "Indicator:plan":
            chosen = sorted(
                graph.objects(plan, P.hasPlanIndicator),
                key=lambda s: (
                    graph.value(s, P.planLevelPosition) or graph.value(s, P.position) or 0,
                    str(s),
                ),
            )
            chosen = [s for s in chosen if s in items]
        else:
            chosen = sorted((s for s in items if kind(s) == key), key=position)
        for i, s in enumerate(chosen):
            ordered.append((title if i == 0 else None, s))
            if key == "DevelopmentIssue":
                for prop in ("hasObjective", "hasGoal", "hasIndicator", "hasGuideline"):
                    for o in sorted(graph.objects(s, P[prop]), key=position):
                        if (plan, P.hasPlanIndicator, o) not in graph:
                            ordered.append((None, o))
    done = {s for _, s in ordered}
    rest = sorted((s for s in set(graph.subjects()) if s not in done), key=lambda s: _natural(str(s)))
    ordered += [("other statements" if i == 0 else None, s) for i, s in enumerate(rest)]

    used: set[str] = set()
    blocks: list[str] = []
    for heading, s in ordered:
        if (s, None, None) not in graph:
            continue
        lines = []
        if heading:
            lines.append(f"{RULE} {heading}\n")
        lines.append(term(s, used) if not isinstance(s, URIRef) or qname(str(s)) else f"<{s}>")
        preds = sorted(
            set(graph.predicates(s)),
            key=lambda p: (
                ORDER.index(qname(str(p)) or "") if (qname(str(p)) or "") in ORDER else len(ORDER),
                str(p),
            ),
        )
        parts = []
        for p in preds:
            objs = sorted(graph.objects(s, p), key=lambda o: _object_key(graph, o))
            name = "a" if p == RDF.type else term(p, used)
            body = " ,\n        ".join(term(o, used) if not _is_item(o) else f"<{o}>" for o in objs)
            parts.append(f"    {name} {body}")
        lines.append(" ;\n".join(parts) + " .")
        blocks.append("\n".join(lines))
    prefixes = [f"@prefix {(p + ':').ljust(9)} <{ns}> ." for p, ns in PREFIXES.items() if p in used]
    head = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return head + ("\n" if head else "") + "\n".join(prefixes) + "\n\n" + "\n\n".join(blocks) + "\n"


def _is_item(o: rdflib.term.Node) -> bool:
    return isinstance(o, URIRef) and str(o).startswith(f"{DEFAULT_BASE}id/")


def _object_key(graph: rdflib.Graph, o: rdflib.term.Node) -> tuple:
    if isinstance(o, Literal):
        return (0, {"th": 0, "en": 1}.get(o.language or "", 2), _natural(str(o)))
    pos = graph.value(o, rdflib.URIRef(PLAN + "position"))
    kinds = [
        "DevelopmentTarget",
        "Mission",
        "Indicator",
        "DevelopmentIssue",
        "ValueChainElement",
        "KeySuccessFactor",
    ]
    t = graph.value(o, RDF.type)
    k = kinds.index(str(t).rsplit("#", 1)[-1]) if t is not None and str(t).rsplit("#", 1)[-1] in kinds else 9
    return (1, k, int(str(pos)) if pos is not None else 0, _natural(str(o)))
