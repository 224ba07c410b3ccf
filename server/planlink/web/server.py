"""Running the app under granian (a production HTTP server written in Rust, serving the WSGI app), as
``planlink serve`` and ``planlink curate`` do.

The app is built once, in the main process: the data is loaded and validated before the workers fork, and
shared with them copy-on-write. Each worker forks its query evaluators as it starts. HTTP parsing, keep-alive
and writing the answer happen in Rust; a request's Python work is Flask and the view (bench/RESULTS.md, "Lever:
the HTTP layer": 15-30 % less CPU per request in the web workers than gunicorn's gthread workers).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from typing import Any

from planlink.engine.evaluator import EvaluatorPool
from planlink.project import Project


def serve(project: Project, app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` (built on ``project``) on ``host:port`` with ``workers`` processes of ``threads`` request
    threads each, until SIGINT or SIGTERM. granian's HTTP/1 parser (hyper) answers a request target over 65,534
    bytes with a bare 414 before planlink sees it; PLANLINK_URL_CAP stays below that, so that planlink's own 414
    (which says to send the query by POST) answers the URLs between the two."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    # Workers are forked (not spawned), so that they share the loaded data: Python 3.14 changes the default.
    if multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method("fork")

    def in_worker(*_: Any, **__: Any) -> Any:
        if isinstance(project.query.backend, EvaluatorPool):
            project.query.backend.start()  # this worker's evaluators, forked before its first request
        return app

    server = Server(
        "planlink",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        backpressure=threads,
        respawn_failed_workers=True,  # a worker that dies (the OOM killer) is replaced, as gunicorn did
        workers_kill_timeout=10,
        log_level=LogLevels.warning,
        log_access=False,  # planlink writes its own access log (PLANLINK_ACCESS_LOG)
    )
    # Granian warns of more request threads than cores: planlink's threads wait on their evaluators, not the CPU.
    logging.getLogger("_granian").addFilter(lambda record: "Python threads" not in record.getMessage())
    follow_store_switch(project)
    server.serve(target_loader=in_worker, wrap_loader=False)


def follow_store_switch(project: Project) -> None:
    """A start that serves from memory while the on-disk store is built: the main process, too, moves to the
    disk store when it is complete and lets its in-memory copy go (workers forked later start on disk)."""
    pool = project.query.backend
    if isinstance(pool, EvaluatorPool) and not pool.poll_switch():

        def wait() -> None:
            while not pool.poll_switch():
                time.sleep(pool.poll_every)

        threading.Thread(target=wait, name="planlink-store-switch", daemon=True).start()
