"""A small portal on 127.0.0.1 that fails the ways real ones do: 404s, 500s, a detail page
whose layout changed, and a page that is not HTML at all."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LIST_PAGE = """<html><head><meta charset="utf-8"><title>行政处罚公示</title></head><body>
<ul class="list">
<li><a href="ok.html">关于某餐饮有限公司拖欠工资的行政处罚决定书</a></li>
<li><a href="gone.html">已撤回的公示</a></li>
<li><a href="boom.html">系统维护中的公示</a></li>
<li><a href="redesigned.html">改版后的页面</a></li>
</ul>
<div class="page"><a href="list2.html">下一页</a></div>
</body></html>"""

LIST_PAGE_2 = """<html><head><meta charset="utf-8"></head><body>
<ul class="list"><li><a href="ok2.html">关于某建材有限公司未签订劳动合同的行政处罚决定书</a></li></ul>
</body></html>"""

DETAIL = """<html><head><meta charset="utf-8"></head><body>
<h1>{title}</h1><div class="info"><span class="pubdate">发布日期：2024-06-0{day}</span></div>
<div class="content"><p>{body}</p></div></body></html>"""

PAGES = {
    "/list.html": (200, LIST_PAGE),
    "/list2.html": (200, LIST_PAGE_2),
    "/ok.html": (
        200,
        DETAIL.format(
            title="关于某餐饮有限公司拖欠工资的行政处罚决定书",
            day=3,
            body="经查，该公司拖欠12名劳动者2024年3月至4月工资共计8.6万元，责令限期支付。",
        ),
    ),
    "/ok2.html": (
        200,
        DETAIL.format(
            title="关于某建材有限公司未签订劳动合同的行政处罚决定书",
            day=5,
            body="经查，该公司与7名劳动者未依法订立书面劳动合同，责令改正。",
        ),
    ),
    "/boom.html": (500, "<html><body>Internal Server Error</body></html>"),
    "/redesigned.html": (200, "<html><body><div class='new-layout'>页面已改版</div></body></html>"),
    "/robots.txt": (200, "User-agent: *\nDisallow:\n"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = PAGES.get(self.path, (404, "<html><body>404 Not Found</body></html>"))
        data = body.encode("utf-8")
        self.send_response(status)
        content_type = "text/plain" if self.path.endswith(".txt") else "text/html"
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


class FaultSite:
    def __enter__(self) -> FaultSite:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
