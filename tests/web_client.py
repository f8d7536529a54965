"""Logging in to the web app through its own form, as a browser would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.triage_store import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; return the CSRF token of the logged-in pages."""
    form = client.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"}
    )
    assert answer.status_code == 303, answer.text
    return CSRF.search(client.get("/").text).group(1)  # type: ignore[union-attr]
