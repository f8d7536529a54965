"""A small portal on 127.0.0.1 that fails the ways real ones do.

Its list pages link to a good page and to every fault we must survive: 404, 500, a changed
layout, a response slower than the timeout, a connection reset, a body cut short, a
redirect loop, a body over the size cap, GBK under a wrong or missing charset, and an
endless chain of list pages. ``pages`` can be changed while it runs (for version tests).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DETAIL = """<html><head><meta charset="utf-8"></head><body>
<h1>{title}</h1><div class="info"><span class="pubdate">发布日期：{day}</span></div>
<div class="content"><p>{body}</p></div></body></html>"""

GBK_DETAIL = """<html><head>{meta}</head><body>
<h1>关于某化工经销部未取得危险化学品经营许可证的处罚决定</h1>
<div class="info"><span class="pubdate">发布日期：2024-06-12</span></div>
<div class="content"><p>经查，当事人在未取得危险化学品经营许可证的情况下，在租用的民房内储存并销售甲醇燃料油约2吨。</p></div>
</body></html>"""

FAULT_LINKS = [
    ("ok.html", "关于某餐饮有限公司拖欠工资的行政处罚决定书", "2024-06-03"),
    ("gone.html", "已撤回的公示", "2024-06-04"),
    ("boom.html", "系统维护中的公示", "2024-06-05"),
    ("redesigned.html", "改版后的页面", "2024-06-06"),
    ("slow.html", "响应很慢的页面", "2024-06-07"),
    ("reset.html", "连接被重置的页面", "2024-06-08"),
    ("truncated.html", "传输中断的页面", "2024-06-09"),
    ("loop-a.html", "循环跳转的页面", "2024-06-10"),
    ("huge.html", "超大页面", "2024-06-11"),
    ("wrongcharset.html", "字符集声明错误的页面", "2024-06-12"),
    ("nocharset.html", "未声明字符集的页面", "2024-06-12"),
    ("private/internal.html", "内部页面（robots.txt 禁止抓取）", "2024-06-13"),
]


def list_page(links: list[tuple[str, str, str]], next_href: str | None) -> str:
    items = "\n".join(
        f'<li><a href="{href}">{title}</a><span class="date">{day}</span></li>'
        for href, title, day in links
    )
    nxt = f'<div class="page"><a href="{next_href}">下一页</a></div>' if next_href else ""
    return f'<html><head><meta charset="utf-8"></head><body><ul class="list">{items}</ul>{nxt}</body></html>'


def default_pages() -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}

    def page(text: str, status: int = 200) -> tuple[int, dict[str, str], bytes]:
        return status, html, text.encode("utf-8")

    return {
        "/list.html": page(list_page(FAULT_LINKS, "list2.html")),
        "/list2.html": page(
            list_page(
                [("ok2.html", "关于某建材有限公司未签订劳动合同的行政处罚决定书", "2024-05-20")],
                "trap/page-1.html",
            )
        ),
        "/ok.html": page(
            DETAIL.format(
                title="关于某餐饮有限公司拖欠工资的行政处罚决定书",
                day="2024-06-03",
                body="经查，该公司拖欠12名劳动者2024年3月至4月工资共计8.6万元，责令限期支付。",
            )
        ),
        "/ok2.html": page(
            DETAIL.format(
                title="关于某建材有限公司未签订劳动合同的行政处罚决定书",
                day="2024-05-20",
                body="经查，该公司与7名劳动者未依法订立书面劳动合同，责令改正。",
            )
        ),
        "/boom.html": page("<html><body>Internal Server Error</body></html>", 500),
        "/redesigned.html": page(
            "<html><body><div class='new-layout'>页面已改版</div></body></html>"
        ),
        "/wrongcharset.html": (
            200,
            html,
            GBK_DETAIL.format(meta='<meta charset="utf-8">').encode("gbk"),
        ),
        "/nocharset.html": (
            200,
            {"Content-Type": "text/html"},
            GBK_DETAIL.format(meta="").encode("gbk"),
        ),
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nDisallow: /private/\n",
        ),
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer

    def do_GET(self) -> None:
        path = self.path
        if path == "/slow.html":
            time.sleep(3)
        if path == "/reset.html":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if path == "/truncated.html":
            self._head(200, {"Content-Type": "text/html; charset=utf-8"}, 5000)
            self.wfile.write("<html><body><h1>只传了一半".encode())
            self.close_connection = True
            return
        if path in {"/loop-a.html", "/loop-b.html"}:
            target = "/loop-b.html" if path == "/loop-a.html" else "/loop-a.html"
            self._head(302, {"Location": target}, 0)
            return
        if path == "/huge.html":
            body = b"<html><body>" + b"x" * 3_000_000 + b"</body></html>"
            self._head(200, {"Content-Type": "text/html"}, len(body))
            self.wfile.write(body)
            return
        if path.startswith("/trap/page-"):  # a calendar that pages forward forever
            number = int(path.rsplit("-", 1)[1].split(".")[0])
            body = list_page(
                [("../ok.html", *FAULT_LINKS[0][1:])], f"page-{number + 1}.html"
            ).encode()
            self._head(200, {"Content-Type": "text/html; charset=utf-8"}, len(body))
            self.wfile.write(body)
            return
        self.server.hits[path] = self.server.hits.get(path, 0) + 1
        status, headers, body = self.server.pages.get(
            path, (404, {"Content-Type": "text/html"}, b"<html><body>404</body></html>")
        )
        last_modified = self.server.modified.get(path)
        if last_modified and self.headers.get("If-Modified-Since") == last_modified:
            self._head(304, {}, 0)
            return
        extra = {"Last-Modified": last_modified} if last_modified else {}
        self._head(status, {**headers, **extra}, len(body))
        self.wfile.write(body)

    def _head(self, status: int, headers: dict[str, str], length: int) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = default_pages()
        self.modified: dict[str, str] = {}
        self.hits: dict[str, int] = {}

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients that give up (timeouts, size caps) are part of the test


class FaultSite:
    def __enter__(self) -> FaultSite:
        self.server = FaultServer()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def set_page(self, path: str, html: str, modified_at: float | None = None) -> None:
        """Replace a page; with ``modified_at`` it answers conditional requests with 304."""
        self.server.pages[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, html.encode())
        if modified_at is not None:
            self.server.modified[path] = formatdate(modified_at, usegmt=True)

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
