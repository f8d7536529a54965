"""The morning in a real browser: Playwright drives Debian's Chromium against the app
served by uvicorn on 127.0.0.1. Screenshots of the queue and of a lead page are saved to
``test-artifacts/``."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from clue_miner.config import project_root
from clue_miner.db import init_db
from clue_miner.web.app import create_app
from tests.triage_store import PASSWORD, TriageStore, build_triage_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = project_root() / "test-artifacts"
REQUIRED = os.environ.get("CLUES_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not REQUIRED,
    reason="Chromium not installed (apt-get install chromium; .ci/run does it)",
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, TriageStore]]:
    url = f"sqlite:///{tmp_path / 'clues.db'}"
    init_db(url)
    store = build_triage_store(url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(timeout=10)


def test_log_in_filter_open_accept_with_the_keyboard_and_see_the_history(
    served: tuple[str, TriageStore],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, store = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(base + "/")
        expect(page).to_have_url(f"{base}/login?next=/")
        page.get_by_label("用户名").fill("analyst-ts")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="线索队列")).to_be_visible()
        expect(page.locator("tr.row")).to_have_count(2)  # 丰南区 only, not 桥东区

        page.get_by_label("类别").select_option("minors_livestream")
        page.get_by_role("button", name="筛选").click()
        expect(page.locator("tr.row")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

        page.keyboard.press("j")
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{base}/leads/{store.fengnan}")
        expect(page.locator("mark").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "lead.png"), full_page=True)

        page.keyboard.press("a")
        expect(page.locator("#lead-status")).to_have_text("已受理")
        history = page.locator("#history tr.event")
        expect(history).to_have_count(1)
        expect(history.first).to_contain_text("analyst-ts")
        expect(history.first).to_contain_text("受理")
        expect(history.first).to_contain_text("新线索 → 已受理")
        browser.close()
    assert (ARTIFACTS / "queue.png").stat().st_size > 10_000
    assert (ARTIFACTS / "lead.png").stat().st_size > 10_000
