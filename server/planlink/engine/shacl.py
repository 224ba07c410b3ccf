"""SHACL validation at the cost of a query: every constraint runs once, over all of its focus nodes, as one
SPARQL query on pyoxigraph (pySHACL runs each constraint once per focus node, in rdflib's evaluator).

``compile_shapes(shapes)`` reads a shapes graph (rdflib) into a ``Program``; ``Program.validate(store)``
checks the default graph of a pyoxigraph store and returns ``Result``s in the terms pySHACL would report:
focus node, path (the shapes graph's own path node), value, source shape, severity, constraint component and
messages. What the program covers, and nothing else (anything else is refused by ``compile_shapes`` with
``Unsupported``, naming the shape and the construct, never skipped):

- targets: ``sh:targetClass`` (instances of the class or a subclass, by ``rdfs:subClassOf*`` in the data),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:target`` of type ``sh:SPARQLTarget``;
- paths: predicates, ``sh:inversePath``, ``sh:alternativePath``, sequences, ``sh:zeroOrMorePath``,
  ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- per focus node: ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue``, ``sh:qualifiedValueShape`` with
  ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount`` (not disjoint), one GROUP BY query per property shape;
- per value node: ``sh:class``, ``sh:datatype`` (ill-formed literals fail, as in pySHACL), ``sh:nodeKind``,
  ``sh:in``, ``sh:languageIn``, ``sh:minInclusive``/``maxInclusive``/``minExclusive``/``maxExclusive``,
  ``sh:minLength``/``maxLength``, ``sh:pattern`` with ``sh:flags`` (Python's ``re``, as pySHACL: Oxigraph's
  regular expressions have no back-references), and ``sh:not``/``sh:and``/``sh:or``/``sh:node`` over shapes made
  of those; one query per property shape, the patterns checked on its rows;
- ``sh:sparql`` SELECT constraints of node shapes: the query runs once, unbound, joined with the focus nodes.
  That equals pySHACL's pre-binding of ``$this`` when every part of the query that mentions ``$this`` binds it
  itself (or sees it bound, as inside FILTER EXISTS); a query for which that cannot be shown is refused, as are
  MINUS, VALUES, SERVICE, GRAPH, sub-queries, aggregates, LIMIT/OFFSET and the other pre-bound variables
  (``$PATH``, ``$currentShape``, ``$shapesGraph``) - the constructs the SHACL specification restricts;
- ``sh:severity``, ``sh:message`` (``{?var}``/``{$var}`` filled in as pySHACL does), ``sh:deactivated``.

The data graph is what pySHACL validates when given ``ont_graph`` with no inference: the data plus the RDFS and
OWL axioms of the ontology (``ontology_axioms``, the triples pySHACL's "inoculation" copies).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from planlink.foundation.errors import ConfigError

Node = rdflib.term.Node
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


class Unsupported(ConfigError):
    """A shape uses a construct the fast path does not evaluate; it is refused, never skipped."""

    code = "shape-unsupported"

    def __init__(self, shape: Node, construct: str, within: str = "") -> None:
        super().__init__(
            f"the shape {_name(shape)}{within} uses {construct}, which planlink's SHACL engine does not support",
            shape=str(shape),
            construct=construct,
        )
        self.shape, self.construct = shape, construct


def _name(node: Node | None) -> str:
    return f"<{node}>" if isinstance(node, rdflib.URIRef) else f"a blank-node shape ({node})"


@dataclass(frozen=True)
class Result:
    focus: OxTerm
    path: Node | None  # the sh:path node in the shapes graph (a blank node for a complex path)
    value: OxTerm | None
    shape: Node  # the source shape, a node of the shapes graph
    severity: str  # IRI: sh:Violation, sh:Warning or sh:Info
    component: str  # local name of the constraint component
    messages: tuple[rdflib.Literal, ...]
    constraint: Node | None = None  # the sh:sparql node, for SPARQL-based results

    def key(self) -> tuple[str, str, str, str]:
        """(focus node, path, source shape, severity): what the equivalence with pySHACL is judged on."""
        return (self.focus.value, str(self.path or ""), str(self.shape), self.severity)


# --- value conditions: a tree of SPARQL boolean expressions over ?value and Python pattern tests ---------


@dataclass(frozen=True)
class Expr:
    sparql: str  # a boolean SPARQL expression over ?value


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Not:
    child: Cond


@dataclass(frozen=True)
class All:
    children: tuple[Cond, ...]


@dataclass(frozen=True)
class Any_:
    children: tuple[Cond, ...]


Cond = Expr | Pattern | Not | All | Any_


def _sparql_of(cond: Cond) -> str | None:
    """The condition as one SPARQL expression, or None when it needs Python (a pattern)."""
    if isinstance(cond, Expr):
        return f"COALESCE({cond.sparql}, false)"
    if isinstance(cond, Pattern):
        return None
    if isinstance(cond, Not):
        inner = _sparql_of(cond.child)
        return None if inner is None else f"(!{inner})"
    parts = [_sparql_of(c) for c in cond.children]
    if any(p is None for p in parts):
        return None
    joiner = " && " if isinstance(cond, All) else " || "
    return "(" + (joiner.join(p for p in parts if p) or ("true" if isinstance(cond, All) else "false")) + ")"


def _leaves(cond: Cond) -> Iterator[Expr]:
    if isinstance(cond, Expr):
        yield cond
    elif isinstance(cond, Not):
        yield from _leaves(cond.child)
    elif isinstance(cond, (All, Any_)):
        for c in cond.children:
            yield from _leaves(c)


def _holds(cond: Cond, value: OxTerm | None, flags: dict[str, bool], names: dict[Expr, str]) -> bool:
    if isinstance(cond, Expr):
        return flags[names[cond]]
    if isinstance(cond, Pattern):
        if value is None or isinstance(value, ox.BlankNode):
            return False
        return cond.regex.search(value.value) is not None
    if isinstance(cond, Not):
        return not _holds(cond.child, value, flags, names)
    if isinstance(cond, All):
        return all(_holds(c, value, flags, names) for c in cond.children)
    return any(_holds(c, value, flags, names) for c in cond.children)


# --- compiled shapes -------------------------------------------------------------------------------------


@dataclass
class ValueCheck:
    component: str
    cond: Cond


@dataclass
class Count:
    component: str
    low: int | None
    high: int | None
    cond: Cond | None = None  # qualified value shape / hasValue; None: every value


@dataclass
class SparqlCheck:
    node: Node
    select: str
    prefixes: dict[str, str]
    messages: tuple[rdflib.Literal, ...]


@dataclass
class Shape:
    node: Node
    severity: str
    messages: tuple[rdflib.Literal, ...]
    path: Node | None = None
    path_sparql: str | None = None
    targets: list[str] = field(default_factory=list)
    values: list[ValueCheck] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    sparql: list[SparqlCheck] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
IGNORED = {
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.message,
    SH.severity,
    SH.deactivated,
}
VALUE_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.languageIn,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.flags,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.node,
}
COUNT_PARAMS = {
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
SHAPE_PARAMS = TARGETS | IGNORED | VALUE_PARAMS | COUNT_PARAMS | {SH.property, SH.path, SH.sparql}
NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
CASTS = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime}
COMPARE = {
    SH.minInclusive: (">=", "MinInclusive"),
    SH.maxInclusive: ("<=", "MaxInclusive"),
    SH.minExclusive: (">", "MinExclusive"),
    SH.maxExclusive: ("<", "MaxExclusive"),
}
RE_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _n3(term: Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise ValueError("a blank node cannot be named in a query")
    return term.n3()


class _Compiler:
    def __init__(self, g: rdflib.Graph) -> None:
        self.g = g

    def one(self, node: Node, prop: rdflib.URIRef) -> Node | None:
        values = list(self.g.objects(node, prop))
        if len(values) > 1:
            raise Unsupported(node, f"more than one {prop.n3(self.g.namespace_manager)}")
        return values[0] if values else None

    def items(self, shape: Node, node: Node | None, what: str) -> list[Node]:
        if node is None or (node != RDF.nil and self.g.value(node, RDF.first) is None):
            raise Unsupported(shape, f"{what} that is not an RDF list")
        return list(Collection(self.g, node))

    def check_params(self, node: Node, allowed: set[rdflib.URIRef], where: str = "") -> None:
        for p in set(self.g.predicates(node)):
            if str(p).startswith(str(SH)) and p not in allowed:
                raise Unsupported(node, f"{p.n3(self.g.namespace_manager)}{where}")
        for kind in self.g.objects(node, RDF.type):
            if kind in (RDFS.Class, OWL.Class):
                raise Unsupported(node, "an implicit class target (a shape that is also a class)")

    def deactivated(self, node: Node) -> bool:
        flag = self.one(node, SH.deactivated)
        return isinstance(flag, rdflib.Literal) and flag.toPython() is True

    # paths

    def path(self, shape: Node, p: Node) -> str:
        if isinstance(p, rdflib.URIRef):
            return p.n3()
        if self.g.value(p, RDF.first) is not None:
            parts = [self.path(shape, x) for x in Collection(self.g, p)]
            if len(parts) < 2:
                raise Unsupported(shape, "a sequence path of fewer than two steps")
            return "(" + "/".join(parts) + ")"
        for prop, fmt in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.g.value(p, prop)
            if inner is not None:
                return fmt.format(self.path(shape, inner))
        alt = self.g.value(p, SH.alternativePath)
        if alt is not None:
            return (
                "("
                + "|".join(self.path(shape, x) for x in self.items(shape, alt, "sh:alternativePath"))
                + ")"
            )
        raise Unsupported(shape, "a path it cannot read")

    # value conditions

    def conds(self, shape: Node, nested: bool) -> list[tuple[str, Cond]]:
        """The value-node constraints of ``shape``, one (component, condition) per constraint."""
        g = self.g
        out: list[tuple[str, Cond]] = []
        for cls in g.objects(shape, SH["class"]):
            out.append(
                ("ClassConstraintComponent", Expr(f"EXISTS {{ ?value a/rdfs:subClassOf* {_n3(cls)} }}"))
            )
        for dt in g.objects(shape, SH.datatype):
            if dt == RDFS.Literal:
                expr = "isLiteral(?value)"
            else:
                expr = f"(isLiteral(?value) && datatype(?value) = {_n3(dt)})"
                if dt in CASTS:
                    expr = f"({expr} && isLiteral({_n3(dt)}(STR(?value))))"
            out.append(("DatatypeConstraintComponent", Expr(expr)))
        for kind in g.objects(shape, SH.nodeKind):
            if kind not in NODE_KINDS:
                raise Unsupported(shape, f"sh:nodeKind {kind}")
            out.append(("NodeKindConstraintComponent", Expr(NODE_KINDS[kind])))  # type: ignore[index]
        for lst in g.objects(shape, SH["in"]):
            members = [f"sameTerm(?value, {_n3(m)})" for m in self.items(shape, lst, "sh:in")]
            out.append(("InConstraintComponent", Expr("(" + (" || ".join(members) or "false") + ")")))
        for lst in g.objects(shape, SH.languageIn):
            tags = [
                f"langMatches(lang(?value), {rdflib.Literal(str(t)).n3()})"
                for t in self.items(shape, lst, "sh:languageIn")
            ]
            out.append(
                (
                    "LanguageInConstraintComponent",
                    Expr("(isLiteral(?value) && (" + (" || ".join(tags) or "false") + "))"),
                )
            )
        for prop, (op, name) in COMPARE.items():
            for bound in g.objects(shape, prop):
                out.append((f"{name}ConstraintComponent", Expr(f"(?value {op} {_n3(bound)})")))
        for prop, op, name in ((SH.minLength, ">=", "MinLength"), (SH.maxLength, "<=", "MaxLength")):
            for n in g.objects(shape, prop):
                out.append(
                    (
                        f"{name}ConstraintComponent",
                        Expr(f"(!isBlank(?value) && STRLEN(STR(?value)) {op} {int(str(n))})"),
                    )
                )
        flags = self.one(shape, SH.flags)
        for pat in g.objects(shape, SH.pattern):
            f = 0
            for ch in str(flags or ""):
                if ch not in RE_FLAGS:
                    raise Unsupported(shape, f"the regular-expression flag {ch!r}")
                f |= RE_FLAGS[ch]
            out.append(("PatternConstraintComponent", Pattern(re.compile(str(pat), f))))
        for inner in g.objects(shape, SH["not"]):
            out.append(("NotConstraintComponent", Not(self.nested(inner, "sh:not"))))
        for lst in g.objects(shape, SH["and"]):
            out.append(
                (
                    "AndConstraintComponent",
                    All(tuple(self.nested(s, "sh:and") for s in self.items(shape, lst, "sh:and"))),
                )
            )
        for lst in g.objects(shape, SH["or"]):
            out.append(
                (
                    "OrConstraintComponent",
                    Any_(tuple(self.nested(s, "sh:or") for s in self.items(shape, lst, "sh:or"))),
                )
            )
        for inner in g.objects(shape, SH.node):
            out.append(("NodeConstraintComponent", self.nested(inner, "sh:node")))
        return out

    def nested(self, shape: Node, where: str) -> Cond:
        """A shape used as a condition on one value node: only value-node constraints may be in it."""
        self.check_params(
            shape,
            VALUE_PARAMS | IGNORED,
            f" inside {where} (only value-node constraints are supported there)",
        )
        if self.deactivated(shape):
            return All(())
        return All(tuple(c for _, c in self.conds(shape, nested=True)))

    # shapes

    def shape(self, node: Node, is_property: bool) -> Shape | None:
        g = self.g
        self.check_params(node, SHAPE_PARAMS)
        if self.deactivated(node):
            return None
        severity = self.one(node, SH.severity) or SH.Violation
        shape = Shape(
            node,
            str(severity),
            tuple(m for m in g.objects(node, SH.message) if isinstance(m, rdflib.Literal)),
        )
        path = self.one(node, SH.path)
        if is_property and path is None:
            raise Unsupported(node, "sh:property pointing to a shape without sh:path")
        if path is not None:
            shape.path, shape.path_sparql = path, self.path(node, path)
        shape.targets = self.targets(node)
        shape.values = [ValueCheck(c, cond) for c, cond in self.conds(node, nested=False)]
        shape.counts = self.counts(node, path is not None)
        for constraint in g.objects(node, SH.sparql):
            if path is not None:
                raise Unsupported(node, "sh:sparql on a property shape")
            check = self.sparql(node, constraint)
            if check is not None:
                shape.sparql.append(check)
        for prop in g.objects(node, SH.property):
            if is_property:
                raise Unsupported(node, "sh:property on a property shape")
            child = self.shape(prop, is_property=True)
            if child is not None:
                shape.properties.append(child)
        return shape

    def counts(self, node: Node, has_path: bool) -> list[Count]:
        g = self.g
        out: list[Count] = []
        low, high = self.one(node, SH.minCount), self.one(node, SH.maxCount)
        if (low is not None or high is not None) and not has_path:
            raise Unsupported(node, "sh:minCount or sh:maxCount on a node shape")
        if low is not None:
            out.append(Count("MinCountConstraintComponent", int(str(low)), None))
        if high is not None:
            out.append(Count("MaxCountConstraintComponent", None, int(str(high))))
        for value in g.objects(node, SH.hasValue):
            if not has_path:
                raise Unsupported(node, "sh:hasValue on a node shape")
            out.append(Count("HasValueConstraintComponent", 1, None, Expr(f"sameTerm(?value, {_n3(value)})")))
        qvs = list(g.objects(node, SH.qualifiedValueShape))
        qlow, qhigh = self.one(node, SH.qualifiedMinCount), self.one(node, SH.qualifiedMaxCount)
        if qvs:
            disjoint = self.one(node, SH.qualifiedValueShapesDisjoint)
            if isinstance(disjoint, rdflib.Literal) and disjoint.toPython() is True:
                raise Unsupported(node, "sh:qualifiedValueShapesDisjoint true")
            if len(qvs) > 1 or not has_path:
                raise Unsupported(node, "sh:qualifiedValueShape other than one per property shape")
            cond = self.nested(qvs[0], "sh:qualifiedValueShape")
            if qlow is not None:
                out.append(Count("QualifiedMinCountConstraintComponent", int(str(qlow)), None, cond))
            if qhigh is not None:
                out.append(Count("QualifiedMaxCountConstraintComponent", None, int(str(qhigh)), cond))
        elif qlow is not None or qhigh is not None:
            raise Unsupported(
                node, "sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape"
            )
        return out

    def targets(self, node: Node) -> list[str]:
        g = self.g
        out: list[str] = []
        for cls in g.objects(node, SH.targetClass):
            out.append(f"?this a/rdfs:subClassOf* {_n3(cls)} .")
        nodes = [_n3(n) for n in g.objects(node, SH.targetNode)]
        if nodes:
            out.append("VALUES ?this { " + " ".join(nodes) + " }")
        for p in g.objects(node, SH.targetSubjectsOf):
            out.append(f"?this {_n3(p)} ?target_o .")
        for p in g.objects(node, SH.targetObjectsOf):
            out.append(f"?target_s {_n3(p)} ?this .")
        for target in g.objects(node, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in g or g.value(target, SH.select) is None:
                raise Unsupported(node, "an sh:target that is not an sh:SPARQLTarget with sh:select")
            if self.deactivated(target):
                continue
            prefixes = self.prefixes(node, target)
            out.append(_with_prefixes(prefixes, "{ " + str(g.value(target, SH.select)) + " }", node))
        return out

    def prefixes(self, shape: Node, holder: Node) -> dict[str, str]:
        out: dict[str, str] = {}
        for ref in self.g.objects(holder, SH.prefixes):
            for decl in self.g.objects(ref, SH.declare):
                prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is None or ns is None:
                    raise Unsupported(shape, "an sh:declare without sh:prefix and sh:namespace")
                if out.get(str(prefix), str(ns)) != str(ns):
                    raise Unsupported(shape, f"two namespaces for the prefix {prefix}")
                out[str(prefix)] = str(ns)
        return out

    def sparql(self, shape: Node, node: Node) -> SparqlCheck | None:
        g = self.g
        self.check_params(
            node, {SH.select, SH.prefixes, SH.message, SH.deactivated}, " in an sh:sparql constraint"
        )
        if self.deactivated(node):
            return None
        select = g.value(node, SH.select)
        if select is None:
            raise Unsupported(shape, "an sh:sparql constraint without sh:select (sh:ask)")
        prefixes = self.prefixes(shape, node)
        check_prebinding(shape, str(select), prefixes)
        messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, rdflib.Literal))
        return SparqlCheck(node, str(select), prefixes, messages)


def _with_prefixes(prefixes: dict[str, str], text: str, shape: Node) -> str:
    """A group pattern carrying its prefixes along: prefixes are declared once per query (see _query)."""
    return "\x00" + "\x01".join(f"{k}\x02{v}" for k, v in sorted(prefixes.items())) + "\x00" + text


_MARK = re.compile(r"\x00([^\x00]*)\x00")


def _query(body: str, extra: dict[str, str] | None = None) -> str:
    """The query text, with the PREFIX lines of every SPARQL target or constraint it holds."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), **(extra or {})}
    for found in _MARK.finditer(body):
        for pair in filter(None, found.group(1).split("\x01")):
            k, v = pair.split("\x02")
            if prefixes.get(k, v) != v:
                raise ConfigError(f"two namespaces for the prefix {k} in one query")
            prefixes[k] = v
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items()))
    return head + _MARK.sub("", body)


