"""Serve a built sample site on 127.0.0.1 with the headers real portals send."""

from __future__ import annotations

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from clue_miner.sample_site.portals import PORTALS

GBK_ROOTS = tuple("/" + p.root + "/" for p in PORTALS.values() if p.encoding == "gbk")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PortalRequestHandler(SimpleHTTPRequestHandler):
    """Static files; GBK portals declare ``charset=GBK``; quiet logs."""

    server_version = "Apache"
    sys_version = ""

    def guess_type(self, path: Any) -> str:
        text = os.fsdecode(path)
        if text.endswith((".html", ".htm")):
            charset = "GBK" if self.path.startswith(GBK_ROOTS) else "utf-8"
            return f"text/html; charset={charset}"
        if text.endswith(".xlsx"):
            return XLSX_TYPE
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
