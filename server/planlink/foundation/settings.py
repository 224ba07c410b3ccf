"""One table of settings. Each has a default and a help text, and is overridden by ``PLANLINK_<NAME>``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_BASE = "https://w3id.org/planlink/"


def _bool(value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", " ").split() if v.strip()]


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip().lower() not in values:
            raise ValueError(f"expected one of {', '.join(values)}")
        return value.strip().lower()

    return parse


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "root",
        None,
        str,
        "Project folder holding ontology/, data/, shapes/ and queries/ (default: the checkout).",
    ),
    Setting("base_iri", DEFAULT_BASE, str, "Base of every IRI the service mints and answers for."),
    Setting(
        "query_timeout",
        10.0,
        float,
        "Seconds a query may run before it is stopped (HTTP 503, error 'timeout').",
    ),
    Setting(
        "row_cap", 10000, int, "Most result rows (or triples) returned; a longer answer is cut and flagged."
    ),
    Setting("body_cap", 1_000_000, int, "Largest request body accepted, in bytes (HTTP 413 beyond)."),
    Setting("query_workers", 2, int, "Query evaluation processes per web worker (concurrent queries)."),
    Setting(
        "queue_wait",
        10.0,
        float,
        "Seconds a request waits for a free query slot before HTTP 503 + Retry-After (as long as a query may "
        "run: a burst of heavy queries is queued, not refused; the request threads bound the queue).",
    ),
    Setting("cors_origins", ["*"], _list, "Origins allowed by CORS on read-only routes ('*' for any)."),
    Setting(
        "service_allowlist",
        [],
        _list,
        "SERVICE IRIs (prefixes) a query may call; empty refuses every SERVICE.",
    ),
    Setting("cache_entries", 2048, int, "Answers kept in the in-memory answer cache (0 turns caching off)."),
    Setting("cache_bytes", 64_000_000, int, "Largest total size of cached answers, in bytes."),
    Setting(
        "state_dir",
        None,
        str,
        "Folder for the persisted store and validation results (default: <root>/var; "
        "'none' keeps no state: the store is parsed into memory and the data validated at every start).",
    ),
    Setting(
        "store_mode",
        "disk",
        _choice("disk", "memory"),
        "Embedded store: 'disk' keeps an Oxigraph on-disk store in <state_dir>/store-<version>, reused while the "
        "files are unchanged (fast start, small memory); 'memory' parses the files into memory at every start "
        "(faster scans of large graphs).",
    ),
    Setting(
        "store_url",
        None,
        str,
        "Answer from this remote SPARQL 1.1 query endpoint instead of the embedded store "
        "(load it with 'planlink publish'); pages, queries and reports read from it.",
    ),
    Setting(
        "store_union",
        "graphs",
        _choice("graphs", "oxigraph", "store"),
        "How queries to the remote store get the union of the named graphs as default graph: 'graphs' names "
        "every hosted graph (default-graph-uri and named-graph-uri: any SPARQL 1.1 store), 'oxigraph' sends "
        "Oxigraph server's union-default-graph, 'store' relies on the store's own setting (e.g. Fuseki "
        "tdb2:unionDefaultGraph).",
    ),
    Setting(
        "validate_on_start",
        True,
        _bool,
        "Validate the data against the shapes at start and refuse to serve invalid data.",
    ),
    Setting("access_log", True, _bool, "Write one JSON line per request to stderr."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env_name(name: str) -> str:
    return "PLANLINK_" + name.upper()


def load_settings(
    overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then ``PLANLINK_*`` variables, then explicit overrides (highest)."""
    environ = dict(os.environ if environ is None else environ)
    settings: dict[str, Any] = {}
    for s in SETTINGS:
        value = s.default
        raw = environ.get(env_name(s.name))
        if raw is not None:
            try:
                value = s.parse(raw)
            except ValueError as exc:
                from planlink.foundation.errors import ConfigError

                raise ConfigError(f"{env_name(s.name)}={raw!r}: {exc}") from exc
        settings[s.name] = list(value) if isinstance(value, list) else value
    for key, value in (overrides or {}).items():
        if key not in _BY_NAME:
            from planlink.foundation.errors import ConfigError

            raise ConfigError(f"unknown setting {key!r}")
        settings[key] = value
    if not settings["root"]:
        settings["root"] = str(default_root())
    if not settings["base_iri"].endswith("/"):
        settings["base_iri"] += "/"
    if not settings["state_dir"]:
        settings["state_dir"] = str(Path(settings["root"]) / "var")
    elif str(settings["state_dir"]).lower() == "none":
        settings["state_dir"] = None
    for name in ("store_mode", "store_union"):
        try:
            settings[name] = _BY_NAME[name].parse(str(settings[name]))
        except ValueError as exc:
            from planlink.foundation.errors import ConfigError

            raise ConfigError(f"{name}={settings[name]!r}: {exc}") from exc
    return settings


def default_root() -> Path:
    """The checkout that holds this package (server/planlink -> repository root), or the working folder."""
    here = Path(__file__).resolve().parents[3]
    if (here / "data").is_dir() and (here / "shapes").is_dir():
        return here
    return Path.cwd()


def settings_table_markdown() -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = ", ".join(s.default) if isinstance(s.default, list) else s.default
        lines.append(f"| `{env_name(s.name)}` | `{default}` | {s.help} |")
    return "\n".join(lines)