# --- is a join as good as pre-binding $this? ---------------------------------------------------------------

FORBIDDEN = re.compile(r"\$(PATH|currentShape|shapesGraph)\b", re.I)


def check_prebinding(shape: Node, select: str, prefixes: dict[str, str]) -> None:
    """Refuse a SELECT constraint whose result could differ between pySHACL (rdflib, with ``$this`` pre-bound)
    and planlink (Oxigraph, the query evaluated unbound and joined with the focus nodes).

    Two things are checked on the query's algebra. ``$this`` is bound in every solution, and every part of the
    query that mentions it binds it itself or sees it bound (a FILTER after it, an EXISTS inside such a
    FILTER). And no FILTER, BIND or EXISTS inside a nested group (a UNION branch, an OPTIONAL, a ``{ }``) uses a
    variable that only the surrounding query binds: standard SPARQL (Oxigraph) evaluates such a group on its
    own, where the variable is unbound, while rdflib evaluates it with the outer solution's values."""
    found = FORBIDDEN.search(select)
    if found:
        raise Unsupported(shape, f"the pre-bound variable ${found.group(1)} in an sh:sparql query")
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items())
    try:
        algebra = translateQuery(parseQuery(head + select)).algebra
    except Exception as exc:  # noqa: BLE001 - any parse error is the shape's fault
        raise Unsupported(shape, f"an sh:sparql query that does not parse ({exc})") from None
    if algebra.name != "SelectQuery":
        raise Unsupported(shape, "an sh:sparql query that is not a SELECT")
    node = algebra.p
    if node.name in ("Slice", "OrderBy"):
        raise Unsupported(
            shape, f"{'LIMIT or OFFSET' if node.name == 'Slice' else 'ORDER BY'} in an sh:sparql query"
        )
    if node.name != "Project" or THIS not in node.PV:
        raise Unsupported(shape, "an sh:sparql query that does not select $this")
    node = node.p
    if node.name in ("Distinct", "Reduced"):
        node = node.p
    scope = _Scope(shape, _occurrences(node, Counter()))
    sure, _maybe = scope.pattern(node, frozenset(), frozenset())
    if THIS not in sure:
        raise Unsupported(shape, "an sh:sparql query in which $this is not always bound by a triple pattern")


