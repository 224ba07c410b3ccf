"""/validate: an author drops a plan workbook (.xlsx, .ods) or a Turtle file and sees its problems, each linked
to its cell or line, in Thai or English. The file is checked from a temporary file that is deleted at once:
nothing is stored. A file over PLANLINK_UPLOAD_CAP is refused with 413 in the service's error shape.
/validate/template.xlsx is the empty workbook."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from planlink.foundation.errors import BadRequest, PayloadTooLarge
from planlink.readmodels.workbook.checkfile import ACCEPTED, check_upload
from planlink.readmodels.workbook.messages import choices_text, say, size_text
from planlink.web.http import current_project, error_response, page_lang, translate

bp = Blueprint("validate", __name__)


def _cap() -> int:
    return current_project().settings.upload_cap


def _too_large(size: int | None) -> PayloadTooLarge:
    cap = _cap()
    message = (
        say("too-large", page_lang(), size=size_text(size), cap=size_text(cap))
        if size
        else translate(
            f"ไฟล์มีขนาดเกินขนาดสูงสุดที่รับได้ {size_text(cap)} (ตั้งค่าได้ที่ PLANLINK_UPLOAD_CAP)",
            f"the file is larger than the largest accepted, {size_text(cap)} (setting PLANLINK_UPLOAD_CAP)",
        )
    )
    return PayloadTooLarge(message, limit=cap)


@bp.before_request
def _upload_limit() -> None:
    # This page takes files up to the upload cap (the rest of the service keeps PLANLINK_BODY_CAP).
    request.max_content_length = _cap() + 64 * 1024  # room for the form's own fields


@bp.errorhandler(RequestEntityTooLarge)
def _over_cap(exc: RequestEntityTooLarge) -> Response:
    return error_response(_too_large(request.content_length))


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.args.get("format") == "json"


@bp.get("/validate")
def form() -> Response:
    html = render_template(
        "validate.html", lang=page_lang(), result=None, cap=size_text(_cap()), accepted=ACCEPTED
    )
    return Response(html, content_type="text/html; charset=utf-8")


@bp.post("/validate")
def upload() -> Response:
    lang = page_lang() if request.args.get("lang") or not request.form.get("lang") else request.form["lang"]
    lang = lang if lang in ("th", "en") else "th"
    size = request.content_length
    if size is not None and size > _cap() + 64 * 1024:
        raise _too_large(size)
    file = request.files.get("file")
    if file is None or not file.filename:
        raise BadRequest(translate("ยังไม่ได้เลือกไฟล์ (ช่อง file)", "no file was sent (form field 'file')"))
    name = Path(file.filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        accepted = choices_text(ACCEPTED, lang)
        raise BadRequest(say("unknown-suffix", lang, suffix=suffix or "(none)", accepted=accepted))
    root = Path(current_project().settings.root)
    with tempfile.TemporaryDirectory(prefix="planlink-validate-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        written = 0
        with path.open("wb") as out:
            for chunk in iter(lambda: file.stream.read(1 << 16), b""):
                written += len(chunk)
                if written > _cap():
                    raise _too_large(size if size and size > _cap() else written)
                out.write(chunk)
        result = check_upload(path, name, root, lang, _cap())
    if _wants_json():
        return Response(
            json.dumps(result.to_dict(), ensure_ascii=False) + "\n",
            content_type="application/json; charset=utf-8",
        )
    html = render_template(
        "validate.html", lang=lang, result=result, cap=size_text(_cap()), accepted=ACCEPTED
    )
    resp = Response(html, content_type="text/html; charset=utf-8")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/validate/template.xlsx")
def template() -> Response:
    from planlink.readmodels.workbook.exporter import known_areas
    from planlink.readmodels.workbook.template import new_workbook

    lang = page_lang()
    buf = io.BytesIO()
    new_workbook(lang, known_areas(Path(current_project().settings.root))).save(buf)
    resp = Response(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp.headers["Content-Disposition"] = "attachment; filename=planlink-plan-template.xlsx"
    return resp
