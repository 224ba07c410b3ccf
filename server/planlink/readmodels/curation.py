"""Curating links (``planlink curate``): the proposals of one plan pair, and the curator's decisions, kept in the
pair's files in ``data/``. No Flask here: the curation web app (web/curate.py) and the tests use this model.

- ``proposals()``: what ``suggest`` proposes for the pair (the top ``k`` per source item of the combined text and
  structure score) less the pairs already decided, each with both items' Thai and English text, the items they sit
  under, their shared National Strategy / SDG anchors and the score. A pair marked unsure stays in the list.
- ``accept()`` writes a curated, accepted ``plan:AlignmentRecord`` (relation, level, Thai and English rationale,
  ``plan:method plan:Curated``, the curator as ``prov:wasAttributedTo``, ``dcterms:created``) and its plain SKOS
  triple into ``data/alignment-<source>--<target>.ttl``; ``reject()`` and ``unsure()`` write a
  ``plan:CurationDecision`` (``plan:Rejected`` with its reason, or ``plan:Unsure``, with the proposal's score) into
  ``data/decisions-<source>--<target>.ttl``. Records are appended as Turtle text, so the hand-written file keeps
  its comments and layout.
- Every write is checked first and made whole or not at all: the pair must still be undecided; the files must be
  the ``version`` the curator's page was made from (else ``Conflict``, HTTP 409: another tab or curator wrote in
  between); the new file, with all the other data files, is validated against the shapes (else
  ``RecordInvalid``, 422, with the shapes' messages); then it is written to a temporary file in the same folder
  and renamed over the old one, under a lock on the pair, so a reader never sees half a file.

The served report and the store are rebuilt from the files at the next start of ``planlink serve``.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from planlink.engine.store import parse_file, rdf_files, to_rdflib_graph
from planlink.foundation.errors import BadRequest, Conflict, PlanlinkError, RecordInvalid
from planlink.foundation.text import clip
from planlink.readmodels import suggest
from planlink.readmodels.alignment import DEFAULT_SOURCE, DEFAULT_TARGET, plan_iri
from planlink.readmodels.validation import ontology_graph, shapes_graph, validate_graph

if TYPE_CHECKING:
    from planlink.readmodels.context import Context

PLAN = "https://w3id.org/planlink/def/plan#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
LEVELS = ("Full", "Partial", "Weak")
STATUSES = {"accepted": "Accepted", "rejected": "Rejected", "unsure": "Unsure"}
PREFIXES = """@prefix plan:    <https://w3id.org/planlink/def/plan#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""


def _error(cls: type[PlanlinkError], th: str, en: str, **details: object) -> PlanlinkError:
    """An error with its words in both languages: ``message`` (English) and the detail ``message_th``."""
    return cls(en, message_th=th, **details)


@dataclass
class Anchor:
    iri: str
    th: str
    en: str


@dataclass
class Decision:
    record: str
    subject: str
    object: str
    status: str  # accepted, rejected or unsure
    curator: str | None
    date: str | None
    reason: str | None = None


@dataclass
class Proposal:
    subject: suggest.Text
    object: suggest.Text
    score: float
    shared: list[str]
    signals: dict[str, float]
    anchors: list[Anchor]  # shared by the two items
    subject_parents: list[suggest.Text] = field(default_factory=list)
    object_parents: list[suggest.Text] = field(default_factory=list)
    unsure: Decision | None = None  # the latest "unsure" decision on this pair, if any

    @property
    def key(self) -> str:
        return hashlib.sha1(f"{self.subject.iri} {self.object.iri}".encode()).hexdigest()[:10]


def _slug(plan: str, base: str) -> str:
    return suggest.slug(plan, base)


def curator_iri(base: str, name: str) -> str:
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{base}id/agent/curator/{ascii_slug or hashlib.sha1(name.encode()).hexdigest()[:12]}"


def literal(text: str, lang: str) -> str:
    """A Turtle literal with a language tag, escaped."""
    body = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{body}"@{lang}'