THIS = rdflib.Variable("this")
EXISTS = ("Builtin_EXISTS", "Builtin_NOTEXISTS")


def _occurrences(node: object, into: Counter[rdflib.Variable]) -> Counter[rdflib.Variable]:
    if isinstance(node, rdflib.Variable):
        into[node] += 1
    elif isinstance(node, dict):
        for v in node.values():
            _occurrences(v, into)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _occurrences(v, into)
    return into


def _variables(node: object) -> set[rdflib.Variable]:
    if isinstance(node, rdflib.Variable):
        return {node}
    if isinstance(node, dict):
        return set().union(*(_variables(v) for v in node.values())) if node else set()
    if isinstance(node, (list, tuple)):
        return set().union(*(_variables(v) for v in node)) if node else set()
    return set()


def _expr_variables(expr: object) -> tuple[set[rdflib.Variable], list[object]]:
    """The variables an expression reads directly, and its EXISTS patterns."""
    if isinstance(expr, rdflib.Variable):
        return {expr}, []
    if isinstance(expr, dict) and getattr(expr, "name", "") in EXISTS:
        return set(), [expr["graph"]]
    found: set[rdflib.Variable] = set()
    patterns: list[object] = []
    values = expr.values() if isinstance(expr, dict) else expr if isinstance(expr, (list, tuple)) else ()
    for v in values:
        f, p = _expr_variables(v)
        found |= f
        patterns += p
    return found, patterns


