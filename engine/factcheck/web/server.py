"""Serving the review page: waitress, a production WSGI server in pure Python (no build step, no C
extension), in the foreground until Ctrl-C."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from waitress.server import create_server

from factcheck.web.app import Settings, create_app

THREADS = 4  # a handful of reviewers; each request opens the store on its own


def serve(settings: Settings, ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve until interrupted; `ready` is told the page's address once the port is bound."""
    server = create_server(create_app(settings), host=settings.host, port=settings.port, threads=THREADS)
    port = int(getattr(server, "effective_port", settings.port))  # several sockets (a name): the one asked for
    if port != settings.port:  # port 0: the system chose one, and the Host check must know it
        server.application = create_app(replace(settings, port=port))
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    ready(f"http://{host}:{port}/")
    try:
        server.run()
    finally:
        server.close()
