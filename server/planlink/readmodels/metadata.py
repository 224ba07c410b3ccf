"""The one metadata module: what the graph holds and how it describes itself, all read with SPARQL through the
query service (time-limited, cached per data version) and all written as pyoxigraph triples.

- ``describe``: VoID and DCAT for the whole graph and for each named graph (``/.well-known/void``);
- ``service_description``: the SPARQL 1.1 service description (``GET /sparql`` with no query);
- ``statistics``: the counts VoID states (triples, entities, class and property partitions);
- ``summarize``: plans, items per kind per plan, triples per named graph (``planlink stats``).

Access URLs (SPARQL endpoint, data dumps) are those of the host that was asked, identities (the dataset, its
subsets, the URI space) are under the base IRI. The views only negotiate a format and call ``serialize``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from planlink.engine.service import QueryService
from planlink.engine.store import LoadedData
from planlink.foundation.formats import FORMATS_NS, W3C_FORMATS, Format, w3c_iri
from planlink.foundation.namespaces import ITEM_KINDS, STANDARD, prefixes, sparql_prologue
from planlink.readmodels.export import Download

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDFS = STANDARD["rdfs"]
DCT = STANDARD["dcterms"]
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
XSD = STANDARD["xsd"]
FOAF = STANDARD["foaf"]
IANA = "https://www.iana.org/assignments/media-types/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

CLASSES_QUERY = """SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class } GROUP BY ?class"""
PROPERTIES_QUERY = """SELECT ?property (COUNT(*) AS ?triples) WHERE { ?s ?property ?o } GROUP BY ?property"""
TOTALS_QUERY = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
ENTITIES_QUERY = """SELECT ?space (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  { ?s ?p ?o } UNION { ?x ?p ?s } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) } GROUP BY ?space"""
SOURCES_QUERY = """SELECT DISTINCT ?doc WHERE { ?doc a plan:SourceDocument } ORDER BY ?doc"""
PLANS_QUERY = """SELECT DISTINCT ?plan WHERE { ?plan a ?type . ?type rdfs:subClassOf* plan:DevelopmentPlan }
ORDER BY ?plan"""
LICENSE_QUERY = (
    """SELECT ?license WHERE { ?ontology a owl:Ontology ; dcterms:license ?license } ORDER BY ?license"""
)


@dataclass
class Statistics:
    """What SPARQL says about the union of the named graphs (the default graph of queries)."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    entities: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    sources: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)


def uri_space(base: str) -> str:
    return f"{base}id/"


def dataset_iri(base: str) -> str:
    return f"{base}.well-known/void#planlink"


def _int(term: Any) -> int:
    return int(term.value) if term is not None else 0


def statistics(query: QueryService, base: str) -> Statistics:
    prologue = sparql_prologue(base)
    totals = query.rows(TOTALS_QUERY)[0]
    entities = query.rows(ENTITIES_QUERY, {"space": ox.Literal(uri_space(base))})[0]
    return Statistics(
        triples=_int(totals.get("triples")),
        distinct_subjects=_int(totals.get("subjects")),
        distinct_objects=_int(totals.get("objects")),
        entities=_int(entities.get("entities")),
        classes={
            r["class"].value: _int(r["entities"])
            for r in query.rows(CLASSES_QUERY)
            if isinstance(r.get("class"), ox.NamedNode)
        },
        properties={r["property"].value: _int(r["triples"]) for r in query.rows(PROPERTIES_QUERY)},
        sources=[
            r["doc"].value for r in query.rows(prologue + SOURCES_QUERY) if isinstance(r["doc"], ox.NamedNode)
        ],
        plans=[
            r["plan"].value for r in query.rows(prologue + PLANS_QUERY) if isinstance(r["plan"], ox.NamedNode)
        ],
        licenses=[
            r["license"].value
            for r in query.rows(prologue + LICENSE_QUERY)
            if isinstance(r["license"], ox.NamedNode)
        ],
    )


def vocabulary_of(iri: str) -> str:
    """The vocabulary (namespace document) a term belongs to: up to its '#' (exclusive) or last '/'."""
    if "#" in iri:
        return iri.split("#", 1)[0]
    return iri.rsplit("/", 1)[0] + "/"


@dataclass(frozen=True)
class Dump:
    """A download as the description lists it: where it is, what it holds, how big it is."""

    download: Download
    url: str
    byte_size: int