Vars = frozenset[rdflib.Variable]


@dataclass
class _Scope:
    shape: Node
    everywhere: Counter[rdflib.Variable]  # how often each variable occurs in the query

    def elsewhere(self, part: object) -> set[rdflib.Variable]:
        """The variables of ``part`` that occur in the query outside it too."""
        inside = _occurrences(part, Counter())
        return {v for v, n in inside.items() if self.everywhere[v] > n}

    def refuse(self, what: str) -> Unsupported:
        return Unsupported(self.shape, what)

    def expr(self, expr: object, sure: Vars, maybe: Vars) -> None:
        if expr is None:
            return
        used, patterns = self.expr_parts(expr)
        if THIS in used and THIS not in sure:
            raise self.refuse("an sh:sparql query that uses $this where it may be unbound")
        for v in (self.elsewhere(expr) | ({THIS} & used)) - maybe:
            raise self.refuse(
                f"an sh:sparql query whose FILTER or BIND reads {'$' if v == THIS else '?'}{v} in a group that does not bind it "
                "(standard SPARQL and rdflib disagree there)"
            )
        for pattern in patterns:
            if THIS in _variables(pattern) and THIS not in sure:
                raise self.refuse("an sh:sparql query with an EXISTS that uses $this where it may be unbound")
            self.pattern(pattern, sure, maybe)

    def expr_parts(self, expr: object) -> tuple[set[rdflib.Variable], list[object]]:
        return _expr_variables(expr)

    def pattern(self, node: object, sure: Vars, maybe: Vars) -> tuple[Vars, Vars]:
        """(certainly bound, possibly bound) variables of ``node``'s solutions; ``sure``/``maybe`` come from an
        enclosing EXISTS (substituted into the pattern)."""
        name = getattr(node, "name", None)
        if name == "BGP":
            found = frozenset(_variables(node["triples"]))  # type: ignore[index]
            return sure | found, maybe | found
        if name == "Join":
            s1, m1 = self.pattern(node["p1"], sure, maybe)  # type: ignore[index]
            s2, m2 = self.pattern(node["p2"], sure, maybe)  # type: ignore[index]
            return s1 | s2, m1 | m2
        if name == "Filter":
            s, m = self.pattern(node["p"], sure, maybe)  # type: ignore[index]
            self.expr(node["expr"], s, m)  # type: ignore[index]
            return s, m
        if name == "Extend":
            if node["var"] == THIS:  # type: ignore[index]
                raise self.refuse("an sh:sparql query that binds $this with BIND or AS")
            s, m = self.pattern(node["p"], sure, maybe)  # type: ignore[index]
            self.expr(node["expr"], s, m)  # type: ignore[index]
            return s | {node["var"]}, m | {node["var"]}  # type: ignore[index]
        if name == "LeftJoin":
            s1, m1 = self.pattern(node["p1"], sure, maybe)  # type: ignore[index]
            s2, m2 = self.pattern(node["p2"], sure, maybe)  # type: ignore[index]
            if THIS in _variables(node["p2"]) and THIS not in s2:  # type: ignore[index]
                raise self.refuse("an sh:sparql query with an OPTIONAL that uses $this without binding it")
            self.expr(node.get("expr"), s1 | s2, m1 | m2)  # type: ignore[attr-defined]
            return s1, m1 | m2
        if name == "Union":
            s1, m1 = self.pattern(node["p1"], sure, maybe)  # type: ignore[index]
            s2, m2 = self.pattern(node["p2"], sure, maybe)  # type: ignore[index]
            for branch, s in ((node["p1"], s1), (node["p2"], s2)):  # type: ignore[index]
                if THIS in _variables(branch) and THIS not in s:
                    raise self.refuse(
                        "an sh:sparql query with a UNION branch that uses $this without binding it"
                    )
            return s1 & s2, m1 | m2
        if name == "GroupGraphPatternSub":  # an EXISTS pattern rdflib left untranslated
            from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

            return self.pattern(translateGroupGraphPattern(node), sure, maybe)  # type: ignore[arg-type]
        if name == "ToMultiSet":
            return self.pattern(node["p"], sure, maybe)  # type: ignore[index]
        construct = {
            "Minus": "MINUS",
            "Graph": "GRAPH",
            "values": "VALUES",
            "ServiceGraphPattern": "SERVICE",
            "Project": "a sub-query",
            "Group": "GROUP BY or an aggregate",
            "AggregateJoin": "GROUP BY or an aggregate",
            "Slice": "LIMIT or OFFSET",
            "OrderBy": "ORDER BY",
        }.get(str(name), f"the SPARQL construct {name}")
        raise self.refuse(f"{construct} in an sh:sparql query")


