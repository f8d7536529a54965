"""Render the sample portals from their YAML content into a folder of static files."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from clue_miner.config import project_root, var_dir
from clue_miner.sample_site.files import DOCUMENTS, SPREADSHEETS
from clue_miner.sample_site.portals import PORTALS, Portal


@dataclass
class SampleAttachment:
    """A file under an article: a spreadsheet of ``rows``, or the article as PDF/DOCX."""

    name: str
    sheet: str = "Sheet1"
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    href: str = ""

    @property
    def suffix(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


@dataclass
class SampleTable:
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class SampleArticle:
    id: str
    date: date
    title: str
    body: str
    expect: list[str]
    note: str = ""
    attachments: list[SampleAttachment] = field(default_factory=list)
    table: SampleTable | None = None
    number: int = 0
    href: str = ""  # relative to the portal root

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


def site_dir() -> Path:
    """Project folder that holds ``content/`` and ``templates/``."""
    return project_root() / "sample_site"


def load_articles(portal: Portal, content_dir: Path | None = None) -> list[SampleArticle]:
    """Articles of one portal, newest first, each with its number and URL."""
    path = (content_dir or site_dir() / "content") / f"{portal.id}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = []
    for raw in data["articles"]:
        atts = [SampleAttachment(**a) for a in raw.get("attachments") or []]
        articles.append(
            SampleArticle(
                id=raw["id"],
                date=raw["date"]
                if isinstance(raw["date"], date)
                else date.fromisoformat(raw["date"]),
                title=raw["title"].strip(),
                body=raw["body"],
                expect=list(raw.get("expect") or []),
                note=raw.get("note", ""),
                attachments=atts,
                table=SampleTable(**raw["table"]) if raw.get("table") else None,
            )
        )
    articles.sort(key=lambda a: (a.date, a.id), reverse=True)
    base = 1000 + 37 * len(portal.id)
    for index, article in enumerate(reversed(articles)):
        article.number = base + index
        article.href = portal.detail_name.format(
            ym=article.date.strftime("%Y%m"), ymd=article.date.strftime("%Y%m%d"), n=article.number
        )
        for k, att in enumerate(article.attachments, start=1):
            suffix = att.name.rsplit(".", 1)[-1]
            folder = article.href.rsplit("/", 1)[0] + "/" if "/" in article.href else ""
            att.href = f"{folder}P0{article.date:%Y%m%d}{article.number}{k}.{suffix}"
    return articles


def attachment_bytes(article: SampleArticle, att: SampleAttachment) -> bytes:
    """The file of an attachment: its rows as a spreadsheet, or the article as a document."""
    if att.suffix in SPREADSHEETS:
        return SPREADSHEETS[att.suffix](att.sheet, att.columns, att.rows)
    if att.suffix in DOCUMENTS:
        return DOCUMENTS[att.suffix](article.title, article.paragraphs)
    raise ValueError(f"{article.id}: no renderer for attachment {att.name!r}")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(site_dir() / "templates"),
        autoescape=select_autoescape(["html", "htm"]),
        keep_trailing_newline=True,
    )


def _write(path: Path, text: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def render_portal(portal: Portal, out: Path, env: Environment) -> int:
    """Write one portal's list pages, detail pages and attachments; return detail count."""
    articles = load_articles(portal)
    root = out / portal.root
    pages = [articles[i : i + portal.page_size] for i in range(0, len(articles), portal.page_size)]
    depth_prefix = "../" * portal.root.count("/")
    for number, page in enumerate(pages, start=1):
        html = env.get_template(f"{portal.template}_list.html").render(
            portal=portal,
            articles=page,
            page=number,
            page_count=len(pages),
            prev_href=portal.list_page(number - 1) if number > 1 else None,
            next_href=portal.list_page(number + 1) if number < len(pages) else None,
            first_href=portal.first_page,
            last_href=portal.list_page(len(pages)),
            home=depth_prefix + "../index.html",
        )
        _write(root / portal.list_page(number), html, portal.encoding)
    for article in articles:
        html = env.get_template(f"{portal.template}_detail.html").render(
            portal=portal, article=article, list_href="/" + portal.root + "/" + portal.first_page
        )
        _write(root / article.href, html, portal.encoding)
        for att in article.attachments:
            path = root / att.href
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(attachment_bytes(article, att))
    return len(articles)


def content_fingerprint() -> str:
    """Hash of the content and templates: a new build folder whenever either changes."""
    digest = hashlib.sha256()
    for path in sorted(site_dir().rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site_dir()).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_site(out: Path | None = None) -> Path:
    """Render all portals (once per content version) and return the folder."""
    out = out or var_dir() / "sample_site" / content_fingerprint()
    if (out / ".complete").exists():
        return out
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    env = _environment()
    portals = list(PORTALS.values())
    counts = {p.id: render_portal(p, tmp, env) for p in portals}
    _write(
        tmp / "index.html",
        env.get_template("home.html").render(portals=portals, counts=counts),
        "utf-8",
    )
    _write(tmp / "robots.txt", "User-agent: *\nDisallow: /private/\n", "utf-8")
    (tmp / ".complete").write_text("ok")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out
