"""Operations: /healthz (alive) and /readyz (graph loaded, triples per graph)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from planlink.web.http import current_project

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    p = current_project()
    ready = p.data.total_triples > 0
    body = {
        "status": "ready" if ready else "empty",
        "version": p.version,
        "triples": p.data.total_triples,
        "graphs": p.data.triples_per_graph,
        "cache": p.query.cache.stats(),
        "validation": p.validation.summary() if p.validation else "skipped",
    }
    return jsonify(body), (200 if ready else 503)
