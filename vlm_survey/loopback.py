"""A built site (or any request handler) served over HTTP on a free loopback port, in a thread: what the PDF
printer, the Lighthouse runner, the bench and the tests open in Chromium. Nothing listens beyond 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

Handler = Callable[..., http.server.BaseHTTPRequestHandler]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serving(directory: Path | None = None, handler: type[http.server.BaseHTTPRequestHandler] | Handler | None = None
            ) -> Iterator[str]:
    """`directory` as static files (with `handler`, a SimpleHTTPRequestHandler subclass, if given), or
    `handler`'s answers alone; yields the base URL, without a trailing slash."""
    if directory is not None:
        handler = functools.partial(handler or QuietHandler, directory=str(directory))
    if handler is None:
        raise ValueError("serve a folder or a handler")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