# --- the program ---------------------------------------------------------------------------------------------


@dataclass
class Program:
    shapes: list[Shape]
    graph: rdflib.Graph  # the shapes graph (its nodes are the results' shapes and paths)

    def validate(
        self,
        store: ox.Store,
        graphs: list[ox.NamedNode] | None = None,
        focus_graph: ox.NamedNode | None = None,
        constants: dict[str, bool] | None = None,
    ) -> list[Result]:
        """Every result of every shape over the default graph of ``store`` (or the union of ``graphs``); with
        ``focus_graph``, only for focus nodes that are the subject of a triple in that named graph (the
        rest of the data is still there for the constraints to look at). ``constants`` receives the value of
        each EXISTS that does not depend on the focus node (by its text), as asked of this data."""
        data = _Data(store, graphs, constants if constants is not None else {})
        only = ""
        if focus_graph is not None:
            only = f" FILTER EXISTS {{ GRAPH {focus_graph} {{ ?this ?focus_p ?focus_o }} }}"
        out: list[Result] = []
        for shape in self.shapes:
            if shape.targets:
                focus = (
                    "{ SELECT DISTINCT ?this WHERE { "
                    + " UNION ".join("{ " + t + " }" for t in shape.targets)
                    + only
                    + " } }"
                )
                out.extend(_run(data, shape, focus))
        return out


