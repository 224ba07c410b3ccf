"""The curated queries as SPARQL examples, in the convention public SPARQL example collections use
(https://github.com/sib-swiss/sparql-examples), served at ``/.well-known/sparql-examples`` and listed in the
service description:

- each query is ``{base}.well-known/sparql-examples#{name}``, a ``sh:SPARQLExecutable`` and a
  ``sh:SPARQLSelectExecutable`` (``Ask``, ``Construct``; a DESCRIBE is a ``spex:SPARQLDescribeExecutable``);
- ``rdfs:label`` its title and ``rdfs:comment`` its description, in Thai and in English;
- ``sh:select`` (``sh:ask``, ``sh:construct``, ``spex:describe``) its text with the parameters' defaults bound,
  so that it runs as it is; ``sh:prefixes`` the prefixes it may use, as ``sh:declare`` entries;
- ``schema:target`` the endpoint of the host that was asked; ``rdfs:seeAlso`` its page at ``/queries/{name}``.
"""

from __future__ import annotations

import pyoxigraph as ox

from planlink.engine.sparqltext import read
from planlink.foundation.namespaces import STANDARD, prefixes
from planlink.readmodels.catalog import CuratedQuery

SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
RDFS = STANDARD["rdfs"]
XSD_ANYURI = ox.NamedNode(STANDARD["xsd"] + "anyURI")
PATH = "/.well-known/sparql-examples"

# query form -> (class, property of the text)
FORMS = {
    "SELECT": (SH + "SPARQLSelectExecutable", SH + "select"),
    "ASK": (SH + "SPARQLAskExecutable", SH + "ask"),
    "CONSTRUCT": (SH + "SPARQLConstructExecutable", SH + "construct"),
    "DESCRIBE": (SPEX + "SPARQLDescribeExecutable", SPEX + "describe"),
}


def example_iri(base: str, name: str) -> str:
    return f"{base}.well-known/sparql-examples#{name}"


def examples(catalog: dict[str, CuratedQuery], base: str, host: str) -> list[ox.Triple]:
    """The triples of every curated query as an example. ``host``: the URL root that was asked (no trailing
    slash), whose endpoint the examples target."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    declared = ox.NamedNode(f"{base}.well-known/sparql-examples#prefixes")
    add(declared, RDF_TYPE.value, ox.NamedNode(STANDARD["owl"] + "Ontology"))
    for prefix, namespace in prefixes(base).items():
        entry = ox.BlankNode()
        add(declared, SH + "declare", entry)
        add(entry, SH + "prefix", ox.Literal(prefix))
        add(entry, SH + "namespace", ox.Literal(namespace, datatype=XSD_ANYURI))
    endpoint = ox.NamedNode(f"{host}/sparql")
    for q in catalog.values():
        node = ox.NamedNode(example_iri(base, q.name))
        text = q.runnable_text(base)
        kind, prop = FORMS[read(text).form or "SELECT"]  # the catalog admits only these four forms
        add(node, RDF_TYPE.value, ox.NamedNode(SH + "SPARQLExecutable"))
        add(node, RDF_TYPE.value, ox.NamedNode(kind))
        for lang, title in sorted(q.title.items()):
            add(node, RDFS + "label", ox.Literal(title, language=lang))
        for lang in ("th", "en"):
            comment = q.description.get(lang) or q.title.get(lang)
            if comment:
                add(node, RDFS + "comment", ox.Literal(comment, language=lang))
        add(node, prop, ox.Literal(text))
        add(node, SH + "prefixes", declared)
        add(node, SCHEMA + "target", endpoint)
        add(node, RDFS + "seeAlso", ox.NamedNode(f"{host}/queries/{q.name}"))
        add(node, SCHEMA + "identifier", ox.Literal(q.name))
    return out