class _Graph:
    """A small helper to write triples with short names."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(
        self, s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def lit(self, value: Any, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
        if lang:
            return ox.Literal(str(value), language=lang)
        if datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
        return ox.Literal(str(value))


def describe(
    data: LoadedData, stats: Statistics, host: str, dumps: Iterable[Dump], modified: float | None = None
) -> list[ox.Triple]:
    """VoID + DCAT triples for the dataset. ``host`` is the URL root that was asked (no trailing slash)."""
    base = data.base
    g = _Graph()
    iri = ox.NamedNode
    doc = iri(f"{host}/.well-known/void")
    ds = iri(dataset_iri(base))
    g.add(doc, RDF_TYPE.value, iri(VOID + "DatasetDescription"))
    g.add(doc, DCT + "title", g.lit("คำอธิบายชุดข้อมูล planlink (VoID และ DCAT)", lang="th"))
    g.add(doc, DCT + "title", g.lit("Description of the planlink dataset (VoID and DCAT)", lang="en"))
    g.add(doc, FOAF + "primaryTopic", ds)

    for t in ("Dataset",):
        g.add(ds, RDF_TYPE.value, iri(VOID + t))
    g.add(ds, RDF_TYPE.value, iri(DCAT + "Dataset"))
    g.add(ds, DCT + "title", g.lit("planlink: กราฟความรู้แผนพัฒนาของไทย", lang="th"))
    g.add(ds, DCT + "title", g.lit("planlink: a knowledge graph of Thai development plans", lang="en"))
    g.add(
        ds,
        DCT + "description",
        g.lit(
            "แผนพัฒนากลุ่มจังหวัดภาคเหนือตอนล่าง 1 และยุทธศาสตร์การพัฒนาจังหวัดนครสวรรค์ ปีงบประมาณ พ.ศ. 2564 "
            "เป็นข้อมูลเชื่อมโยง (สองภาษา ไทยและอังกฤษ) พร้อมพื้นที่ ยุทธศาสตร์ชาติ เป้าหมายการพัฒนาที่ยั่งยืน "
            "และความเชื่อมโยงระหว่างสองแผนที่คัดสรรพร้อมเหตุผล",
            lang="th",
        ),
    )
    g.add(
        ds,
        DCT + "description",
        g.lit(
            "The Lower Northern Provincial Cluster 1 development plan and the Nakhon Sawan provincial development "
            "strategy FY2564 (2021) as bilingual (Thai/English) linked data, with the areas they cover, the National "
            "Strategy and SDG anchors, and a curated, reasoned alignment between the two plans.",
            lang="en",
        ),
    )
    for lic in stats.licenses or [CC_BY_4]:
        g.add(ds, DCT + "license", iri(lic))
    g.add(ds, DCT + "creator", g.lit("planlink contributors"))
    for lang in ("th", "en"):
        g.add(ds, DCT + "language", iri(f"http://id.loc.gov/vocabulary/iso639-1/{lang}"))
    for kw_th, kw_en in (
        ("แผนพัฒนาจังหวัด", "provincial development plan"),
        ("แผนพัฒนากลุ่มจังหวัด", "provincial cluster development plan"),
        ("ความสอดคล้องของแผน", "plan alignment"),
    ):
        g.add(ds, DCAT + "keyword", g.lit(kw_th, lang="th"))
        g.add(ds, DCAT + "keyword", g.lit(kw_en, lang="en"))
    if modified:
        stamp = dt.datetime.fromtimestamp(int(modified), dt.UTC).isoformat().replace("+00:00", "Z")
        g.add(ds, DCT + "modified", g.lit(stamp, "dateTime"))
    for src in stats.sources:
        g.add(ds, DCT + "source", iri(src))
    g.add(ds, FOAF + "homepage", iri(f"{host}/"))
    g.add(ds, DCAT + "landingPage", iri(f"{host}/"))

    # VoID: access, URI space, vocabularies, statistics
    endpoint = iri(f"{host}/sparql")
    g.add(ds, VOID + "sparqlEndpoint", endpoint)
    g.add(ds, VOID + "uriSpace", g.lit(uri_space(base)))
    for plan in stats.plans:
        g.add(ds, VOID + "rootResource", iri(plan))
        g.add(ds, VOID + "exampleResource", iri(plan))
    vocabularies = sorted(
        {vocabulary_of(p) for p in stats.properties} | {vocabulary_of(c) for c in stats.classes}
    )
    for v in vocabularies:
        g.add(ds, VOID + "vocabulary", iri(v))
    g.add(ds, VOID + "triples", g.lit(stats.triples, "integer"))
    g.add(ds, VOID + "entities", g.lit(stats.entities, "integer"))
    g.add(ds, VOID + "distinctSubjects", g.lit(stats.distinct_subjects, "integer"))
    g.add(ds, VOID + "distinctObjects", g.lit(stats.distinct_objects, "integer"))
    g.add(ds, VOID + "classes", g.lit(len(stats.classes), "integer"))
    g.add(ds, VOID + "properties", g.lit(len(stats.properties), "integer"))
    for cls, n in sorted(stats.classes.items()):
        part = ox.BlankNode()
        g.add(ds, VOID + "classPartition", part)
        g.add(part, VOID + "class", iri(cls))
        g.add(part, VOID + "entities", g.lit(n, "integer"))
    for prop, n in sorted(stats.properties.items()):
        part = ox.BlankNode()
        g.add(ds, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", iri(prop))
        g.add(part, VOID + "triples", g.lit(n, "integer"))

    # the SPARQL endpoint as a DCAT data service
    service = ox.BlankNode()
    g.add(ds, DCAT + "accessService", service)
    g.add(service, RDF_TYPE.value, iri(DCAT + "DataService"))
    g.add(service, DCT + "title", g.lit("planlink SPARQL 1.1 endpoint", lang="en"))
    g.add(service, DCAT + "endpointURL", endpoint)
    g.add(service, DCAT + "endpointDescription", endpoint)
    g.add(service, DCT + "conformsTo", iri("https://www.w3.org/TR/sparql11-protocol/"))
    g.add(service, DCAT + "servesDataset", ds)

    # dumps and distributions: the whole dataset on the dataset, each graph's files on its subset
    subsets: dict[str, ox.NamedNode] = {}
    for f in data.files:
        sub = subsets[f.iri] = iri(f.iri)
        g.add(ds, VOID + "subset", sub)
        g.add(sub, RDF_TYPE.value, iri(VOID + "Dataset"))
        g.add(sub, RDF_TYPE.value, iri(DCAT + "Dataset"))
        g.add(sub, DCT + "title", g.lit(f.name))
        g.add(sub, DCT + "isPartOf", ds)
        g.add(sub, VOID + "triples", g.lit(data.triples_per_graph.get(f.iri, 0), "integer"))
        g.add(sub, VOID + "sparqlEndpoint", endpoint)
        if f.role == "ontology":
            g.add(sub, VOID + "vocabulary", iri(f"{base}def/plan"))
    for dump in dumps:
        d = dump.download
        owner = subsets.get(d.graph, ds) if d.graph else ds
        url = iri(dump.url)
        g.add(owner, VOID + "dataDump", url)
        g.add(owner, VOID + "feature", iri(w3c_iri(d.format.name)))
        dist = ox.BlankNode()
        g.add(owner, DCAT + "distribution", dist)
        g.add(dist, RDF_TYPE.value, iri(DCAT + "Distribution"))
        g.add(dist, DCT + "title", g.lit(d.filename))
        g.add(dist, DCAT + "downloadURL", url)
        g.add(dist, DCAT + "accessURL", url)
        g.add(dist, DCAT + "mediaType", iri(IANA + d.format.media_type))
        g.add(dist, DCT + "format", iri(w3c_iri(d.format.name)))
        g.add(dist, DCAT + "byteSize", g.lit(dump.byte_size, "nonNegativeInteger"))
        g.add(dist, DCT + "license", iri((stats.licenses or [CC_BY_4])[0]))
    return list(dict.fromkeys(g.triples))


class Describer:
    """Statistics computed once per data version (the query service also caches the answers)."""

    def __init__(self, data: LoadedData, query: QueryService) -> None:
        self.data = data
        self.query = query
        self._stats: Statistics | None = None
        self._lock = threading.Lock()

    def statistics(self) -> Statistics:
        if self._stats is None:
            with self._lock:
                if self._stats is None:
                    self._stats = statistics(self.query, self.data.base)
        return self._stats


def service_description(data: LoadedData, host: str, federated: bool = False) -> list[ox.Triple]:
    """The SPARQL 1.1 service description of the endpoint at ``{host}/sparql``: the language, features and
    result formats it supports, and its dataset (the union default graph and each named graph, with their sizes).
    ``federated``: SERVICE is allowed for some hosts (an allow-list is set)."""
    g = _Graph()
    iri = ox.NamedNode
    svc = ox.BlankNode()
    g.add(svc, RDF_TYPE.value, iri(SD + "Service"))
    g.add(svc, SD + "endpoint", iri(f"{host}/sparql"))
    g.add(svc, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    g.add(svc, SD + "feature", iri(SD + "UnionDefaultGraph"))
    if federated:
        g.add(svc, SD + "feature", iri(SD + "BasicFederatedQuery"))
    for f in W3C_FORMATS:
        g.add(svc, SD + "resultFormat", iri(w3c_iri(f.name)))
    ds = ox.BlankNode()
    g.add(svc, SD + "defaultDataset", ds)
    g.add(ds, RDF_TYPE.value, iri(SD + "Dataset"))
    default = ox.BlankNode()
    g.add(ds, SD + "defaultGraph", default)
    g.add(default, RDF_TYPE.value, iri(SD + "Graph"))
    g.add(default, VOID + "triples", g.lit(data.total_triples, "integer"))
    for graph, n in data.triples_per_graph.items():
        named = ox.BlankNode()
        g.add(ds, SD + "namedGraph", named)
        g.add(named, SD + "name", iri(graph))
        description = ox.BlankNode()
        g.add(named, SD + "graph", description)
        g.add(description, RDF_TYPE.value, iri(SD + "Graph"))
        g.add(description, VOID + "triples", g.lit(n, "integer"))
    g.add(svc, RDFS + "seeAlso", iri(f"{host}/.well-known/void"))
    g.add(svc, RDFS + "seeAlso", iri(f"{host}/.well-known/sparql-examples"))
    return g.triples


def serialize(triples: list[ox.Triple], fmt: Format, base: str) -> bytes:
    """Metadata triples in ``fmt`` (an RDF format of the table), with the prefixes of planlink and of the
    metadata vocabularies."""
    if not isinstance(fmt.ox, ox.RdfFormat):
        raise ValueError(f"{fmt.name} is not an RDF format")
    pfx = {**prefixes(base), "void": VOID, "dcat": DCAT, "sd": SD, "formats": FORMATS_NS}
    return ox.serialize(triples, format=fmt.ox, prefixes=pfx) or b""


# -- what the graph holds: plans, items per kind per plan (``planlink stats``) ----------------------------------

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


@contextmanager
def _local_query(data: LoadedData) -> Iterator[QueryService]:
    """A query service of one evaluator over ``data``, for a command that has loaded data but opened no project:
    its queries are time-limited and row-capped like the server's (``PLANLINK_*`` settings)."""
    from planlink.engine.evaluator import EvaluatorPool
    from planlink.foundation.settings import load_settings

    settings = load_settings()
    query = QueryService(
        EvaluatorPool(data.opener(), 1, settings.queue_wait),
        data.graph_iris,
        data.version,
        settings,
        prefixes(data.base),
    )
    try:
        yield query
    finally:
        query.close()