def compile_shapes(shapes: rdflib.Graph) -> Program:
    """Read every shape of ``shapes``; raise Unsupported (naming shape and construct) for anything the engine
    does not evaluate."""
    c = _Compiler(shapes)
    roots: set[Node] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        roots |= set(shapes.subjects(RDF.type, kind))
    for t in TARGETS:
        roots |= set(shapes.subjects(t, None))
    nested: set[Node] = set(shapes.objects(None, SH.property))
    for p in (SH["not"], SH.node, SH.qualifiedValueShape):
        nested |= set(shapes.objects(None, p))
    for p in (SH["and"], SH["or"], SH.xone):
        for lst in shapes.objects(None, p):
            nested |= set(Collection(shapes, lst))
    compiled: list[Shape] = []
    for node in sorted(roots, key=str):
        if node in nested and not any(True for t in TARGETS if shapes.value(node, t) is not None):
            continue  # evaluated where it is used
        try:
            shape = c.shape(node, is_property=shapes.value(node, SH.path) is not None)
        except Unsupported as exc:
            if exc.shape == node or isinstance(exc.shape, rdflib.URIRef):
                raise
            path = shapes.value(exc.shape, SH.path)
            part = (
                f" with sh:path {path.n3(shapes.namespace_manager)}"
                if isinstance(path, rdflib.URIRef)
                else ""
            )
            raise Unsupported(node, exc.construct, f" (in a blank-node shape{part})") from None
        if shape is not None:
            compiled.append(shape)
    for s in compiled:
        if s.path is not None and s.targets:
            raise Unsupported(s.node, "targets on a property shape")
    return Program(compiled, shapes)


@dataclass
class _Data:
    """The data graph: a store, and the named graphs that form it (None: the store's default graph)."""

    store: ox.Store
    graphs: list[ox.NamedNode] | None
    constants: dict[str, bool] = field(default_factory=dict)  # the EXISTS folded into constants, by text
    fetched: dict[str, list[tuple[OxTerm, OxTerm, dict[str, bool]]]] = field(default_factory=dict)

    def query(self, text: str) -> object:
        if self.graphs is None:
            return self.store.query(text)
        return self.store.query(text, default_graph=self.graphs)  # type: ignore[arg-type]


