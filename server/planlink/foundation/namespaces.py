"""Prefixes used when planlink writes Turtle, TriG and SPARQL prologues."""

from __future__ import annotations

from planlink.foundation.settings import DEFAULT_BASE

STANDARD = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sdg": "http://metadata.un.org/sdg/",
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """All prefixes for a deployment whose IRIs start with ``base``."""
    return {"plan": f"{base}def/plan#", "id": f"{base}id/", "graph": f"{base}graph/", **STANDARD}


def sparql_prologue(base: str = DEFAULT_BASE) -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes(base).items())


# The kinds of plan item (local names of classes in the plan ontology), in the order a plan states them in
# summaries and reports. A page, a summary and the alignment report all classify items by this one list.
ITEM_KINDS = (
    "DevelopmentTarget",
    "Mission",
    "Indicator",
    "DevelopmentIssue",
    "Objective",
    "Goal",
    "Guideline",
    "ValueChainElement",
    "KeySuccessFactor",
)
