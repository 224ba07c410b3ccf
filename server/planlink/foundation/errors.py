"""Every error planlink raises. Library code raises these; the CLI and the web layer render them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PlanlinkError(Exception):
    """Base: a stable machine-readable ``code``, an HTTP ``status``, a human ``message``."""

    code = "error"
    status = 500
    exit_code = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors cross process boundaries (query evaluators); keep their class, message and details.
        return (_rebuild, (type(self), self.message, self.details))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "status": self.status, "message": self.message}
        out.update({k: v for k, v in self.details.items() if v is not None})
        return out


def _rebuild(cls: type[PlanlinkError], message: str, details: dict[str, Any]) -> PlanlinkError:
    exc = cls.__new__(cls)
    PlanlinkError.__init__(exc, message, **details)
    for key, value in details.items():
        setattr(exc, key, value)
    return exc


class ConfigError(PlanlinkError):
    code = "bad-setting"
    exit_code = 2


class DataFileError(PlanlinkError):
    """A data file is missing or does not parse. ``path``, ``line`` and ``column`` say where."""

    code = "bad-data-file"
    exit_code = 2

    def __init__(self, message: str, path: str, line: int | None = None, column: int | None = None) -> None:
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}", path=path, line=line, column=column)


@dataclass
class Violation:
    focus: str
    label: str | None
    path: str | None
    message: str
    severity: str
    shape: str | None
    value: str | None = None
    graph: str | None = None


class ValidationFailed(PlanlinkError):
    code = "invalid-data"
    exit_code = 1

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"the data does not conform to the shapes: {len(violations)} violation(s)")
        self.violations = violations


class WorkbookInvalid(PlanlinkError):
    """A plan workbook (or a file given to /validate) has problems: ``problems`` lists each, with where it is
    (sheet!cell, or file:line) and what is wrong. Nothing was written."""

    code = "invalid-workbook"
    status = 422
    exit_code = 1

    def __init__(self, message: str, problems: list[dict[str, Any]]) -> None:
        super().__init__(message, problems=problems)
        self.problems = problems


class BadRequest(PlanlinkError):
    code = "bad-request"
    status = 400
    exit_code = 2


class QuerySyntaxError(BadRequest):
    code = "query-syntax"

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        PlanlinkError.__init__(self, message, line=line, column=column)


class QueryTooDeep(BadRequest):
    """The query nests its brackets deeper than any real query does (a parser's recursion would overflow)."""

    code = "query-too-deep"


class Conflict(PlanlinkError):
    """The request was made against a version of the files that has changed since (another tab, another
    curator): nothing was written; reload and decide again."""

    code = "edit-conflict"
    status = 409
    exit_code = 2


class RecordInvalid(PlanlinkError):
    """A record that does not conform to the shapes: ``violations`` say why; nothing was written."""

    code = "invalid-record"
    status = 422
    exit_code = 1


class QueryRefused(PlanlinkError):
    """The query is well formed but asks for something this service does not do (update, SERVICE, FROM ...)."""

    code = "query-refused"
    status = 403
    exit_code = 2


class NotFound(PlanlinkError):
    code = "not-found"
    status = 404


class NotAcceptable(PlanlinkError):
    code = "not-acceptable"
    status = 406


class UnsupportedMediaType(PlanlinkError):
    code = "unsupported-media-type"
    status = 415


class PayloadTooLarge(PlanlinkError):
    code = "payload-too-large"
    status = 413


class UriTooLong(PlanlinkError):
    code = "uri-too-long"
    status = 414


class QueryTimeout(PlanlinkError):
    code = "timeout"
    status = 503


class Busy(PlanlinkError):
    code = "busy"
    status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class DataChanged(PlanlinkError):
    """The data files changed after the service loaded them: what is derived from the files again (downloads,
    the ontology documents) would not match what it serves until it restarts."""

    code = "data-changed"
    status = 503


class UpstreamError(PlanlinkError):
    """The remote store could not be reached, or refused or garbled its answer (HTTP 502)."""

    code = "upstream"
    status = 502


class StoreTimeout(QueryTimeout):
    """The remote store did not answer within the time limit (HTTP 504): planlink gave up on it and closed
    the connection; the store stops the query where it can (see engine/remote.py)."""

    code = "store-timeout"
    status = 504