class Curation:
    """The curation of one plan pair by one curator."""

    def __init__(
        self,
        project: Context,
        source: str | None,
        target: str | None,
        curator: str,
        k: int = 3,
        root: Path | None = None,
    ) -> None:
        if not curator.strip():
            raise _error(BadRequest, "ต้องระบุชื่อผู้คัดสรร", "a curator's name is needed")
        self.project = project
        self.base = project.base
        self.root = Path(root or project.settings.root)
        self.source = plan_iri(project, source, DEFAULT_SOURCE)
        self.target = plan_iri(project, target, DEFAULT_TARGET)
        if self.source == self.target:
            raise _error(
                BadRequest,
                "แผนต้นทางและแผนปลายทางเป็นแผนเดียวกัน",
                "the source and target plans are the same plan",
            )
        self.curator = curator.strip()
        self.curator_iri = curator_iri(self.base, self.curator)
        self.k = k
        self.sources = suggest.plan_texts(project, self.source)
        self.targets = suggest.plan_texts(project, self.target, suggest.CANDIDATE_KINDS)
        if not self.sources or not self.targets:
            missing = self.source if not self.sources else self.target
            raise _error(
                BadRequest,
                f"ไม่พบองค์ประกอบของ <{missing}> แผนนี้อยู่ในข้อมูลหรือไม่",
                f"no items found for <{missing}>: is it a plan in this graph?",
            )
        every = {t.iri: t for t in suggest.plan_texts(project, self.source)}
        every.update({t.iri: t for t in suggest.plan_texts(project, self.target)})
        self.items = every
        self.anchor_labels = _anchor_labels(project)
        self.kind_labels = {
            r["kind"].value.rsplit("#", 1)[-1] + "@" + r["label"].language: r["label"].value
            for r in project.query.rows(KIND_LABELS)
        }
        pair = f"{_slug(self.source, self.base)}--{_slug(self.target, self.base)}"
        self.pair = pair
        self.alignment_file = self.root / "data" / f"alignment-{pair}.ttl"
        self.decisions_file = self.root / "data" / f"decisions-{pair}.ttl"

    def kind_name(self, kind: str, lang: str) -> str:
        """The kind's label in ``lang`` (from the ontology), e.g. แนวทางการพัฒนา, guideline."""
        return self.kind_labels.get(f"{kind}@{lang}") or kind

    # -- reading -----------------------------------------------------------------------------------------------

    def version(self) -> str:
        """A fingerprint of the pair's two files as they are now."""
        h = hashlib.sha256()
        for path in (self.alignment_file, self.decisions_file):
            h.update(path.read_bytes() if path.is_file() else b"")
            h.update(b"\0")
        return h.hexdigest()[:16]

    def decisions(self) -> dict[tuple[str, str], Decision]:
        """Every decision on a pair of the two plans, read from the files: accepted records (whoever made them)
        and the latest rejection or unsure mark of each pair; an acceptance wins over any unsure mark."""
        out: dict[tuple[str, str], Decision] = {}
        for path, cls in (
            (self.decisions_file, "CurationDecision"),
            (self.alignment_file, "AlignmentRecord"),
        ):
            facts = _facts(path)
            labels = {iri: v[RDFS_LABEL][0] for iri, v in facts.items() if RDFS_LABEL in v}
            rows = []
            for rec, v in facts.items():
                if PLAN + cls not in v.get(RDF_TYPE, []):
                    continue

                def one(pred: str, v: dict[str, list[str]] = v) -> str | None:
                    return v[pred][0] if v.get(pred) else None

                s, o = one(PLAN + "alignmentSubject"), one(PLAN + "alignmentObject")
                status = (one(PLAN + "status") or "").rsplit("#", 1)[-1].lower()
                if (
                    s is None
                    or o is None
                    or s not in self.items
                    or o not in self.items
                    or status not in STATUSES
                ):
                    continue
                who = one(PROV + "wasAttributedTo")
                reason = " / ".join(v.get(PLAN + "rationale", [])) or None
                decision = Decision(
                    rec, s, o, status, labels.get(who or "", who), one(DCTERMS + "created"), reason
                )
                rows.append((_number(rec), decision))
            for _, d in sorted(rows, key=lambda r: r[0]):
                held = out.get((d.subject, d.object))
                if held is None or held.status != "accepted":
                    out[(d.subject, d.object)] = d
        return out

    def proposals(self) -> list[Proposal]:
        """The pair's proposals that await review, best first within each source item."""
        decided = self.decisions()
        links = {p for p, d in decided.items() if d.status == "accepted"}
        ranked = suggest.suggest(self.sources, self.targets, self.k, links, suggest.Levers())
        out = []
        for x in ranked:
            d = decided.get((x.subject.iri, x.object.iri))
            if d is not None and d.status != "unsure":
                continue
            shared = sorted(x.subject.anchors & x.object.anchors)
            out.append(
                Proposal(
                    x.subject,
                    x.object,
                    x.score,
                    x.shared,
                    x.signals,
                    [self.anchor_labels.get(a, Anchor(a, a, a)) for a in shared],
                    [self.items[p] for p in x.subject.parents if p in self.items],
                    [self.items[p] for p in x.object.parents if p in self.items],
                    d,
                )
            )
        return out

    def counts(self) -> dict[str, int]:
        return self.counts_of(self.proposals())

    def counts_of(self, proposals: list[Proposal]) -> dict[str, int]:
        """Decisions by status (accepted, rejected, unsure) and the proposals awaiting review."""
        decided = self.decisions()
        by = {s: sum(1 for d in decided.values() if d.status == s) for s in STATUSES}
        return {**by, "awaiting": len(proposals), "unsure_awaiting": sum(1 for p in proposals if p.unsure)}

    # -- deciding ----------------------------------------------------------------------------------------------

    def accept(
        self,
        version: str,
        subject: str,
        object: str,
        relation: str,
        level: str,
        rationale_th: str,
        rationale_en: str,
        lang: str = "en",
        today: datetime.date | None = None,
    ) -> tuple[str, str]:
        """Write the accepted link; (the new record's IRI, the files' new version)."""
        if relation not in RELATIONS:
            raise _error(
                BadRequest,
                f"ความสัมพันธ์ {relation!r} ไม่มีในรายการ เลือกหนึ่งใน {', '.join(RELATIONS)}",
                f"the relation {relation!r} is not one of {', '.join(RELATIONS)}",
                field="relation",
            )
        if level not in LEVELS:
            raise _error(
                BadRequest,
                f"ระดับ {level!r} ไม่มีในรายการ เลือกหนึ่งใน {', '.join(LEVELS)}",
                f"the level {level!r} is not one of {', '.join(LEVELS)}",
                field="level",
            )
        self._check_pair(subject, object)
        day = (today or datetime.date.today()).isoformat()
        s, o = self.items[subject], self.items[object]

        def block(n: int, text: str) -> str:
            rec = f"{self.base}id/alignment/{self.pair}/{n}"
            rationales = [
                literal(r.strip(), g) for r, g in ((rationale_th, "th"), (rationale_en, "en")) if r.strip()
            ]
            lines = [
                "",
                f"# ---- curated with planlink curate by {self.curator} on {day}",
                *self._agent(text),
                "",
                f"<{rec}>",
                "    a plan:AlignmentRecord ;",
                f"    rdfs:label {literal(self._named(s, 'th') + ' ↔ ' + self._named(o, 'th'), 'th')} , "
                f"{literal(self._named(s, 'en') + ' ↔ ' + self._named(o, 'en'), 'en')} ;",
                f"    plan:alignmentSubject <{subject}> ;",
                f"    plan:alignmentObject <{object}> ;",
                f"    plan:mappingRelation skos:{relation} ;",
                f"    plan:level plan:{level} ;",
                *(["    plan:rationale " + RATIONALE_JOIN.join(rationales) + " ;"] if rationales else []),
                "    plan:method plan:Curated ;",
                "    plan:status plan:Accepted ;",
                f'    dcterms:created "{day}"^^xsd:date ;',
                f"    prov:wasAttributedTo <{self.curator_iri}> .",
                "",
                f"<{subject}> skos:{relation} <{object}> .",
                "",
            ]
            return "\n".join(lines)

        return self._write(
            self.alignment_file, "alignment", version, block, lang, ALIGNMENT_HEAD, (subject, object)
        )

    def reject(
        self,
        version: str,
        subject: str,
        object: str,
        reason: str,
        reason_lang: str,
        lang: str = "en",
        today: datetime.date | None = None,
    ) -> tuple[str, str]:
        return self._decide("Rejected", version, subject, object, reason, reason_lang, lang, today)

    def unsure(
        self,
        version: str,
        subject: str,
        object: str,
        reason: str,
        reason_lang: str,
        lang: str = "en",
        today: datetime.date | None = None,
    ) -> tuple[str, str]:
        return self._decide("Unsure", version, subject, object, reason, reason_lang, lang, today)

    def _decide(
        self,
        status: str,
        version: str,
        subject: str,
        object: str,
        reason: str,
        reason_lang: str,
        lang: str,
        today: datetime.date | None,
    ) -> tuple[str, str]:
        if reason_lang not in ("th", "en"):
            raise _error(
                BadRequest,
                f"ภาษาของเหตุผลต้องเป็น th หรือ en ไม่ใช่ {reason_lang!r}",
                f"the reason's language must be th or en, not {reason_lang!r}",
                field="reason_lang",
            )
        self._check_pair(subject, object, unsure_ok=True)
        day = (today or datetime.date.today()).isoformat()
        score = self._score(subject, object)

        def block(n: int, text: str) -> str:
            rec = f"{self.base}id/decision/{self.pair}/{n}"
            lines = [
                "",
                *self._agent(text),
                "",
                f"<{rec}>",
                "    a plan:CurationDecision ;",
                f"    plan:alignmentSubject <{subject}> ;",
                f"    plan:alignmentObject <{object}> ;",
                f"    plan:status plan:{status} ;",
                "    plan:method plan:Curated ;",
                *([f'    plan:score "{score:.3f}"^^xsd:decimal ;'] if score is not None else []),
                *([f"    plan:rationale {literal(reason.strip(), reason_lang)} ;"] if reason.strip() else []),
                f'    dcterms:created "{day}"^^xsd:date ;',
                f"    prov:wasAttributedTo <{self.curator_iri}> .",
                "",
            ]
            return "\n".join(lines)

        return self._write(
            self.decisions_file, "decision", version, block, lang, DECISIONS_HEAD, (subject, object)
        )

    def _check_pair(self, subject: str, object: str, unsure_ok: bool = False) -> None:
        src = {t.iri for t in self.sources}
        tgt = {t.iri for t in self.items.values() if t.iri not in src}
        if subject not in src:
            raise _error(
                BadRequest,
                f"<{subject}> ไม่ใช่องค์ประกอบของแผนต้นทาง <{self.source}>",
                f"<{subject}> is not an item of the source plan <{self.source}>",
                field="subject",
            )
        if object not in tgt:
            raise _error(
                BadRequest,
                f"<{object}> ไม่ใช่องค์ประกอบของแผนปลายทาง <{self.target}>",
                f"<{object}> is not an item of the target plan <{self.target}>",
                field="object",
            )

    def _named(self, t: suggest.Text, lang: str) -> str:
        """ "แนวทางการพัฒนา 1.3", "guideline 1.3": the item's kind and number, as a record's label names it."""
        kind = self.kind_name(t.kind, lang)
        return (
            f"{kind} {t.notation}"
            if t.notation
            else f"{kind}: {clip(t.th if lang == 'th' else t.en or t.th, 40)}"
        )

    def _score(self, subject: str, object: str) -> float | None:
        for p in self.proposals():
            if p.subject.iri == subject and p.object.iri == object:
                return p.score
        return None

    def _agent(self, text: str) -> list[str]:
        if f"<{self.curator_iri}>\n    a prov:Person" in text:
            return []
        return [
            "",
            f"<{self.curator_iri}>",
            "    a prov:Person ;",
            f"    rdfs:label {literal(self.curator, 'th')} , {literal(self.curator, 'en')} .",
        ]

    def _write(
        self,
        path: Path,
        what: str,
        version: str,
        block: Callable[[int, str], str],
        lang: str,
        head: str,
        pair: tuple[str, str],
    ) -> tuple[str, str]:
        with self._locked():
            if version != self.version():
                raise _error(
                    Conflict,
                    "ไฟล์ของคู่แผนนี้เปลี่ยนไปหลังจากที่เปิดหน้านี้ (มีการตัดสินจากแท็บอื่นหรือผู้คัดสรรคนอื่น) "
                    "ยังไม่ได้บันทึกการตัดสินนี้ โปรดโหลดหน้าใหม่แล้วตัดสินอีกครั้ง",
                    "the files of this plan pair changed after this page was opened (a decision was made in "
                    "another tab or by another curator); this decision was NOT written: reload the page and "
                    "decide again",
                    expected=version,
                    current=self.version(),
                )
            d = self.decisions().get(pair)
            if d is not None and d.status != "unsure":
                raise _error(
                    Conflict,
                    f"คู่นี้ได้รับการ{'ยอมรับ' if d.status == 'accepted' else 'ปฏิเสธ'}แล้วใน <{d.record}> "
                    "ยังไม่ได้บันทึกการตัดสินนี้",
                    f"this pair is already {d.status} in <{d.record}>; this decision was NOT written",
                    record=d.record,
                )
            old = (
                path.read_text("utf-8")
                if path.is_file()
                else head.format(source=self.source, target=self.target) + PREFIXES
            )
            n = 1 + max(
                (
                    _number(m)
                    for m in re.findall(
                        rf"<{re.escape(self.base)}id/{what}/{re.escape(self.pair)}/(\d+)>", old
                    )
                ),
                default=0,
            )
            record = f"{self.base}id/{what}/{self.pair}/{n}"
            new = old.rstrip("\n") + "\n" + block(n, old)
            self._validate(path, new, lang)
            _replace(path, new)
            return record, self.version()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        key = hashlib.sha1(str(self.alignment_file.resolve()).encode()).hexdigest()[:16]
        lock = Path(tempfile.gettempdir()) / f"planlink-curate-{key}.lock"
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _validate(self, path: Path, text: str, lang: str) -> None:
        """The data files, with ``path`` as ``text``, against the shapes: refuse the write on any violation."""
        data = rdflib.Graph()
        try:
            new = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:  # a bug here, not the curator's: say so, write nothing
            raise _error(
                RecordInvalid,
                f"บันทึกที่สร้างขึ้นอ่านเป็น Turtle ไม่ได้: {exc}",
                f"the record made does not parse as Turtle: {exc}",
            ) from exc
        for p in rdf_files(self.root / "data"):
            if p.resolve() == path.resolve():
                continue
            to_rdflib_graph(parse_file(p), data)
        to_rdflib_graph([ox.Triple(q.subject, q.predicate, q.object) for q in new], data)
        shapes, ontology = shapes_graph(self.root), ontology_graph(self.root)
        violations, _ = validate_graph(data, shapes, ontology, lang)
        if violations:  # the words in both languages: the other one costs a second run, on this rare path
            other = validate_graph(data, shapes, ontology, "en" if lang == "th" else "th")[0]
            th, en = (violations, other) if lang == "th" else (other, violations)
            raise _error(
                RecordInvalid,
                "ไม่ได้บันทึก: บันทึกไม่เป็นไปตามรูปแบบ (shapes): " + " · ".join(dict.fromkeys(v.message for v in th)),
                "not written: the record does not conform to the shapes: "
                + " · ".join(dict.fromkeys(v.message for v in en)),
                violations=[{"focus": v.focus, "path": v.path, "message": v.message} for v in violations],
            )


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RATIONALE_JOIN = " ,\n        "

