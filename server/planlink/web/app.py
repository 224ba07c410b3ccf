"""The Flask app factory: settings, the project, CORS, blueprints, error handlers, template globals."""

from __future__ import annotations

import logging
import sys
from typing import Any

from flask import Flask
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from planlink.foundation.errors import PlanlinkError
from planlink.foundation.settings import load_settings
from planlink.project import Project, open_project
from planlink.web import http
from planlink.web.views import BLUEPRINTS

READ_ONLY_ROUTES = (
    r"/(sparql|id|doc|def|graph|downloads|queries|reports|search|\.well-known|healthz|readyz)(/.*)?"
)


def build_app(root: str | None, overrides: dict[str, Any] | None, project: Project | None) -> Flask:
    if project is None:
        settings = load_settings({**({"root": root} if root else {}), **(overrides or {})})
        project = open_project(settings)
    app = Flask(__name__)
    app.config["PLANLINK"] = project
    app.config["MAX_CONTENT_LENGTH"] = project.settings.body_cap
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    origins = list(project.settings.cors_origins)
    CORS(
        app,
        resources={READ_ONLY_ROUTES: {"origins": origins}},
        send_wildcard=origins == ["*"],
        expose_headers=[
            "ETag",
            "Server-Timing",
            "Planlink-Truncated",
            "Planlink-Graphs-Not-Found",
            "Retry-After",
            "Link",
        ],
        max_age=86400,
    )

    for bp in BLUEPRINTS:
        app.register_blueprint(bp)

    app.before_request(http.start_timer)
    app.before_request(http.check_url)
    app.after_request(http.finish)
    app.register_error_handler(PlanlinkError, http.planlink_error)
    app.register_error_handler(HTTPException, http.http_error)
    app.register_error_handler(Exception, http.unexpected_error)
    app.jinja_env.globals.update(project=project, t=http.translate, curated_tabs=curated_tabs)
    if project.settings.access_log and not http.log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        http.log.addHandler(handler)
        http.log.setLevel(logging.INFO)
        http.log.propagate = False
    return app


def curated_tabs(lang: str) -> list[dict[str, str]]:
    p = http.current_project()
    return [{"name": q.label(lang), "query": q.runnable_text(p.base)} for q in p.catalog.values()]
