"""The ontology as documents: its RDF (from the loaded ontology graph) and its HTML documentation, generated
by pyLODE once per data version and language, and the SHACL shapes as one graph.

pyLODE is not language-aware (it prints every label of a term side by side), so each language gets its own
document made from the ontology with the literals of the other language left out. pyLODE makes HTML fragment
ids from English-looking labels (a Thai label yields an empty id); we give it every term's IRI fragment
instead, so that ``/def/plan#Term`` lands on the term in either language.
"""

from __future__ import annotations

import html
import importlib.metadata
import logging
import re
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from planlink.engine.store import (
    LoadedData,
    fingerprint,
    graph_iri,
    parse_file,
    rdf_files,
    rebase,
    to_rdflib_graph,
)
from planlink.foundation.errors import DataChanged, NotFound, PlanlinkError
from planlink.foundation.formats import Format
from planlink.foundation.namespaces import prefixes
from planlink.foundation.text import other_lang

LANGS = ("th", "en")


def ontology_iri(base: str) -> str:
    return f"{base}def/plan"


def ontology_triples(data: LoadedData) -> list[ox.Triple]:
    """The ontology graph: its file parsed by the one loader and rebased, as the store holds it. (Read from
    the file, not the store: reading an on-disk store would start RocksDB threads in a process that forks.)"""
    iri = graph_iri(data.base, "ontology")
    files = [f for f in data.files if f.iri == iri]
    if not files:
        raise NotFound("this deployment holds no ontology (ontology/plan.ttl)")
    if fingerprint(data.files, data.base) != data.version:
        raise DataChanged("the files changed after the service started; restart it to publish the ontology")
    return rebase(parse_file(files[0].path), data.base)


def serialize(triples: list[ox.Triple], fmt: Format, base: str) -> bytes:
    return ox.serialize(triples, format=fmt.ox, prefixes=prefixes(base)) or b""  # type: ignore[arg-type]


def _in_lang(triples: list[ox.Triple], lang: str) -> rdflib.Graph:
    """The triples minus the literals tagged with another language."""
    keep = [
        t
        for t in triples
        if not (isinstance(t.object, ox.Literal) and t.object.language and t.object.language != lang)
    ]
    return to_rdflib_graph(keep)


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """pyLODE calls ``logging.basicConfig(level=DEBUG)`` when imported and ``logging.info()`` while it works;
    both would give the root logger of the whole process a handler (the first at debug level). Neither does
    anything while the root logger already has one, so it gets a NullHandler for that time."""
    root = logging.getLogger()
    guard = None if root.handlers else logging.NullHandler()
    if guard is not None:
        root.addHandler(guard)
    try:
        yield
    finally:
        if guard is not None:
            root.removeHandler(guard)


def _import_ontpub() -> Any:
    """pyLODE's OntPub. pylode 3.4.1 reads its version from a pyproject.toml that the wheel does not ship
    (RDFLib/pyLODE#260): the version module is provided here instead."""
    if "pylode.version" not in sys.modules:
        stub = types.ModuleType("pylode.version")
        stub.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = stub
    with _quiet_root_logger():
        from pylode import OntPub
    return OntPub


def _banner(lang: str, base_path: str) -> str:
    other = other_lang(lang)
    words = {"th": ("หน้าแรก", "ดาวน์โหลด", "English"), "en": ("Home", "Downloads", "ไทย")}[lang]
    links = [
        f'<a href="/?lang={lang}">planlink</a>',
        f'<a href="/?lang={lang}">{words[0]}</a>',
        f'<a href="{base_path}.ttl">Turtle</a>',
        f'<a href="{base_path}.jsonld">JSON-LD</a>',
        f'<a href="{base_path}.nt">N-Triples</a>',
        f'<a href="/downloads?lang={lang}">{words[1]}</a>',
        f'<a href="{base_path}?lang={other}" lang="{other}">{words[2]}</a>',
    ]
    return (
        '<nav class="planlink-bar" style="font:14px sans-serif;padding:.4rem 0;border-bottom:1px solid #ccc;'
        'margin-bottom:1rem">' + " · ".join(links) + "</nav>"
    )


