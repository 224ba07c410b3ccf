"""Suggested links between two plans by Thai-aware text similarity, kept apart from the curated links.

Each item's text is its Thai label (with the English label appended: both plans carry faithful translations,
and English glosses such as "Health and Medical Hub" are in the Thai text too). Thai is cut into words with
PyThaiNLP's ``newmm`` engine and its bundled dictionary (no download), Thai stop words (bundled) and
punctuation are dropped, and two TF-IDF models are fitted over the items of both plans: one over the words,
one over character 2-4-grams (which find ท่องเที่ยว inside แหล่งท่องเที่ยว, a single dictionary word). The
score of a pair is the mean of the two cosine similarities, in [0, 1].

For every source item the ``k`` best target items (issues, goals, indicators, missions, value-chain elements
and key success factors, the kinds curated links point to) become ``plan:AlignmentRecord``s with
``plan:method plan:Computed``, ``plan:status plan:Proposed``, ``plan:score``, ``plan:mappingRelation
skos:relatedMatch`` and ``plan:level plan:Weak`` (text similarity says that two items are related, not how
much of one serves the other) and a Thai and English rationale naming the shared words. They are written to
their own Turtle file (by default ``var/suggested-<source>--<target>.ttl``, outside ``data/``), with no plain
SKOS triple, so they never mix with the curated links.

The evaluation compares the suggestions with the curated, accepted links between the two plans:
precision@k = suggested pairs that a curator also linked / suggested pairs; recall@k = curated pairs found
among the suggestions / curated pairs.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from planlink.foundation.errors import BadRequest
from planlink.foundation.namespaces import prefixes
from planlink.foundation.text import clip, stop_words
from planlink.readmodels import curated
from planlink.readmodels.alignment import DEFAULT_SOURCE, DEFAULT_TARGET, plan_iri

if TYPE_CHECKING:
    from planlink.readmodels.context import Context

CANDIDATE_KINDS = (
    "DevelopmentIssue",
    "Goal",
    "Indicator",
    "Mission",
    "ValueChainElement",
    "KeySuccessFactor",
)
WORD_WEIGHT = 0.5  # the rest goes to the character n-grams
_NOT_WORD = re.compile(r"^[\W\d_]+$")
_PAREN = re.compile(r"[()\[\]“”\"'‘’,.:;/–—-]")


@dataclass
class Text:
    iri: str
    kind: str
    notation: str | None
    th: str
    en: str

    @property
    def display(self) -> str:
        return f"{self.notation} {self.th}" if self.notation else self.th


@dataclass
class Suggestion:
    subject: Text
    object: Text
    score: float
    shared: list[str]  # the shared words, most telling first


@dataclass
class Evaluation:
    k: int
    suggestions: int
    curated: int
    hits: int  # suggested pairs that are curated links

    @property
    def precision(self) -> float:
        return self.hits / self.suggestions if self.suggestions else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.curated if self.curated else 0.0


# -- words ------------------------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(_PAREN.sub(" ", unicodedata.normalize("NFC", text)).lower().split())


def words(text: str) -> list[str]:
    """Thai and English words of ``text``: PyThaiNLP newmm with its bundled dictionary, lower-cased, without
    stop words, punctuation and numbers."""
    from pythainlp.tokenize import word_tokenize

    out = []
    for token in word_tokenize(normalise(text), engine="newmm", keep_whitespace=False):
        token = token.strip()
        if token and not _NOT_WORD.match(token) and token not in stop_words() and len(token) > 1:
            out.append(token)
    return out


# -- reading the plans -----------------------------------------------------------------------------------------


def plan_texts(project: Context, plan: str, kinds: tuple[str, ...] | None = None) -> list[Text]:
    """The items of ``plan`` (of ``kinds``, or all), with their Thai and English labels (curated query
    plan-items, once per language)."""
    labels: dict[str, dict[str, str]] = {}
    meta: dict[str, tuple[str, str | None]] = {}
    for lang in ("th", "en"):
        for r in curated.rows(project, "plan-items", {"plan": plan, "lang": lang}):
            iri = r["item"].value
            kind = r["kind"].value.rsplit("#", 1)[-1]
            meta[iri] = (kind, r["notation"].value if "notation" in r else None)
            if "label" in r:
                labels.setdefault(iri, {})[lang] = r["label"].value
    return [
        Text(iri, kind, notation, labels.get(iri, {}).get("th", ""), labels.get(iri, {}).get("en", ""))
        for iri, (kind, notation) in meta.items()
        if kinds is None or kind in kinds
    ]


def curated_pairs(project: Context, source: str, target: str) -> set[tuple[str, str]]:
    """(subject, object) of the curated, accepted links from the source plan to the target plan."""
    rows = curated.rows(project, "alignment-matrix", {"source": source, "target": target, "lang": "en"})
    return {(r["subject"].value, r["object"].value) for r in rows}


# -- similarity ----------------------------------------------------------------------------------------------------


def suggest(sources: list[Text], targets: list[Text], k: int = 3) -> list[Suggestion]:
    """The ``k`` most similar target items for every source item (pairs with a score above 0)."""
    if k < 1:
        raise BadRequest(f"k must be at least 1, not {k}")
    if not sources or not targets:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    docs = [f"{t.th} {t.en}" for t in sources + targets]
    tokens = [words(d) for d in docs]
    word_model = TfidfVectorizer(analyzer=lambda i: tokens[int(i)], sublinear_tf=True)
    word_matrix = word_model.fit_transform([str(i) for i in range(len(docs))])
    char_model = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    char_matrix = char_model.fit_transform([normalise(t.th) for t in sources + targets])
    n = len(sources)
    score = WORD_WEIGHT * cosine_similarity(word_matrix[:n], word_matrix[n:]) + (
        1 - WORD_WEIGHT
    ) * cosine_similarity(char_matrix[:n], char_matrix[n:])
    vocabulary = word_model.get_feature_names_out()
    out: list[Suggestion] = []
    for i, s in enumerate(sources):
        ranked = sorted(range(len(targets)), key=lambda j: (-score[i, j], targets[j].iri))[:k]
        for j in ranked:
            if score[i, j] <= 0:
                continue
            shared = _shared_words(word_matrix[i], word_matrix[n + j], vocabulary)
            out.append(Suggestion(s, targets[j], float(min(1.0, max(0.0, score[i, j]))), shared))
    return out


def _shared_words(a, b, vocabulary) -> list[str]:  # type: ignore[no-untyped-def]
    weights = a.multiply(b).tocoo()
    pairs = sorted(zip(weights.data, weights.col, strict=True), key=lambda p: (-p[0], vocabulary[p[1]]))
    return [str(vocabulary[c]) for _, c in pairs[:6]]


def evaluate(found: list[Suggestion], curated_links: set[tuple[str, str]], k: int) -> Evaluation:
    pairs = {(x.subject.iri, x.object.iri) for x in found}
    return Evaluation(k, len(pairs), len(curated_links), len(pairs & curated_links))


# -- writing ----------------------------------------------------------------------------------------------------


def slug(plan: str, base: str) -> str:
    path = plan[len(base) :] if plan.startswith(base) else re.sub(r"^[a-z]+://", "", plan)
    path = path.removeprefix("id/")
    return re.sub(r"[^A-Za-z0-9-]+", "-", path).strip("-") or "plan"


def default_output(project: Context, source: str, target: str) -> Path:
    return (
        Path(project.settings.state_dir)
        / f"suggested-{slug(source, project.base)}--{slug(target, project.base)}.ttl"
    )


def to_turtle(
    found: list[Suggestion],
    source: str,
    target: str,
    base: str,
    evaluation: Evaluation,
    today: datetime.date | None = None,
) -> str:
    """The suggestions as Turtle: one computed, proposed plan:AlignmentRecord each, and no SKOS triple."""
    p = prefixes(base)
    plan, skos, rdfs, dcterms, prov, xsd = (p[x] for x in ("plan", "skos", "rdfs", "dcterms", "prov", "xsd"))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    n, lit = ox.NamedNode, ox.Literal
    day = (today or datetime.date.today()).isoformat()
    agent = n(f"{base}id/agent/planlink-suggest")
    triples = [
        ox.Triple(agent, rdf_type, n(prov + "SoftwareAgent")),
        ox.Triple(agent, n(rdfs + "label"), lit("planlink suggest (ความคล้ายของข้อความ)", language="th")),
        ox.Triple(agent, n(rdfs + "label"), lit("planlink suggest (text similarity)", language="en")),
    ]
    set_slug = f"{slug(source, base)}--{slug(target, base)}"
    for i, x in enumerate(found, 1):
        rec = n(f"{base}id/suggestion/{set_slug}/{i}")
        words_th = " ".join(f"“{w}”" for w in x.shared) or "(ไม่มีคำร่วม มีเพียงลำดับอักษรร่วม)"
        words_en = ", ".join(f"“{w}”" for w in x.shared) or "(no shared word, only shared letter sequences)"
        add: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (rdf_type, n(plan + "AlignmentRecord")),
            (
                n(rdfs + "label"),
                lit(f"ข้อเสนอ: {clip(x.subject.display, 40)} ↔ {clip(x.object.display, 40)}", language="th"),
            ),
            (n(rdfs + "label"), lit(f"Suggestion: {_named(x.subject)} ↔ {_named(x.object)}", language="en")),
            (n(plan + "alignmentSubject"), n(x.subject.iri)),
            (n(plan + "alignmentObject"), n(x.object.iri)),
            (n(plan + "mappingRelation"), n(skos + "relatedMatch")),
            (n(plan + "level"), n(plan + "Weak")),
            (n(plan + "method"), n(plan + "Computed")),
            (n(plan + "status"), n(plan + "Proposed")),
            (n(plan + "score"), lit(f"{x.score:.3f}", datatype=n(xsd + "decimal"))),
            (
                n(plan + "rationale"),
                lit(
                    f"ข้อความของสององค์ประกอบคล้ายกัน (คะแนน {x.score:.3f} จาก TF-IDF ของคำที่ตัดด้วย "
                    f"PyThaiNLP และลำดับอักษร) คำที่มีร่วมกัน: {words_th} เป็นข้อเสนอจากเครื่อง "
                    "ยังไม่ผ่านการพิจารณาของผู้เชี่ยวชาญ",
                    language="th",
                ),
            ),
            (
                n(plan + "rationale"),
                lit(
                    f"The two items' texts are similar (score {x.score:.3f}, TF-IDF over "
                    f"PyThaiNLP words and letter sequences). Shared words: {words_en}. A machine "
                    "suggestion, not yet reviewed by a curator.",
                    language="en",
                ),
            ),
            (n(dcterms + "created"), lit(day, datatype=n(xsd + "date"))),
            (n(prov + "wasAttributedTo"), agent),
        ]
        triples += [ox.Triple(rec, pr, ob) for pr, ob in add]
    body = ox.serialize(
        triples,
        format=ox.RdfFormat.TURTLE,
        prefixes={k: p[k] for k in ("plan", "skos", "rdfs", "dcterms", "prov", "xsd")},
    )
    head = (
        f"# Suggested links, computed by `planlink suggest` on {day}: NOT curated, never mixed with the curated\n"
        f"# links (plan:method plan:Computed, plan:status plan:Proposed, no plain SKOS triple).\n"
        f"# Source plan <{source}>, target plan <{target}>, k = {evaluation.k}.\n"
        f"# Against the curated links: precision@{evaluation.k} = {evaluation.precision:.3f}, "
        f"recall@{evaluation.k} = {evaluation.recall:.3f} ({evaluation.hits} of {evaluation.suggestions} "
        f"suggestions are curated links; {evaluation.curated} curated links).\n\n"
    )
    return head + (body.decode("utf-8") if isinstance(body, bytes) else str(body))


def _named(t: Text) -> str:
    """ "Guideline 1.3", "Goal 4.6": the item's kind and number, in English."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", t.kind).lower()
    return f"{kind} {t.notation}" if t.notation else kind


def run(
    project: Context, source: str | None = None, target: str | None = None, k: int = 3
) -> tuple[list[Suggestion], Evaluation, str, str]:
    """Suggestions from ``source`` to ``target`` (defaults: Nakhon Sawan -> Lower Northern Cluster 1), with
    their evaluation against the curated links."""
    src, tgt = plan_iri(project, source, DEFAULT_SOURCE), plan_iri(project, target, DEFAULT_TARGET)
    if src == tgt:
        raise BadRequest("the source and target plans are the same plan")
    sources, targets = plan_texts(project, src), plan_texts(project, tgt, CANDIDATE_KINDS)
    if not sources or not targets:
        raise BadRequest(f"no items found for <{src if not sources else tgt}>: is it a plan in this graph?")
    found = suggest(sources, targets, k)
    return found, evaluate(found, curated_pairs(project, src, tgt), k), src, tgt
