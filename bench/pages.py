"""Generated public-record pages for benchmarks, served fast on loopback.

Detail pages reuse the bundled sample site's articles (our own writing) round-robin, so
the text is realistic Chinese; list pages link 20 details each and the next list page.
The server is a small asyncio HTTP/1.1 server with keep-alive that answers from memory.
"""

from __future__ import annotations

import asyncio
import html
import multiprocessing
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle

from clue_miner.sample_site.build import load_articles
from clue_miner.sample_site.portals import PORTALS

PER_LIST_PAGE = 20


def _articles() -> Iterator[tuple[str, str, str]]:
    for portal in PORTALS.values():
        for article in load_articles(portal):
            yield (
                article.title,
                article.date.isoformat(),
                "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs),
            )


def build_pages(details: int) -> dict[str, bytes]:
    """``details`` detail pages and the list pages that link them, by path."""
    pages: dict[str, bytes] = {}
    source = cycle(list(_articles()))
    lists = (details + PER_LIST_PAGE - 1) // PER_LIST_PAGE
    for n in range(details):
        title, day, body = next(source)
        pages[f"/d/{n}.html"] = (
            f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><h1>{html.escape(title)}（第{n}号）</h1><div class="info">'
            f'<span class="pubdate">发布日期：{day}</span></div><div class="content">{body}'
            "</div></body></html>"
        ).encode()
    for page in range(lists):
        items = "".join(
            f'<li><a href="/d/{n}.html">公示第{n}号</a><span>2025-01-01</span></li>'
            for n in range(page * PER_LIST_PAGE, min(details, (page + 1) * PER_LIST_PAGE))
        )
        nxt = f'<a href="/list/{page + 1}.html">下一页</a>' if page + 1 < lists else ""
        pages[f"/list/{page}.html"] = (
            f'<html><head><meta charset="utf-8"></head><body><ul class="list">{items}</ul>'
            f"{nxt}</body></html>"
        ).encode()
    pages["/robots.txt"] = b"User-agent: *\nDisallow:\n"
    return pages


async def _serve(pages: dict[str, bytes], port: int, ready: object) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1")
                body = pages.get(path)
                status = b"200 OK" if body is not None else b"404 Not Found"
                body = body if body is not None else b"not found"
                ctype = b"text/plain" if path.endswith(".txt") else b"text/html; charset=utf-8"
                writer.write(
                    b"HTTP/1.1 "
                    + status
                    + b"\r\nContent-Type: "
                    + ctype
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    ready.set()  # type: ignore[attr-defined]
    async with server:
        await server.serve_forever()


def serve_forever(details: int, port: int, ready: object) -> None:
    """Entry point of the server process."""
    asyncio.run(_serve(build_pages(details), port, ready))


@contextmanager
def served_pages(details: int, timeout: float = 120) -> Iterator[str]:
    """The generated pages served by their own process on a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve_forever, args=(details, port, ready), daemon=True)
    server.start()
    ready.wait(timeout)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
