"""What the query editor completes from, taken from the data itself (never from a third party): the prefixes
planlink declares, the classes and properties of its ontology and of the VoID class and property partitions
(how many instances or triples each has), with their labels in Thai and English where the graph has them.
Items are completed from the search index (``/search.json``), not from here.

The query page fetches this once (``/sparql/completions``), and YASQE's class, property and prefix completers
read it instead of asking the public vocabulary services they ask by default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from planlink.engine.service import QueryService
from planlink.foundation.namespaces import prefixes, sparql_prologue
from planlink.readmodels.metadata import Statistics

TERMS_QUERY = """SELECT ?term ?kind ?label WHERE {
  VALUES (?type ?kind) {
    (owl:Class "class") (rdfs:Class "class")
    (owl:ObjectProperty "property") (owl:DatatypeProperty "property") (owl:AnnotationProperty "property")
    (rdf:Property "property")
  }
  ?term a ?type .
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label . FILTER(LANG(?label) IN ("th", "en")) }
}"""


@dataclass
class Term:
    iri: str
    count: int = 0  # instances of a class, triples of a property (VoID's figures); 0 when the data has none
    label: dict[str, str] = field(default_factory=dict)


@dataclass
class Vocabulary:
    prefixes: dict[str, str]
    classes: list[Term]
    properties: list[Term]

    def as_dict(self) -> dict[str, Any]:
        def terms(ts: list[Term]) -> list[dict[str, Any]]:
            return [{"iri": t.iri, "count": t.count, "label": t.label} for t in ts]

        return {
            "prefixes": self.prefixes,
            "classes": terms(self.classes),
            "properties": terms(self.properties),
        }


def vocabulary(query: QueryService, stats: Statistics, base: str) -> Vocabulary:
    """The ontology's classes and properties and every class and property the data uses, the most used first
    (then by IRI)."""
    found: dict[str, dict[str, Term]] = {"class": {}, "property": {}}
    for row in query.rows(sparql_prologue(base) + TERMS_QUERY):
        term, kind, label = row["term"], row["kind"].value, row.get("label")
        entry = found[kind].setdefault(term.value, Term(term.value))
        if isinstance(label, ox.Literal) and label.language:
            entry.label.setdefault(label.language, label.value)
    for kind, counts in (("class", stats.classes), ("property", stats.properties)):
        for iri, n in counts.items():
            found[kind].setdefault(iri, Term(iri)).count = n

    def ordered(ts: dict[str, Term]) -> list[Term]:
        return sorted(ts.values(), key=lambda t: (-t.count, t.iri))

    return Vocabulary(prefixes(base), ordered(found["class"]), ordered(found["property"]))
