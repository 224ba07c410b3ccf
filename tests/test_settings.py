"""The settings table: typed, read from PLANLINK_* variables, and the README's table is made from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from planlink.foundation.errors import ConfigError
from planlink.foundation.settings import FIELDS, env_name, load_settings, settings_table_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_table_is_the_settings_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table_markdown() in readme, (
        "README's settings table differs: paste settings_table_markdown()"
    )
    assert readme.count("| `PLANLINK_") == len(FIELDS)


def test_every_setting_is_typed_and_read_from_its_variable() -> None:
    env = {
        env_name("query_timeout"): "2.5",
        env_name("row_cap"): "7",
        env_name("cors_origins"): "https://a.example, https://b.example",
        env_name("validate_on_start"): "no",
        env_name("state_dir"): "none",
        env_name("store_mode"): "MEMORY",
    }
    s = load_settings({"root": str(ROOT)}, environ=env)
    assert s.query_timeout == 2.5 and s.row_cap == 7
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.validate_on_start is False and s.state_dir is None and s.store_mode == "memory"


def test_overrides_win_and_computed_defaults_follow_the_root(tmp_path) -> None:
    s = load_settings({"root": str(tmp_path), "base_iri": "http://x.example/p"}, environ={})
    assert s.base_iri == "http://x.example/p/" and s.state_dir == str(tmp_path / "var")
    assert s.replace(row_cap="12").row_cap == 12


@pytest.mark.parametrize(
    ("env", "override", "message"),
    [
        ({"PLANLINK_ROW_CAP": "many"}, {}, "PLANLINK_ROW_CAP='many'"),
        ({"PLANLINK_ACCESS_LOG": "perhaps"}, {}, "expected true or false"),
        ({"PLANLINK_STORE_UNION": "all"}, {}, "expected one of graphs, oxigraph, store"),
        ({}, {"no_such": 1}, "unknown setting 'no_such'"),
        ({}, {"store_mode": "cloud"}, "expected one of auto, disk, memory"),
    ],
)
def test_a_bad_value_is_refused_with_its_name(env, override, message) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(override, environ=env)
