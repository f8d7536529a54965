"""How each sample portal lays out its URLs, pages and encoding (a CMS style per portal)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Portal:
    id: str
    site_name: str
    section: str
    root: str  # URL folder, e.g. "xzcf"
    first_page: str  # e.g. "index.html"
    page_name: str  # page n >= 2 (1-based), e.g. "index_{i}.html" with i = n - 1
    detail_name: str  # relative to root, from {ym} {ymd} {n}
    template: str
    encoding: str = "utf-8"
    header_charset: str | None = "utf-8"  # None: the server declares no charset at all
    page_size: int = 10

    def list_page(self, number: int) -> str:
        """File name of list page ``number`` (1-based)."""
        if number == 1:
            return self.first_page
        return self.page_name.format(i=number - 1, n=number)


PORTALS = {
    "rsj": Portal(
        id="rsj",
        site_name="唐山市丰南区人力资源和社会保障局",
        section="行政处罚公示",
        root="xzcf",
        first_page="index.html",
        page_name="index_{i}.html",
        detail_name="{ym}/t{ymd}_{n}.html",
        template="rsj",
    ),
    "scjg": Portal(
        id="scjg",
        site_name="唐山市市场监督管理局",
        section="企业登记信息公告",
        root="scjg/qydjgg",
        first_page="list.html",
        page_name="list_{n}.html",
        detail_name="content_{n}.html",
        template="scjg",
    ),
    "yjj": Portal(
        id="yjj",
        site_name="张家口市应急管理局",
        section="通知公告",
        root="yjglj/tzgg",
        first_page="index.htm",
        page_name="index_{i}.htm",
        detail_name="{ym}/t{ymd}_{n}.htm",
        template="yjj",
        encoding="gbk",
        header_charset="GBK",
    ),
    "spj": Portal(
        id="spj",
        site_name="张家口市行政审批局",
        section="危险化学品经营许可证信息公示",
        root="xzspj/xkgs",
        first_page="index.htm",
        page_name="index_{i}.htm",
        detail_name="{ym}/t{ymd}_{n}.htm",
        template="spj",
        encoding="gbk",
        header_charset=None,
        page_size=5,
    ),
    "news": Portal(
        id="news",
        site_name="冀平法治资讯网",
        section="法治新闻",
        root="news/fzxw",
        first_page="index.html",
        page_name="index_{n}.html",
        detail_name="{ymd}/{n}.html",
        template="news",
        page_size=8,
    ),
}