ALIGNMENT_HEAD = """# Curated alignment: <{source}> -> <{target}>
# Written by `planlink curate`: one plan:AlignmentRecord per accepted link (relation, level, Thai and English
# rationale, plan:method plan:Curated, plan:status plan:Accepted, the curator and the date), each with its plain
# SKOS triple.

"""
DECISIONS_HEAD = """# Curation decisions: <{source}> -> <{target}>
# Written by `planlink curate`: one plan:CurationDecision per proposal a curator rejected (plan:Rejected, with the
# reason) or marked unsure (plan:Unsure), with the proposal's score, the curator and the date. Accepted proposals
# are alignment records, in the pair's alignment file. `planlink suggest` never proposes a rejected pair again.

"""


def _facts(path: Path) -> dict[str, dict[str, list[str]]]:
    """The file's statements as subject -> predicate -> values (IRIs and literals as their text)."""
    out: dict[str, dict[str, list[str]]] = {}
    if not path.is_file():
        return out
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, (ox.NamedNode, ox.Literal)):
            out.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    return out


def _number(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file in the same folder, synced, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


KIND_LABELS = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind ?label WHERE {
  ?kind rdfs:subClassOf+ plan:PlanItem ; rdfs:label ?label .
  FILTER (LANG(?label) IN ("th", "en"))
}"""

ANCHOR_LABELS = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?anchor ?th ?en WHERE {
  ?item plan:contributesTo ?anchor .
  OPTIONAL { ?anchor skos:prefLabel|rdfs:label ?th . FILTER (LANG(?th) = "th") }
  OPTIONAL { ?anchor skos:prefLabel|rdfs:label ?en . FILTER (LANG(?en) = "en") }
}"""


def _anchor_labels(project: Context) -> dict[str, Anchor]:
    out: dict[str, Anchor] = {}
    for r in project.query.rows(ANCHOR_LABELS):
        iri = r["anchor"].value
        if iri not in out:
            out[iri] = Anchor(iri, r["th"].value if "th" in r else iri, r["en"].value if "en" in r else iri)
    return out