# pyLODE writes its own words in English. On the Thai page they are put in Thai: headings, the labels of the
# properties it shows for every term, the names it gives well-known terms of other vocabularies (SKOS, PROV,
# DCTERMS), and the tooltips (``title``) of its legend and property names. A text or tooltip is replaced only when
# it is exactly one of these (terms' own labels and definitions come from the ontology, in Thai already).
TH_WORDS = {
    "Table of Contents": "สารบัญ",
    "Metadata": "เมทาดาทา",
    "Classes": "คลาส",
    "Object Properties": "คุณสมบัติเชิงวัตถุ",
    "Datatype Properties": "คุณสมบัติเชิงข้อมูล",
    "Functional Properties": "คุณสมบัติเชิงฟังก์ชัน",
    "Annotation Properties": "คุณสมบัติหมายเหตุประกอบ",
    "Properties": "คุณสมบัติ",
    "Namespaces": "เนมสเปซ",
    "Legend": "คำอธิบายสัญลักษณ์",
    "Description": "คำอธิบาย",
    "Range": "พิสัย",
    "Domain": "โดเมน",
    "Sub Class Of": "เป็นคลาสย่อยของ",
    "Super Class Of": "เป็นคลาสแม่ของ",
    "Sub Property Of": "เป็นคุณสมบัติย่อยของ",
    "Super Property Of": "เป็นคุณสมบัติแม่ของ",
    "In Domain Of": "เป็นโดเมนของ",
    "In Range Of": "เป็นพิสัยของ",
    "Title": "ชื่อเรื่อง",
    "Creator": "ผู้สร้าง",
    "Date Created": "วันที่สร้าง",
    "License": "สัญญาอนุญาต",
    "Version Iri": "IRI ของรุ่น",
    "Version Info": "ข้อมูลรุ่น",
    "Preferred Namespace Prefix": "คำนำหน้าเนมสเปซที่แนะนำ",
    "Preferred Namespace Uri": "URI ของเนมสเปซที่แนะนำ",
    "Scope Note": "หมายเหตุขอบเขต",
    "Spatial Coverage": "ขอบเขตเชิงพื้นที่",
    "Concept": "มโนทัศน์",
    "Concept Scheme": "เค้าร่างมโนทัศน์",
    "Entity": "สิ่งที่มีที่มา (Entity)",
    "Location": "ที่ตั้ง",
    "Property": "คุณสมบัติ",
    "is in scheme": "อยู่ในเค้าร่าง",
    "has related": "เกี่ยวข้องกับ",
    "was derived from": "ได้มาจาก",
    "editorial note": "บันทึกของบรรณาธิการ",
    "notation": "สัญกรณ์",
    "planlink contributors": "ผู้ร่วมพัฒนา planlink",
    "made by": "สร้างโดย",
    "with the": "ด้วยโปรไฟล์",
    "profile": "",
}
TH_TITLES = {
    "OWL/RDFS Class": "คลาส OWL/RDFS",
    "OWL Object Property": "คุณสมบัติเชิงวัตถุ OWL",
    "OWL Datatype Property": "คุณสมบัติเชิงข้อมูล OWL",
    "OWL Functional Property": "คุณสมบัติเชิงฟังก์ชัน OWL",
    "OWL Annotation Property": "คุณสมบัติหมายเหตุประกอบ OWL",
    "RDF Property": "คุณสมบัติ RDF",
    "A domain of the subject property. Defined in The RDF Schema vocabulary (RDFS)": "โดเมนของคุณสมบัตินี้ (นิยามใน RDFS)",
    "A range of the subject property. Defined in The RDF Schema vocabulary (RDFS)": "พิสัยของคุณสมบัตินี้ (นิยามใน RDFS)",
    "The subject is a subclass of a class. Defined in The RDF Schema vocabulary (RDFS)": "คลาสนี้เป็นคลาสย่อยของอีกคลาสหนึ่ง (นิยามใน RDFS)",
    "The subject is a subproperty of a property. Defined in The RDF Schema vocabulary (RDFS)": "คุณสมบัตินี้เป็นคุณสมบัติย่อยของอีกคุณสมบัติหนึ่ง (นิยามใน RDFS)",
    "Inverse of RDFS' subClassOf. Defined in Ontology Documentation Profile": "ผกผันของ rdfs:subClassOf (นิยามในโปรไฟล์เอกสารออนโทโลยี)",
    "Inverse of RDFS' subPropertyOf. Defined in Ontology Documentation Profile": "ผกผันของ rdfs:subPropertyOf (นิยามในโปรไฟล์เอกสารออนโทโลยี)",
    "Inverse of rdfs:domain. Defined in Ontology Documentation Profile": "ผกผันของ rdfs:domain (นิยามในโปรไฟล์เอกสารออนโทโลยี)",
    "Inverse of rdfs:range. Defined in Ontology Documentation Profile": "ผกผันของ rdfs:range (นิยามในโปรไฟล์เอกสารออนโทโลยี)",
    "A legal document giving official permission to do something with the resource. Defined in DCMI Metadata Terms": "เอกสารทางกฎหมายที่อนุญาตให้ใช้ทรัพยากรนี้ (นิยามใน DCMI Metadata Terms)",
    "A name given to the resource. Defined in DCMI Metadata Terms": "ชื่อของทรัพยากร (นิยามใน DCMI Metadata Terms)",
    "An account of the resource. Defined in DCMI Metadata Terms": "คำอธิบายทรัพยากร (นิยามใน DCMI Metadata Terms)",
    "An entity responsible for making the resource. Defined in DCMI Metadata Terms": "ผู้รับผิดชอบการสร้างทรัพยากร (นิยามใน DCMI Metadata Terms)",
    "Date of creation of the resource. Defined in DCMI Metadata Terms": "วันที่สร้างทรัพยากร (นิยามใน DCMI Metadata Terms)",
    "A note that helps to clarify the meaning and/or the use of a concept. Defined in SKOS Vocabulary": "หมายเหตุที่ช่วยให้ความหมายหรือการใช้มโนทัศน์ชัดเจนขึ้น (นิยามใน SKOS)",
    "The annotation property that provides version information for an ontology or another OWL construct. Defined in The OWL 2 Schema vocabulary (OWL 2)": "ข้อมูลรุ่นของออนโทโลยี (นิยามใน OWL 2)",
    "The property that identifies the version IRI of an ontology. Defined in The OWL 2 Schema vocabulary (OWL 2)": "IRI ของรุ่นของออนโทโลยี (นิยามใน OWL 2)",
    "None. Defined in None": "ไม่มีคำอธิบาย",
}


