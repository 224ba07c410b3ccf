"""Running the app under gunicorn (a production WSGI server), as ``planlink serve`` does."""

from __future__ import annotations

import threading
import time
from typing import Any

from gunicorn.app.base import BaseApplication

from planlink.engine.evaluator import EvaluatorPool
from planlink.project import Project


class PlanlinkServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with the app built once in the master: the data is loaded and validated before the workers
    fork, and shared with them copy-on-write. Each worker forks its query evaluators before serving."""

    def __init__(self, project: Project, options: dict[str, Any]) -> None:
        self.project = project
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from planlink import create_app

        return create_app(project=self.project)


def gunicorn_options(
    host: str, port: int, workers: int, threads: int, query_timeout: float
) -> dict[str, Any]:
    def post_fork(server: Any, worker: Any) -> None:
        worker.app.project.query.backend.start()

    def when_ready(server: Any) -> None:
        # A start that serves from memory while the on-disk store is built: the master, too, moves to the disk
        # store when it is complete and lets its in-memory copy go (workers forked later start on disk).
        pool = server.app.project.query.backend
        if isinstance(pool, EvaluatorPool) and not pool.poll_switch():

            def wait() -> None:
                while not pool.poll_switch():
                    time.sleep(pool.poll_every)

            threading.Thread(target=wait, name="planlink-store-switch", daemon=True).start()

    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": int(query_timeout) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        # A GET query of a few hundred Thai characters passes gunicorn's default 4,094-byte request line. 0 lets
        # lines through up to gunicorn's own 1 MB bound; planlink answers past PLANLINK_URL_CAP (414, use POST).
        "limit_request_line": 0,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "planlink",
        "post_fork": post_fork,
        "when_ready": when_ready,
    }


class CurateServer(PlanlinkServer):
    """Gunicorn serving the curation app (``planlink curate``) instead of the public one."""

    def __init__(self, project: Project, options: dict[str, Any], app: Any) -> None:
        self.curate_app = app
        super().__init__(project, options)

    def load(self) -> Any:
        return self.curate_app
