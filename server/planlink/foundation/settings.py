"""The settings: one typed table. Each field has a type, a default, a parser for its ``PLANLINK_<NAME>``
environment variable and a help text; the README's settings table is made from it (``settings_table_markdown``).

``load_settings`` reads defaults, then the environment, then explicit overrides, and gives a frozen ``Settings``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planlink.foundation.errors import ConfigError

DEFAULT_BASE = "https://w3id.org/planlink/"


def _bool(value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(",", " ").split() if v.strip())


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip().lower() not in values:
            raise ValueError(f"expected one of {', '.join(values)}")
        return value.strip().lower()

    return parse


def _optional(value: str) -> str | None:
    return value or None


def setting(default: Any, parse: Callable[[str], Any], help: str, shown: str | None = None) -> Any:
    """A field of ``Settings``: its default, how its environment variable is read, and what it means
    (``shown`` is the default as the README states it, where the value is computed)."""
    return dataclasses.field(default=default, metadata={"parse": parse, "help": help, "shown": shown})


@dataclass(frozen=True)
class Settings:
    root: str = setting(
        "",
        str,
        "Project folder holding ontology/, data/, shapes/ and queries/ (default: the folder planlink is "
        "started in).",
        shown="the working folder",
    )
    base_iri: str = setting(DEFAULT_BASE, str, "Base of every IRI the service mints and answers for.")
    query_timeout: float = setting(
        10.0, float, "Seconds a query may run before it is stopped (HTTP 503, error 'timeout')."
    )
    row_cap: int = setting(
        10000, int, "Most result rows (or triples) returned; a longer answer is cut and flagged."
    )
    body_cap: int = setting(1_000_000, int, "Largest request body accepted, in bytes (HTTP 413 beyond).")
    upload_cap: int = setting(
        10_000_000,
        int,
        "Largest workbook or Turtle file accepted by /validate and 'planlink import', in bytes (HTTP 413 or "
        "exit 2 beyond).",
    )
    url_cap: int = setting(
        61440,
        int,
        "Longest request URL accepted, in bytes (HTTP 414 beyond, saying to send the query by POST). The HTTP "
        "server itself refuses URLs over 65,534 bytes (414, no body), whatever this says.",
    )
    query_workers: int = setting(
        2,
        int,
        "Query evaluation processes per web worker (concurrent queries), split in two lanes: half for quick "
        "queries, the rest for heavy ones (one process: a single lane).",
    )
    quick_limit: float = setting(
        0.5,
        float,
        "Seconds a query may run in the quick lane; a slower one moves to the heavy lane (its text is "
        "remembered as heavy), so heavy queries never hold quick ones up. 0: a single lane.",
    )
    queue_wait: float = setting(
        30.0,
        float,
        "Seconds a request waits for a free query slot of its lane before HTTP 503 + Retry-After (a burst of "
        "heavy queries is queued, not refused).",
    )
    queue_depth: int = setting(
        64,
        int,
        "Requests that may wait for a query slot, per lane and web worker; one more gets HTTP 503 + "
        "Retry-After at once.",
    )
    cors_origins: tuple[str, ...] = setting(
        ("*",), _list, "Origins allowed by CORS on read-only routes ('*' for any)."
    )
    service_allowlist: tuple[str, ...] = setting(
        (), _list, "SERVICE IRIs (prefixes) a query may call; empty refuses every SERVICE."
    )
    cache_entries: int = setting(
        2048, int, "Answers kept in the in-memory answer cache (0 turns caching off)."
    )
    cache_bytes: int = setting(64_000_000, int, "Largest total size of cached answers, in bytes.")
    state_dir: str | None = setting(
        "",
        str,
        "Folder for the persisted store and validation results (default: <root>/var; "
        "'none' keeps no state: the store is parsed into memory and the data validated at every start).",
        shown="`<root>/var`",
    )
    store_mode: str = setting(
        "auto",
        _choice("auto", "disk", "memory"),
        "Embedded store: 'memory' parses the files into memory at every start (queries 2-6x faster, memory about "
        "6x the files' size); 'disk' keeps an Oxigraph on-disk store in <state_dir>/store-<version>, reused while "
        "the files are unchanged (fast start, small memory); 'auto' is memory while the data files total at most "
        "PLANLINK_MEMORY_STORE_MB, disk beyond (the start says which).",
    )
    memory_store_mb: int = setting(
        64,
        int,
        "With PLANLINK_STORE_MODE=auto: the largest total size of the data files (MB) served from memory "
        "(the generated national data of one year, 20 MB, is; ten years, about 200 MB, is not).",
    )
    store_url: str | None = setting(
        None,
        _optional,
        "Answer from this remote SPARQL 1.1 query endpoint instead of the embedded store "
        "(load it with 'planlink publish'); pages, queries and reports read from it.",
    )
    store_union: str = setting(
        "graphs",
        _choice("graphs", "oxigraph", "store"),
        "How queries to the remote store get the union of the named graphs as default graph: 'graphs' names "
        "every hosted graph (default-graph-uri and named-graph-uri: any SPARQL 1.1 store), 'oxigraph' sends "
        "Oxigraph server's union-default-graph, 'store' relies on the store's own setting (e.g. Fuseki "
        "tdb2:unionDefaultGraph).",
    )
    validate_on_start: bool = setting(
        True, _bool, "Validate the data against the shapes at start and refuse to serve invalid data."
    )
    access_log: bool = setting(True, _bool, "Write one JSON line per request to stderr.")

    def replace(self, **changes: Any) -> Settings:
        """These settings with some changed (checked as ``load_settings`` checks overrides)."""
        return _complete(dataclasses.replace(self, **_checked(changes)))


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def env_name(name: str) -> str:
    return "PLANLINK_" + name.upper()


def _checked(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Explicit overrides, by name; a text value is read as its environment variable would be."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in FIELDS:
            raise ConfigError(f"unknown setting {key!r}")
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str) and FIELDS[key].metadata["parse"] not in (str, _optional):
            value = _parse(key, value, key)
        out[key] = value
    return out


def _parse(name: str, raw: str, source: str) -> Any:
    try:
        return FIELDS[name].metadata["parse"](raw)
    except ValueError as exc:
        raise ConfigError(f"{source or name}={raw!r}: {exc}") from exc


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then ``PLANLINK_*`` variables, then explicit overrides (highest)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in FIELDS:
        raw = environ.get(env_name(name))
        if raw is not None:
            values[name] = _parse(name, raw, env_name(name))
    values.update(_checked(overrides or {}))
    return _complete(Settings(**values))


def _complete(s: Settings) -> Settings:
    """Fill what is computed from other settings: the root, the trailing slash of the base, the state folder."""
    root = s.root or str(Path.cwd())
    base = s.base_iri if s.base_iri.endswith("/") else s.base_iri + "/"
    state: str | None = s.state_dir or str(Path(root) / "var")
    if str(state).lower() == "none":
        state = None
    return dataclasses.replace(s, root=root, base_iri=base, state_dir=state)


def settings_table_markdown() -> str:
    """The README's settings table, made from ``Settings``."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for f in FIELDS.values():
        if f.metadata["shown"]:
            shown = f.metadata["shown"]
        elif f.default is None or f.default == ():
            shown = "(none)" if f.default is None else "(empty)"
        else:
            shown = f"`{', '.join(f.default) if isinstance(f.default, tuple) else f.default}`"
        lines.append(f"| `{env_name(f.name)}` | {shown} | {f.metadata['help']} |")
    return "\n".join(lines)