def in_thai(page: str) -> str:
    """pyLODE's own English words on a page put in Thai (``TH_WORDS``, ``TH_TITLES``): whole texts between tags
    and whole ``title`` attributes only, in the body (the styles and scripts of the head are left alone)."""
    head, mark, body = page.partition("<body")

    def text(m: re.Match[str]) -> str:
        word = m.group(2)
        return f">{m.group(1)}{TH_WORDS[word]}{m.group(3)}<" if word in TH_WORDS else m.group(0)

    def title(m: re.Match[str]) -> str:
        said = html.unescape(m.group(1))
        return f'title="{html.escape(TH_TITLES[said])}"' if said in TH_TITLES else m.group(0)

    body = re.sub(r">(\s*)([^<>]*?[A-Za-z][^<>]*?)(\s*)<", text, body)
    body = re.sub(r'title="([^"]*)"', title, body)
    return head + mark + body


def make_html(triples: list[ox.Triple], base: str, lang: str, base_path: str = "/def/plan") -> str:
    """pyLODE's documentation of the ontology in one language, with a bar of links back into planlink."""
    OntPub = _import_ontpub()
    graph = _in_lang(triples, lang)
    namespace = ontology_iri(base) + "#"
    try:
        with _quiet_root_logger():
            doc = OntPub(ontology=graph)
            doc.fids.update(
                {
                    str(s): str(s)[len(namespace) :]
                    for s in set(graph.subjects())
                    if isinstance(s, rdflib.URIRef) and str(s).startswith(namespace)
                }
            )
            page: str = doc.make_html()
    except Exception as exc:  # noqa: BLE001 - pyLODE's own errors are not ours; say what failed
        raise PlanlinkError(f"pyLODE could not document the ontology: {type(exc).__name__}: {exc}") from None
    if lang == "th":
        page = in_thai(page)
    page = page.replace("<html>", f'<html lang="{html.escape(lang)}">', 1)
    return page.replace("<body>", "<body>\n" + _banner(lang, base_path), 1)


class OntologyDocs:
    """The ontology's RDF and HTML for one loaded dataset, made once (the data is read-only while serving)."""

    def __init__(self, data: LoadedData) -> None:
        self.data = data
        self._html: dict[str, str] = {}
        self._rdf: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.data.version

    def rdf(self, fmt: Format) -> bytes:
        hit = self._rdf.get(fmt.name)
        if hit is None:
            hit = self._rdf[fmt.name] = serialize(ontology_triples(self.data), fmt, self.data.base)
        return hit

    def html(self, lang: str) -> str:
        lang = lang if lang in LANGS else "en"
        hit = self._html.get(lang)
        if hit is None:
            with self._lock:
                hit = self._html.get(lang)
                if hit is None:
                    hit = self._html[lang] = make_html(ontology_triples(self.data), self.data.base, lang)
        return hit


class Shapes:
    """The SHACL shapes (shapes/*.ttl) as one graph, read once."""

    def __init__(self, root: Path, base: str) -> None:
        self.base = base
        self.files = rdf_files(root / "shapes") if (root / "shapes").is_dir() else []
        self.version = fingerprint(self.files)
        self._triples: list[ox.Triple] | None = None
        self._rdf: dict[str, bytes] = {}

    def triples(self) -> list[ox.Triple]:
        if self._triples is None:
            seen: dict[ox.Triple, None] = {}
            for f in self.files:
                for t in rebase(parse_file(f), self.base):
                    seen.setdefault(t)
            self._triples = list(seen)
        return self._triples

    def rdf(self, fmt: Format) -> bytes:
        hit = self._rdf.get(fmt.name)
        if hit is None:
            hit = self._rdf[fmt.name] = serialize(self.triples(), fmt, self.base)
        return hit
