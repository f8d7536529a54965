"""Page text: one line per block, scripts never kept, dates found in portal formats."""

from __future__ import annotations

from datetime import date

from clue_miner.crawlers.html_text import find_date, html_to_text


def test_paragraphs_become_lines_and_scripts_are_dropped() -> None:
    fragment = (
        '<div class="content"><p style="text-indent:2em;">当事人：唐山市丰南区星芒文化传媒有限公司</p>'
        "<script>alert('x')</script><p>违法事实：&lt;b&gt;使用童工&lt;/b&gt;。</p>"
        "<table><tr><td>序号</td><td>企业名称</td></tr></table></div>"
    )
    assert html_to_text(fragment) == (
        "当事人：唐山市丰南区星芒文化传媒有限公司\n违法事实：<b>使用童工</b>。\n序号\t企业名称"
    )


def test_text_size_is_bounded() -> None:
    assert len(html_to_text("<p>" + "很长的正文" * 10_000 + "</p>", max_chars=1000)) == 1000


def test_dates_in_the_formats_portals_use() -> None:
    assert find_date("发布日期：2024-05-14") == date(2024, 5, 14)
    assert find_date("发布时间：2024年05月14日　信息来源：登记注册科") == date(2024, 5, 14)
    assert find_date("2024/5/4 来源") == date(2024, 5, 4)
    assert find_date("2024-13-40 与 2023-02-01") == date(2023, 2, 1)
    assert find_date("浏览次数：328") is None
