"""What is indexed: every resource under ``{base}id/`` with a label or a text, read from SPARQL answers of the
query service (labels and texts by language, notations, types with their labels, the plan it is in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from planlink.engine.service import QueryService
from planlink.foundation.namespaces import sparql_prologue
from planlink.foundation.text import other_lang

TEXT_PROPERTIES = (
    "skos:prefLabel",
    "rdfs:label",
    "dcterms:title",
    "skos:altLabel",
    "skos:notation",
    "plan:sourceText",
    "skos:definition",
    "skos:scopeNote",
    "dcterms:description",
    "rdfs:comment",
    "plan:rationale",
    "plan:correction",
    "skos:changeNote",
    "plan:periodStatement",
)
LABEL_PROPERTIES = ("skos:prefLabel", "rdfs:label", "dcterms:title", "skos:altLabel")

TEXTS_QUERY = (
    "SELECT DISTINCT ?space ?s ?p ?o WHERE {\n  VALUES ?p { " + " ".join(TEXT_PROPERTIES) + " }\n"
    "  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space) && isLiteral(?o))\n} ORDER BY ?s ?p ?o"
)

META_QUERY = """
SELECT DISTINCT ?space ?s ?type ?typeLabel ?plan ?planLabel WHERE {
  ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))
  OPTIONAL { ?type rdfs:label ?typeLabel }
  OPTIONAL { ?s plan:inPlan|skos:inScheme ?plan . OPTIONAL { ?plan skos:prefLabel ?planLabel } }
} ORDER BY ?s ?type ?typeLabel ?plan ?planLabel
"""


@dataclass
class Document:
    iri: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> labels
    texts: dict[str, list[str]] = field(default_factory=dict)  # lang ("" for untagged) -> other texts
    notation: list[str] = field(default_factory=list)
    types: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (class IRI, {lang: label})
    plan: str | None = None
    plan_labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        for candidate in (lang, other_lang(lang), ""):
            if self.labels.get(candidate):
                return self.labels[candidate][0]
        return self.iri

    def kind(self, lang: str, ontology_ns: str) -> tuple[str | None, str | None]:
        """The most telling type: one of ours with a label, else any labelled one, else the first."""
        ranked = sorted(self.types, key=lambda t: (not t[0].startswith(ontology_ns), not t[1], t[0]))
        if not ranked:
            return None, None
        iri, labels = ranked[0]
        return iri, labels.get(lang) or labels.get("en") or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _lang(term: Any) -> str:
    return (term.language or "") if isinstance(term, ox.Literal) else ""


def _all_rows(query: QueryService, text: str, subs: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of an ordered SELECT, page by page (each answer is capped at the service's row cap)."""
    page = max(100, int(query.settings.row_cap))
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        chunk = query.rows(f"{text} LIMIT {page} OFFSET {offset}", subs)
        rows += chunk
        if len(chunk) < page:
            return rows
        offset += page


def collect(query: QueryService, base: str) -> list[Document]:
    """Every resource under ``{base}id/`` that has a label or a text, with its types and plan."""
    prologue = sparql_prologue(base)
    subs = {"space": ox.Literal(f"{base}id/")}
    docs: dict[str, Document] = {}
    label_props = {
        p.replace("skos:", "http://www.w3.org/2004/02/skos/core#")
        .replace("rdfs:", "http://www.w3.org/2000/01/rdf-schema#")
        .replace("dcterms:", "http://purl.org/dc/terms/")
        for p in LABEL_PROPERTIES
    }
    notation = "http://www.w3.org/2004/02/skos/core#notation"
    for row in _all_rows(query, prologue + TEXTS_QUERY, subs):
        s, p, o = row["s"].value, row["p"].value, row["o"]
        doc = docs.setdefault(s, Document(s))
        if p == notation:
            doc.notation.append(o.value)
        elif p in label_props:
            bucket = doc.labels.setdefault(_lang(o), [])
            if o.value not in bucket:
                bucket.append(o.value)
        else:
            doc.texts.setdefault(_lang(o), []).append(o.value)
    for row in _all_rows(query, prologue + META_QUERY, subs):
        found = docs.get(row["s"].value)
        if found is None:
            continue
        doc = found
        t = row["type"].value
        labels = next((lab for iri, lab in doc.types if iri == t), None)
        if labels is None:
            labels = {}
            doc.types.append((t, labels))
        if "typeLabel" in row:
            labels.setdefault(_lang(row["typeLabel"]), row["typeLabel"].value)
        if "plan" in row and doc.plan in (None, row["plan"].value):
            doc.plan = row["plan"].value
            if "planLabel" in row:
                doc.plan_labels.setdefault(_lang(row["planLabel"]), row["planLabel"].value)
    return [d for d in docs.values() if d.labels or d.texts]
