"""The curation app of ``planlink curate``: a separate Flask app, made only by that command and bound to 127.0.0.1,
never registered in the public app (whose routes stay read-only).

- ``GET /curate?lang=th|en``: the proposals of one plan pair that await review, each with both items' Thai and
  English text side by side, the items they sit under, their shared anchors and the score, and a form to accept
  (relation, level, Thai and English rationale), reject (with a reason) or mark unsure.
- ``POST /curate/decide``: one decision (``action`` accept, reject or unsure; ``subject``, ``object``, ``version``
  and the fields of the action). Written at once (readmodels/curation.py); the answer is a 303 back to the page,
  or, with ``Accept: application/json``, ``{"record", "version"}``. A refusal re-renders the page with the
  message in the page's language and its status: 400 (bad field), 409 (the files changed since the page was
  made: another tab or curator), 422 (the record does not conform to the shapes).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from planlink.foundation.errors import BadRequest, PlanlinkError
from planlink.project import Project
from planlink.readmodels.curation import LEVELS, RELATIONS, Curation
from planlink.web import http

bp = Blueprint("curate", __name__)
ACTIONS = ("accept", "reject", "unsure")


def build_curate_app(project: Project, make: Callable[[], Curation]) -> Flask:
    """The curation app over ``project``; ``make`` builds the pair's Curation (on the first request, after the
    server has forked its workers and their query evaluators)."""
    app = Flask(__name__)
    app.config["PLANLINK"] = project
    app.config["MAX_CONTENT_LENGTH"] = project.settings.body_cap
    held: dict[str, Curation] = {}
    lock = threading.Lock()

    def curation() -> Curation:
        with lock:
            if "c" not in held:
                held["c"] = make()
            return held["c"]

    app.config["CURATION"] = curation
    app.register_blueprint(bp)
    app.before_request(http.start_timer)
    app.after_request(http.finish)
    app.register_error_handler(PlanlinkError, _refused)
    app.register_error_handler(HTTPException, http.http_error)
    app.register_error_handler(Exception, http.unexpected_error)
    app.jinja_env.globals.update(project=project, t=http.translate)
    return app


def _curation() -> Curation:
    from flask import current_app

    return current_app.config["CURATION"]()  # type: ignore[no-any-return]


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes["application/json"] > 0


@bp.get("/")
def home() -> Response:
    return redirect(f"/curate?lang={http.page_lang()}", 303)  # type: ignore[return-value]


@bp.get("/favicon.ico")
def favicon() -> Response:
    from flask import current_app

    return current_app.send_static_file("favicon.svg")


@bp.get("/curate")
def page() -> Response:
    unknown = sorted(set(request.args) - {"lang", "done", "record"})
    if unknown:
        raise BadRequest(f"unknown parameter(s) {', '.join(unknown)}; the page takes lang")
    return _page(200)


def _page(status: int, error: PlanlinkError | None = None, form: dict[str, str] | None = None) -> Response:
    c = _curation()
    lang = http.page_lang()
    proposals = c.proposals()
    body = render_template(
        "curate.html",
        lang=lang,
        c=c,
        proposals=proposals,
        counts=c.counts_of(proposals),
        version=c.version(),
        relations=RELATIONS,
        levels=LEVELS,
        error=_words(error, lang) if error else None,
        form=form or {},
        done=request.args.get("done") if status == 200 else None,
        record=request.args.get("record") if status == 200 else None,
    )
    resp = Response(body, status, content_type="text/html; charset=utf-8")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _words(exc: PlanlinkError, lang: str) -> dict[str, Any]:
    th = exc.details.get("message_th")
    return {
        "status": exc.status,
        "code": exc.code,
        "message": th if lang == "th" and th else exc.message,
        "violations": exc.details.get("violations") or [],
    }


@bp.post("/curate/decide")
def decide() -> Response:
    f = request.form
    for name in f:
        if len(f.getlist(name)) > 1:
            raise BadRequest(f"the field {name!r} was given more than once", field=name)
    action = f.get("action", "")
    if action not in ACTIONS:
        raise BadRequest(
            f"action must be one of {', '.join(ACTIONS)}, not {action!r}",
            message_th=f"action ต้องเป็น {', '.join(ACTIONS)} ไม่ใช่ {action!r}",
            field="action",
        )
    missing = [n for n in ("subject", "object", "version") if not f.get(n)]
    if missing:
        raise BadRequest(
            f"missing field(s): {', '.join(missing)}",
            message_th=f"ขาดช่องข้อมูล: {', '.join(missing)}",
            field=missing[0],
        )
    c = _curation()
    lang = http.page_lang()
    if action == "accept":
        record, version = c.accept(
            f["version"],
            f["subject"],
            f["object"],
            f.get("relation", ""),
            f.get("level", ""),
            f.get("rationale_th", ""),
            f.get("rationale_en", ""),
            lang,
        )
    else:
        decide_with = c.reject if action == "reject" else c.unsure
        record, version = decide_with(
            f["version"], f["subject"], f["object"], f.get("reason", ""), f.get("reason_lang", lang), lang
        )
    if _wants_json():
        return Response(
            json.dumps({"record": record, "version": version, "action": action}, ensure_ascii=False) + "\n",
            200,
            content_type="application/json; charset=utf-8",
        )
    qs = urlencode({"lang": lang, "done": action, "record": record})
    return redirect(f"/curate?{qs}#message", 303)  # type: ignore[return-value]


def _refused(exc: PlanlinkError) -> Response:
    """A refused decision: JSON for a client that asks for it, else the page again with the message."""
    if _wants_json() or request.path != "/curate/decide":
        return http.error_response(exc)
    return _page(exc.status, exc, dict(request.form))
