"""Suggested links between two plans, by Thai-aware text similarity and the plans' structure, kept apart from the
curated links.

Text. Each item's text is its Thai label (with the English label appended: both plans carry faithful
translations, and English glosses such as "Health and Medical Hub" are in the Thai text too). Thai is cut into
words with PyThaiNLP's ``newmm`` engine and its bundled dictionary (no download), Thai stop words (bundled) and
punctuation are dropped, and two TF-IDF models are fitted over the items of both plans: one over the words,
one over character 2-4-grams (which find ท่องเที่ยว inside แหล่งท่องเที่ยว, a single dictionary word). The text
score of a pair is the mean of the two cosine similarities, in [0, 1].

Structure (``Levers``, each measured on its own by the harness). The text score is multiplied by
- the *kinds* factor: how often the curated links of the *other* source items of the same kind go to items of the
  target's kind (a guideline's links go to goals and indicators, an indicator's to indicators), from 1 down to
  ``KIND_FLOOR``;
- ``1 + ANCHOR_WEIGHT x`` the Jaccard overlap of the two items' National Strategy / SDG anchors (an item has the
  anchors of the development issue it sits under);
- ``1 + PARENT_WEIGHT x`` the *parents* signal: whether the item the source sits under is linked (curated) to the
  item the target sits under.
The kinds and parents levers learn from curated links; an item's own links never count towards its own score, so
the evaluation below is leave-one-out for them (the parents lever reads the parent's links: it measures the case
where a curator has linked the issues before their guidelines, as the shipped data has).

For every source item the ``k`` best target items (issues, objectives, goals, indicators, missions, value-chain
elements and key success factors, the kinds curated links point to) that are not decided yet (an accepted link
or a rejected proposal: ``decided_pairs``; a pair marked unsure still awaits review) become ``plan:AlignmentRecord``s with ``plan:method
plan:Computed``, ``plan:status plan:Proposed``, ``plan:score`` (the combined score, at most 1),
``plan:mappingRelation skos:relatedMatch`` and ``plan:level plan:Weak`` (similarity says that two items are
related, not how much of one serves the other) and a Thai and English rationale naming the shared words and
signals. They are written to their own Turtle file (by default ``var/suggested-<source>--<target>.ttl``, outside
``data/``), with no plain SKOS triple, so they never mix with the curated links.

The evaluation ranks every pair (nothing left out) and compares the top ``k`` per source item with the curated,
accepted links between the two plans: precision@k = suggested pairs that a curator also linked / suggested
pairs; recall@k = curated pairs found among the suggestions / curated pairs.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from planlink.foundation.errors import BadRequest
from planlink.foundation.namespaces import prefixes
from planlink.foundation.text import clip, either, stop_words
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
    "Objective",
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
    parents: tuple[str, ...] = ()  # the items it sits under (skos:broader, in its own plan)
    ancestors: frozenset[str] = frozenset()  # parents, their parents, ...
    anchors: frozenset[str] = frozenset()  # National Strategy / SDG anchors of the item or its ancestors

    @property
    def display(self) -> str:
        return f"{self.notation} {self.th}" if self.notation else self.th


@dataclass
class Suggestion:
    subject: Text
    object: Text
    score: float
    shared: list[str]  # the shared words, most telling first
    signals: dict[str, float] = field(
        default_factory=dict
    )  # text, anchors, parents, kinds: what made the score


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
    plan-items, once per language), the items they sit under and their anchors."""
    labels: dict[str, dict[str, str]] = {}
    meta: dict[str, tuple[str, str | None]] = {}
    for lang in ("th", "en"):
        for r in curated.rows(project, "plan-items", {"plan": plan, "lang": lang}):
            iri = r["item"].value
            kind = r["kind"].value.rsplit("#", 1)[-1]
            meta[iri] = (kind, r["notation"].value if "notation" in r else None)
            if "label" in r:
                labels.setdefault(iri, {})[lang] = r["label"].value
    parents, anchors = structure(project, plan)

    def up(iri: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = list(parents.get(iri, ()))
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo += parents.get(x, ())
        return frozenset(seen)

    out = []
    for iri, (kind, notation) in meta.items():
        if kinds is not None and kind not in kinds:
            continue
        above = up(iri)
        tags = frozenset(anchors.get(iri, set()).union(*(anchors.get(a, set()) for a in above)))
        out.append(
            Text(
                iri,
                kind,
                notation,
                labels.get(iri, {}).get("th", ""),
                labels.get(iri, {}).get("en", ""),
                tuple(sorted(parents.get(iri, ()))),
                above,
                tags,
            )
        )
    return out


STRUCTURE = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?parent ?anchor WHERE {
  ?item plan:inPlan ?plan .
  { ?item skos:broader ?parent . ?parent plan:inPlan ?plan . }
  UNION
  { ?item plan:contributesTo ?anchor . }
}"""


def structure(project: Context, plan: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(item -> the items of the same plan it sits under, item -> its National Strategy / SDG anchors)."""
    parents: dict[str, set[str]] = {}
    anchors: dict[str, set[str]] = {}
    for r in project.query.rows(STRUCTURE, {"plan": ox.NamedNode(plan)}):
        if "parent" in r:
            parents.setdefault(r["item"].value, set()).add(r["parent"].value)
        if "anchor" in r:
            anchors.setdefault(r["item"].value, set()).add(r["anchor"].value)
    return parents, anchors


def curated_pairs(project: Context, source: str, target: str) -> set[tuple[str, str]]:
    """(subject, object) of the curated, accepted links from the source plan to the target plan."""
    rows = curated.rows(project, "alignment-matrix", {"source": source, "target": target, "lang": "en"})
    return {(r["subject"].value, r["object"].value) for r in rows}


# -- similarity ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Levers:
    """Which structural signals join the text similarity (all on by default; the harness turns them off one by
    one to measure each)."""

    kinds: bool = (
        True  # how often curated links join the two items' kinds (leave-one-out: never the item's own)
    )
    anchors: bool = True  # shared National Strategy / SDG anchors (of the items or the issues they sit under)
    parents: bool = True  # the curated links of the items the source item sits under (never its own links)


TEXT_ONLY = Levers(kinds=False, anchors=False, parents=False)
ANCHOR_WEIGHT = 2.0
PARENT_WEIGHT = 2.0
KIND_FLOOR = 0.25  # a kind pair no curated link joins keeps a quarter of its score


def text_scores(sources: list[Text], targets: list[Text]):  # type: ignore[no-untyped-def]
    """(score matrix sources x targets, word matrix, vocabulary): the mean of the word and the character
    n-gram TF-IDF cosines."""
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
    return score, word_matrix, word_model.get_feature_names_out()


def kind_factor(source: Text, target: Text, links: set[tuple[str, str]], kinds: dict[str, str]) -> float:
    """How often the curated links of *other* source items of this kind go to an item of the target's kind,
    relative to the commonest kind: 1 for the commonest, KIND_FLOOR for a kind none goes to, 1 when no
    other item of the source's kind is linked."""
    counts: dict[str, int] = {}
    for s, o in links:
        if s != source.iri and kinds.get(s) == source.kind and o in kinds:
            counts[kinds[o]] = counts.get(kinds[o], 0) + 1
    if not counts:
        return 1.0
    return KIND_FLOOR + (1 - KIND_FLOOR) * counts.get(target.kind, 0) / max(counts.values())


def parent_signal(
    source: Text, target: Text, links: set[tuple[str, str]], ancestors_of: dict[str, frozenset[str]]
) -> float:
    """1 when an item the source sits under is linked to an item the target sits under (a guideline under an
    issue linked to issue 3 looks among issue 3's goals and indicators); 0.3 when it is linked to the target
    itself or to an item under it. Only the ancestors' links count, never the source item's own."""
    best = 0.0
    for s, o in links:
        if s not in source.ancestors:
            continue
        if o in target.ancestors:
            return 1.0
        if o == target.iri or target.iri in ancestors_of.get(o, frozenset()):
            best = 0.3
    return best


def anchor_signal(source: Text, target: Text) -> float:
    """Jaccard overlap of the two items' anchors (0 when either has none)."""
    if not source.anchors or not target.anchors:
        return 0.0
    return len(source.anchors & target.anchors) / len(source.anchors | target.anchors)


def suggest(
    sources: list[Text],
    targets: list[Text],
    k: int = 3,
    links: set[tuple[str, str]] | None = None,
    levers: Levers = TEXT_ONLY,
    exclude: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[Suggestion]:
    """The ``k`` best target items for every source item (pairs with a score above 0), leaving out the pairs
    in ``exclude`` (already accepted or rejected). ``links`` are the curated links the structural levers
    learn from; an item's own links never count towards its own suggestions."""
    if k < 1:
        raise BadRequest(f"k must be at least 1, not {k}")
    if not sources or not targets:
        return []
    links = links or set()
    text, word_matrix, vocabulary = text_scores(sources, targets)
    kinds = {t.iri: t.kind for t in sources + targets}
    ancestors_of = {t.iri: t.ancestors for t in targets}
    n = len(sources)
    out: list[Suggestion] = []
    for i, s in enumerate(sources):
        scored = []
        for j, t in enumerate(targets):
            if (s.iri, t.iri) in exclude:
                continue
            value = float(text[i, j])
            signals = {"text": value}
            boost = 1.0
            if levers.anchors:
                signals["anchors"] = anchor_signal(s, t)
                boost += ANCHOR_WEIGHT * signals["anchors"]
            if levers.parents:
                signals["parents"] = parent_signal(s, t, links, ancestors_of)
                boost += PARENT_WEIGHT * signals["parents"]
            value *= boost
            if levers.kinds:
                signals["kinds"] = kind_factor(s, t, links, kinds)
                value *= signals["kinds"]
            scored.append((value, t.iri, j, signals))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for value, _, j, signals in scored[:k]:
            if value <= 0:
                continue
            shared = _shared_words(word_matrix[i], word_matrix[n + j], vocabulary)
            out.append(Suggestion(s, targets[j], float(min(1.0, max(0.0, value))), shared, signals))
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
                    f"PyThaiNLP และลำดับอักษร{_signals(x, 'th')}) คำที่มีร่วมกัน: {words_th} "
                    "เป็นข้อเสนอจากเครื่อง ยังไม่ผ่านการพิจารณาของผู้เชี่ยวชาญ",
                    language="th",
                ),
            ),
            (
                n(plan + "rationale"),
                lit(
                    f"The two items' texts are similar (score {x.score:.3f}, TF-IDF over "
                    f"PyThaiNLP words and letter sequences{_signals(x, 'en')}). Shared words: {words_en}. A machine "
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


def _signals(x: Suggestion, lang: str) -> str:
    """The structural signals that raised the score, as a clause of the rationale ("" when none did)."""
    parts = []
    if x.signals.get("anchors"):
        parts.append(
            either(
                lang,
                f"ยุทธศาสตร์ชาติ/SDG ร่วมกัน {x.signals['anchors']:.2f}",
                f"shared National Strategy/SDG anchors {x.signals['anchors']:.2f}",
            )
        )
    if x.signals.get("parents"):
        parts.append(either(lang, "องค์ประกอบแม่เชื่อมโยงกันแล้ว", "their parents are linked"))
    return "; " + ", ".join(parts) if parts else ""


def _named(t: Text) -> str:
    """ "Guideline 1.3", "Goal 4.6": the item's kind and number, in English."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", t.kind).lower()
    return f"{kind} {t.notation}" if t.notation else kind


def run(
    project: Context,
    source: str | None = None,
    target: str | None = None,
    k: int = 3,
    levers: Levers = Levers(),
    exclude: set[tuple[str, str]] | None = None,
) -> tuple[list[Suggestion], Evaluation, str, str]:
    """Suggestions from ``source`` to ``target`` (defaults: Nakhon Sawan -> Lower Northern Cluster 1), and the
    evaluation of the ranking against the curated links.

    The evaluation ranks every pair (nothing left out) and, for each source item, hides that item's own curated
    links from the structural levers (leave-one-out): the kinds lever learns from the other items' links, the
    parents lever reads the links of the items it sits under. The suggestions returned are that top ``k`` less
    the pairs in ``exclude`` (by default the decided ones: accepted links and rejected proposals): what awaits
    review. A curator never sees a decided pair again, and the list shrinks as decisions are made."""
    src, tgt = plan_iri(project, source, DEFAULT_SOURCE), plan_iri(project, target, DEFAULT_TARGET)
    if src == tgt:
        raise BadRequest("the source and target plans are the same plan")
    sources, targets = plan_texts(project, src), plan_texts(project, tgt, CANDIDATE_KINDS)
    if not sources or not targets:
        raise BadRequest(f"no items found for <{src if not sources else tgt}>: is it a plan in this graph?")
    links = curated_pairs(project, src, tgt)
    ranked = suggest(sources, targets, k, links, levers)
    evaluation = evaluate(ranked, links, k)
    if exclude is None:
        exclude = decided_pairs(project, src, tgt)
    found = [x for x in ranked if (x.subject.iri, x.object.iri) not in exclude]
    return found, evaluation, src, tgt


DECIDED = """
PREFIX plan: <https://w3id.org/planlink/def/plan#>
SELECT DISTINCT ?subject ?object WHERE {
  ?subject plan:inPlan ?source .
  ?record plan:alignmentSubject ?subject ; plan:alignmentObject ?object .
  ?object plan:inPlan ?target .
  { ?record a plan:AlignmentRecord ; plan:status plan:Accepted . }
  UNION
  { ?record a plan:CurationDecision ; plan:status plan:Rejected . }
}"""


def decided_pairs(project: Context, source: str, target: str) -> set[tuple[str, str]]:
    """(subject, object) of the accepted links and the rejected proposals between the two plans, as loaded."""
    rows = project.query.rows(DECIDED, {"source": ox.NamedNode(source), "target": ox.NamedNode(target)})
    return {(r["subject"].value, r["object"].value) for r in rows}
