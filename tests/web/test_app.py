"""The triage web app as a browser sees it over HTTP: login, the queue, a lead, decisions,
and every defence (sessions, CSRF, regions, escaping, rate limits)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clue_miner.db import session_scope
from clue_miner.models import Lead, TriageEvent
from clue_miner.web.app import create_app
from tests.triage_store import (
    MINOR_IN_CLEAR,
    ONERROR,
    PASSWORD,
    SCRIPT,
    TriageStore,
    build_triage_store,
)
from tests.web_client import CSRF, login


@pytest.fixture
def store(db_url: str) -> TriageStore:
    """The triage store on SQLite, then on PostgreSQL."""
    return build_triage_store(db_url)


@pytest.fixture
def client(store: TriageStore) -> Iterator[TestClient]:
    with TestClient(create_app(store.url), follow_redirects=False) as client:
        yield client


def events(store: TriageStore, lead_id: int) -> int:
    with session_scope(store.url) as session:
        return (
            session.scalar(
                select(func.count()).select_from(TriageEvent).where(TriageEvent.lead_id == lead_id)
            )
            or 0
        )


def test_every_route_denies_an_anonymous_user(client: TestClient, store: TriageStore) -> None:
    routes = [r for r in client.app.routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]
    assert len(routes) >= 7
    for route in routes:
        if route.path == "/login":
            continue
        path = route.path.replace("{lead_id}", str(store.fengnan)).replace("{doc_id}", "1")
        for method in route.methods:
            answer = client.request(method, path, data={"action": "accept"})
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/login?next=")
    assert events(store, store.fengnan) == 0


def test_login_sets_a_strict_http_only_session_and_logout_ends_it(client: TestClient) -> None:
    form = client.get("/login")
    assert "登录" in form.text
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/login", data={"name": "analyst-ts", "password": PASSWORD, "csrf_token": token}
    )
    cookie = answer.headers["set-cookie"]
    assert "clues_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "线索队列" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/").status_code == 303


def test_a_wrong_password_and_a_missing_login_token_are_refused(client: TestClient) -> None:
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    wrong = client.post(
        "/login", data={"name": "analyst-ts", "password": "x" * 12, "csrf_token": token}
    )
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    forged = client.post("/login", data={"name": "analyst-ts", "password": PASSWORD})
    assert forged.status_code == 403


def test_logins_are_rate_limited(client: TestClient) -> None:
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    for _ in range(5):
        client.post("/login", data={"name": "admin", "password": "guess-" * 3, "csrf_token": token})
    blocked = client.post(
        "/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429 and "登录尝试过多" in blocked.text
    other = client.post(
        "/login", data={"name": "analyst-ts", "password": PASSWORD, "csrf_token": token}
    )
    assert other.status_code == 303  # the limit is per name (and per address, higher)


def test_crawled_script_and_onerror_are_shown_as_text(
    client: TestClient, store: TriageStore
) -> None:
    login(client, "admin")
    for path in ("/", f"/leads/{store.qiaodong}", "/?q=硫酸"):
        page = client.get(path)
        assert page.status_code == 200
        assert SCRIPT not in page.text and ONERROR not in page.text
        assert "onerror=" not in page.text.replace("onerror=&#34;", "")
    lead = client.get(f"/leads/{store.qiaodong}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in lead
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in lead


def test_an_analyst_cannot_read_or_change_another_region_by_url(
    client: TestClient, store: TriageStore
) -> None:
    csrf = login(client, "analyst-ts")
    queue = client.get("/?status=").text
    assert f"/leads/{store.fengnan}" in queue and f"/leads/{store.qiaodong}" not in queue
    assert client.get(f"/leads/{store.qiaodong}").status_code == 403
    with session_scope(store.url) as session:
        foreign_doc = session.get_one(Lead, store.qiaodong).evidence[0].document_id
    assert client.get(f"/documents/{foreign_doc}/snapshot").status_code == 403
    assert client.get(f"/documents/{foreign_doc}/snapshot.raw").status_code == 403
    answer = client.post(
        f"/leads/{store.qiaodong}/decide", data={"action": "accept", "csrf_token": csrf}
    )
    assert answer.status_code == 403 and events(store, store.qiaodong) == 0


def test_a_post_without_the_csrf_token_fails(client: TestClient, store: TriageStore) -> None:
    login(client, "analyst-ts")
    for data in ({"action": "accept"}, {"action": "accept", "csrf_token": "forged"}):
        answer = client.post(f"/leads/{store.fengnan}/decide", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    assert events(store, store.fengnan) == 0


def test_the_queue_filters_searches_and_counts(client: TestClient, store: TriageStore) -> None:
    login(client, "supervisor")
    page = client.get("/?status=").text
    assert re.search(r'data-status="new">新线索（<span class="count">3<', page)
    hazmat = client.get("/?status=&category=hazmat_unlicensed").text
    assert f"/leads/{store.fengnan_other}" in hazmat and f'/leads/{store.fengnan}"' not in hazmat
    tangshan = client.get("/?status=&region=130200").text
    assert f"/leads/{store.qiaodong}" not in tangshan and f"/leads/{store.fengnan}" in tangshan
    found = client.get("/?status=&q=盐酸").text  # in the evidence quote only
    assert f"/leads/{store.fengnan_other}" in found and f'/leads/{store.fengnan}"' not in found
    by_source = client.get("/?status=&source=portal-130702").text
    assert f"/leads/{store.qiaodong}" in by_source and f'/leads/{store.fengnan}"' not in by_source
    assert "共 0 条" in client.get("/?status=accepted").text


def test_deciding_on_the_lead_page_appends_to_its_history(
    client: TestClient, store: TriageStore
) -> None:
    csrf = login(client, "analyst-ts")
    page = client.get(f"/leads/{store.fengnan}").text
    for shown in (
        "被监督行政机关",
        "丰南区人力资源和社会保障局",
        "网络直播情境",  # the feature livestream_context, by its card label
        "<mark>",
        "查看存档快照",
    ):
        assert shown in page
    assert f"/leads/{store.fengnan_other}" in page  # related: the same company
    answer = client.post(
        f"/leads/{store.fengnan}/decide", data={"action": "accept", "csrf_token": csrf}
    )
    assert answer.status_code == 303
    page = client.get(f"/leads/{store.fengnan}").text
    assert "已受理" in page and re.search(r"<td>analyst-ts</td><td>受理</td>", page)
    bad = client.post(
        f"/leads/{store.fengnan}/decide",
        data={"action": "dismiss", "reason": "看着不像", "csrf_token": csrf},
    )
    assert bad.status_code == 400 and "排除须选择理由" in bad.text
    assert events(store, store.fengnan) == 1


def test_an_analyst_sees_a_minor_s_name_masked_and_a_supervisor_sees_it_in_clear(
    client: TestClient, store: TriageStore
) -> None:
    login(client, "analyst-ts")
    page = client.get(f"/leads/{store.fengnan}").text
    assert "刘小雨" not in page and "主播刘某今年15岁" in page and "masking-notice" in page
    snapshot_link = re.search(r'href="/documents/(\d+)/snapshot"', page)
    assert snapshot_link is not None
    doc = snapshot_link.group(1)
    raw = client.get(f"/documents/{doc}/snapshot.raw")
    assert raw.status_code == 403 and "仅主管、管理员可下载" in raw.text
    client.cookies.clear()
    login(client, "supervisor")
    page = client.get(f"/leads/{store.fengnan}").text
    assert MINOR_IN_CLEAR in page and "masking-notice" not in page
    assert client.get(f"/documents/{doc}/snapshot.raw").status_code != 403  # (no WARC here: 404)
