"""Serve a built sample site on 127.0.0.1 with the headers real portals send."""

from __future__ import annotations

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from clue_miner.sample_site.portals import PORTALS

CHARSETS = {"/" + p.root + "/": p.header_charset for p in PORTALS.values()}
FILE_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
}


class PortalRequestHandler(SimpleHTTPRequestHandler):
    """Static files with each portal's charset header (or none, as some old CMSs do)."""

    server_version = "Apache"
    sys_version = ""

    def guess_type(self, path: Any) -> str:
        text = os.fsdecode(path)
        if text.endswith((".html", ".htm")):
            charset = next(
                (c for root, c in CHARSETS.items() if self.path.startswith(root)), "utf-8"
            )
            return f"text/html; charset={charset}" if charset else "text/html"
        suffix = "." + text.rsplit(".", 1)[-1].lower()
        if suffix in FILE_TYPES:
            return FILE_TYPES[suffix]
        if text.endswith(".txt"):
            return "text/plain; charset=utf-8"
        return super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        return


class SampleSiteServer:
    """A threaded HTTP server on 127.0.0.1 (port 0 picks a free port)."""

    def __init__(self, root: Path, port: int = 0, host: str = "127.0.0.1") -> None:
        handler = partial(PortalRequestHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://{self.host}:{port}"

    def start(self) -> SampleSiteServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleSiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