def _rows(store: _Data, text: str) -> ox.QuerySolutions:
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _true(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"


def _run(store: _Data, shape: Shape, focus: str) -> Iterator[Result]:
    path = shape.path_sparql
    step = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
    if shape.values:
        names: dict[Expr, str] = {}
        for check in shape.values:
            for leaf in _leaves(check.cond):
                names.setdefault(leaf, f"c{len(names)}")
        whole = [_sparql_of(v.cond) for v in shape.values]
        binds = "".join(f" BIND (COALESCE({leaf.sparql}, false) AS ?{n})" for leaf, n in names.items())
        filt = ""
        if all(w is not None for w in whole):
            filt = " FILTER (" + " || ".join(f"!{w}" for w in whole) + ")"
        text = (
            f"SELECT ?this ?value {' '.join('?' + n for n in names.values())} WHERE {{ "
            f"{{ SELECT DISTINCT ?this ?value WHERE {{ {focus} {step} }} }}{binds}{filt} }}"
        )
        if filt:
            rows = [
                (row["this"], row["value"], {n: _true(row[n]) for n in names.values()})
                for row in _rows(store, _query(text))
            ]
        else:  # every value node comes back, for Python to test: shapes with the same focus and path share them
            held = store.fetched.get(text)
            if held is None:
                held = store.fetched[text] = [
                    (row["this"], row["value"], {n: _true(row[n]) for n in names.values()})
                    for row in _rows(store, _query(text))
                ]
            rows = held
        for this, value, flags in rows:
            for check in shape.values:
                if not _holds(check.cond, value, flags, names):
                    yield Result(
                        this,
                        shape.path,
                        value,
                        shape.node,
                        shape.severity,
                        check.component,
                        shape.messages,
                    )
    if shape.counts and path:
        yield from _counts(store, shape, focus, path)
    for constraint in shape.sparql:
        yield from _sparql(store, shape, focus, constraint)
    for prop in shape.properties:
        yield from _run(store, prop, focus)


def _counts(store: _Data, shape: Shape, focus: str, path: str) -> Iterator[Result]:
    python = any(c.cond is not None and _sparql_of(c.cond) is None for c in shape.counts)
    if python:
        names: dict[Expr, str] = {}
        for c in shape.counts:
            for leaf in _leaves(c.cond) if c.cond is not None else ():
                names.setdefault(leaf, f"c{len(names)}")
        binds = "".join(f" BIND (COALESCE({leaf.sparql}, false) AS ?{n})" for leaf, n in names.items())
        text = (
            f"SELECT ?this ?value {' '.join('?' + n for n in names.values())} WHERE {{ {focus} "
            f"OPTIONAL {{ SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value }} }}{binds} }}"
        )
        tallies: dict[OxTerm, list[int]] = {}
        for row in _rows(store, _query(text)):
            tally = tallies.setdefault(row["this"], [0] * len(shape.counts))
            value = row["value"]
            if value is None:
                continue
            flags = {n: _true(row[n]) for n in names.values()}
            for i, c in enumerate(shape.counts):
                if c.cond is None or _holds(c.cond, value, flags, names):
                    tally[i] += 1
        found = [(f, t) for f, t in tallies.items()]
    else:
        cols, having = [], []
        binds = ""
        for i, c in enumerate(shape.counts):
            if c.cond is None:
                agg = "COUNT(DISTINCT ?value)"
            else:
                binds += f" BIND (IF({_sparql_of(c.cond)}, ?value, ?unbound) AS ?q{i})"
                agg = f"COUNT(DISTINCT ?q{i})"
            cols.append(f"({agg} AS ?n{i})")
            if c.low is not None:
                having.append(f"{agg} < {c.low}")
            if c.high is not None:
                having.append(f"{agg} > {c.high}")
        text = (
            f"SELECT ?this {' '.join(cols)} WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value .{binds} }} }} "
            f"GROUP BY ?this HAVING ({' || '.join(having)})"
        )
        found = [
            (row["this"], [int(row[f"n{i}"].value) for i in range(len(shape.counts))])
            for row in _rows(store, _query(text))
        ]
    for this, tally in found:
        for c, n in zip(shape.counts, tally, strict=True):
            if (c.low is not None and n < c.low) or (c.high is not None and n > c.high):
                yield Result(this, shape.path, None, shape.node, shape.severity, c.component, shape.messages)


_SELECT_HEAD = re.compile(
    r"\s*SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?((?:[?$]\w+\s*)+|\*\s*)(?:WHERE\s*)?\{", re.I
)


_EXISTS = re.compile(r"\b(NOT\s+)?EXISTS\s*\{", re.I)
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VAR = re.compile(r"[?$](\w+)")


def _group_end(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``start`` (skipping strings, IRIs and comments); -1 if none."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < len(text) and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
        elif c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl + 1
            continue
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _fold_constant_exists(store: _Data, select: str, prefixes: dict[str, str]) -> str:
    """Replace each EXISTS / NOT EXISTS whose pattern shares no variable with the rest of the query by its
    value, asked once. It is the same for every solution, but Oxigraph evaluates it again for each one (an
    ``EXISTS { ?anyItem rdf:type/rdfs:subClassOf* plan:PlanItem }`` costs milliseconds a row)."""
    start = 0
    while True:
        m = _EXISTS.search(select, start)
        if m is None:
            return select
        end = _group_end(select, m.end() - 1)
        if end < 0:
            return select
        block = select[m.end() - 1 : end + 1]
        rest = select[: m.start()] + select[end + 1 :]
        if set(_VAR.findall(block)) & set(_VAR.findall(rest)):
            start = m.end()
            continue
        found = bool(store.query(_query("ASK " + block, prefixes)))
        store.constants[block] = found
        value = found != bool(m.group(1))
        select = select[: m.start()] + f"({'true' if value else 'false'})" + select[end + 1 :]
        start = m.start()


def _sparql(store: _Data, shape: Shape, focus: str, check: SparqlCheck) -> Iterator[Result]:
    select = _fold_constant_exists(store, check.select, check.prefixes)
    head = _SELECT_HEAD.match(select)
    if head:
        # the focus nodes first in the query's own group: Oxigraph then starts from them (a join after the
        # query, as a sub-query, is the same answer, but Oxigraph may first enumerate every match of the query)
        body = f"SELECT DISTINCT {head.group(1)} WHERE {{ {focus} " + select[head.end() :]
    else:
        body = f"SELECT DISTINCT * WHERE {{ {focus} {{ {select} }} }}"
    text = _query(body, check.prefixes)
    solutions = _rows(store, text)
    variables = [v.value for v in solutions.variables]
    for row in solutions:
        bound = {v: row[v] for v in variables if row[v] is not None}
        this = bound.get("this")
        if this is None:
            continue
        value = bound.get("value", this)
        path_term = bound.get("path")
        messages = tuple(_fill(m, bound) for m in (*check.messages, *shape.messages))
        yield Result(
            this,
            to_rdflib(path_term) if path_term is not None else None,
            value,
            shape.node,
            shape.severity,
            "SPARQLConstraintComponent",
            messages,
            check.node,
        )


def _fill(message: rdflib.Literal, bound: dict[str, OxTerm]) -> rdflib.Literal:
    text = str(message)
    for var, term in bound.items():
        value: str = term.value
        text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", lambda _m: value, text)  # noqa: B023 - used at once
    return rdflib.Literal(text, lang=message.language)


# --- terms and the data graph ----------------------------------------------------------------------------------


def to_rdflib(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def to_ox(term: Node) -> OxTerm:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"unsupported term {term!r}")


RDFS_CLASSES = (
    RDFS.Class,
    RDFS.Container,
    RDFS.ContainerMembershipProperty,
    RDFS.Datatype,
    RDFS.Literal,
    RDFS.Resource,
)
OWL_CLASSES = tuple(
    OWL[n]
    for n in (
        "AllDifferent AllDisjointClasses AllDisjointProperties Annotation AnnotationProperty AsymmetricProperty "
        "Axiom Class DataRange DatatypeProperty DeprecatedClass DeprecatedProperty FunctionalProperty "
        "InverseFunctionalProperty IrreflexiveProperty NamedIndividual NegativePropertyAssertion ObjectProperty "
        "Ontology OntologyProperty ReflexiveProperty Restriction SymmetricProperty TransitiveProperty"
    ).split()
)
RDFS_PROPERTIES = (
    RDFS.comment,
    RDFS.domain,
    RDFS.isDefinedBy,
    RDFS.label,
    RDFS.member,
    RDFS.range,
    RDFS.seeAlso,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
)
OWL_PROPERTIES = tuple(
    OWL[n]
    for n in (
        "allValuesFrom annotatedProperty annotatedSource annotatedTarget assertionProperty cardinality "
        "complementOf datatypeComplementOf differentFrom disjointUnionOf disjointWith distinctMembers "
        "equivalentClass equivalentProperty hasKey hasSelf hasValue intersectionOf inverseOf maxCardinality "
        "maxQualifiedCardinality members minCardinality minQualifiedCardinality onClass onDataRange onDatatype "
        "onProperties onProperty oneOf propertyChainAxiom propertyDisjointWith qualifiedCardinality sameAs "
        "someValuesFrom sourceIndividual targetIndividual targetValue unionOf withRestrictions "
        "backwardCompatibleWith deprecated incompatibleWith priorVersion versionInfo bottomDataProperty "
        "topDataProperty bottomObjectProperty topObjectProperty imports versionIRI"
    ).split()
)


def ontology_axioms(ontology: rdflib.Graph) -> rdflib.Graph:
    """The triples of ``ontology`` that pySHACL copies into the data graph when it is given as ``ont_graph``
    (with no inference): the typing of RDFS and OWL classes, and every RDFS or OWL axiom, blank nodes whole.
    Named individuals (copied whole by pySHACL) are refused: the ontology has none, and a copy by hand would
    drift from pySHACL's."""
    out = rdflib.Graph()

    def copy_bnode(b: Node, seen: set[Node]) -> None:
        if b in seen:
            return
        seen.add(b)
        for p, o in ontology.predicate_objects(b):
            out.add((b, p, o))
            if isinstance(o, rdflib.BNode):
                copy_bnode(o, seen)

    seen: set[Node] = set()
    for cls in (*RDFS_CLASSES, *OWL_CLASSES):
        for s in ontology.subjects(RDF.type, cls):
            if cls == OWL.NamedIndividual:
                raise ConfigError(
                    f"the ontology declares the named individual {s}: not supported by the validator"
                )
            out.add((s, RDF.type, cls))
            if isinstance(s, rdflib.BNode):
                copy_bnode(s, seen)
    for prop in (*RDFS_PROPERTIES, *OWL_PROPERTIES):
        for s, o in ontology.subject_objects(prop):
            out.add((s, prop, o))
            for n in (s, o):
                if isinstance(n, rdflib.BNode):
                    copy_bnode(n, seen)
    return out


def data_store(data: Iterable[ox.Triple], axioms: rdflib.Graph) -> ox.Store:
    """An in-memory store whose default graph is the data plus the ontology's axioms."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data)
    store.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in axioms
    )
    return store