def summarize(data: LoadedData, query: QueryService | None = None) -> Summary:
    """Plans, items per kind per plan, and triples per named graph of ``data``, read through ``query`` (the
    project's query service; without one, a query service of one evaluator made for this and closed after)."""
    if query is None:
        with _local_query(data) as local:
            return summarize(data, local)
    prologue = sparql_prologue(data.base)
    plans: dict[str, PlanSummary] = {}
    for row in query.rows(prologue + ITEMS_QUERY):
        iri = row["plan"].value
        p = plans.setdefault(
            iri, PlanSummary(iri, row["type"].value.rsplit("#", 1)[-1], row["th"].value, row["en"].value)
        )
        if row.get("kind") is not None:
            p.items[row["kind"].value] = _int(row.get("n"))
    for text, attr in (
        (PLAN_INDICATORS_QUERY, "plan_indicators"),
        (ISSUE_INDICATORS_QUERY, "issue_indicator_entries"),
    ):
        for row in query.rows(prologue + text):
            if row["plan"].value in plans:
                setattr(plans[row["plan"].value], attr, _int(row.get("n")))
    return Summary(sorted(plans.values(), key=lambda p: p.iri), dict(data.triples_per_graph))


def as_dict(summary: Summary) -> dict[str, Any]:
    return {
        "plans": [vars(p) for p in summary.plans],
        "triplesPerGraph": summary.triples_per_graph,
        "totalTriples": summary.total_triples,
    }
