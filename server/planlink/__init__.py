"""planlink: a knowledge graph of Thai development plans and its SPARQL and linked-data service."""

from __future__ import annotations

from typing import Any

from planlink.foundation import VERSION as __version__

__all__ = ["__version__", "create_app"]


def create_app(root: str | None = None, overrides: dict[str, Any] | None = None, project: Any = None) -> Any:
    """The Flask application: settings, store, blueprints, error handlers.

    ``root`` is the project folder (default: this checkout); ``overrides`` are settings (see config.py) that
    win over ``PLANLINK_*`` variables; ``project`` is an already opened Project (used by ``planlink serve``).
    """
    from planlink.web.app import build_app

    return build_app(root, overrides, project)
