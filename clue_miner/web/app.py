"""The triage web app: login, the queue, a lead, decisions, stored snapshots.

Every page but /login needs a session; every POST needs the session's CSRF token; an
analyst bound to a region gets 403 for any lead, document or decision outside it, whatever
the URL. Crawled text is only ever rendered through autoescaping templates, and stored
snapshots are shown as text or downloaded, never served as HTML from this origin.
"""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.config import database_url as default_database_url
from clue_miner.crawlers.evidence import EvidenceError, StoredResponse, read_response
from clue_miner.db import init_db, session_scope
from clue_miner.leads.fact_labels import feature_label
from clue_miner.leads.score_text import score_percent
from clue_miner.models import Document, Lead, LeadEvidence, Role, Source, User
from clue_miner.packets.export import ExportError, NotAccepted, export_packet
from clue_miner.packets.masking import mask_minors
from clue_miner.triage.accounts import authenticate, can_access
from clue_miner.triage.decisions import (
    ACTION_LABELS,
    DISMISS_REASONS,
    Decision,
    DecisionError,
    decide,
)
from clue_miner.triage.labels import CATEGORY_LABELS, STATUS_LABELS
from clue_miner.web import auth
from clue_miner.web.lead_view import lead_context, sees_personal_data
from clue_miner.web.queue import QueueFilter, queue_page

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """Raised by the user dependency; answered with a redirect to /login."""


def current_user(request: Request) -> Iterator[tuple[Session, User, str]]:
    """The request's database session, logged-in user and CSRF token (LoginRequired
    otherwise)."""
    with session_scope(request.app.state.database_url) as session:
        found = auth.session_for(session, request.cookies.get(auth.SESSION_COOKIE))
        if found is None:
            raise LoginRequired()
        web_session, user = found
        yield session, user, web_session.csrf_token


Current = Annotated[tuple[Session, User, str], Depends(current_user)]


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        STATUS_LABELS=STATUS_LABELS,
        CATEGORY_LABELS=CATEGORY_LABELS,
        ACTION_LABELS=ACTION_LABELS,
        DISMISS_REASONS=DISMISS_REASONS,
        feature_label=feature_label,
    )
    env.filters["percent"] = score_percent
    return Jinja2Templates(env=env)


def create_app(database_url: str | None = None, secure_cookies: bool = False) -> FastAPI:
    """The app over ``database_url`` (default: CLUES_DATABASE_URL). ``secure_cookies``
    marks cookies Secure (set it when serving over HTTPS)."""
    url = database_url or default_database_url()
    init_db(url)
    templates = _templates()
    app = FastAPI(title="clue-miner 线索研判", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.database_url = url
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "message": str(exc.detail), "user": None},
            status_code=exc.status_code,
        )

    @contextmanager
    def db() -> Iterator[Session]:
        with session_scope(url) as session:
            yield session

    def require_csrf(expected: str, given: str | None) -> None:
        if not auth.same_token(expected, given):
            raise HTTPException(403, "表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试")

    def lead_for(session: Session, user: User, lead_id: int) -> Lead:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise HTTPException(404, "线索不存在")
        if not can_access(user, lead):
            raise HTTPException(403, "无权访问该地区的线索")
        return lead

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> Response:
        token = auth.new_token()
        response = templates.TemplateResponse(
            request,
            "login.html",
            {"user": None, "csrf": token, "next": _local(next), "error": None},
        )
        _set_cookie(response, auth.LOGIN_CSRF_COOKIE, token, secure_cookies, max_age=3600)
        return response

    @app.post("/login")
    def login(
        request: Request,
        name: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=200)],
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/",
    ) -> Response:
        require_csrf(request.cookies.get(auth.LOGIN_CSRF_COOKIE, ""), csrf_token)
        address = request.client.host if request.client else "-"
        with db() as session:
            if auth.too_many_failures(session, name, address):
                auth.record_attempt(session, name, address, False)
                return _login_error(request, templates, csrf_token, next, 429)
            user = authenticate(session, name, password)
            auth.record_attempt(session, name, address, user is not None)
            if user is None:
                return _login_error(request, templates, csrf_token, next, 401)
            token, _ = auth.start_session(session, user)
        response = RedirectResponse(_local(next), status_code=303)
        _set_cookie(response, auth.SESSION_COOKIE, token, secure_cookies)
        response.delete_cookie(auth.LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout")
    def logout(
        request: Request, current: Current, csrf_token: Annotated[str, Form()] = ""
    ) -> Response:
        session, _user, csrf = current
        require_csrf(csrf, csrf_token)
        auth.end_session(session, request.cookies.get(auth.SESSION_COOKIE))
        session.commit()
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE)
        return response

    @app.get("/", response_class=HTMLResponse)
    def queue(
        request: Request,
        current: Current,
        status: Annotated[str | None, Query(max_length=20)] = "new",
        category: Annotated[str | None, Query(max_length=40)] = None,
        region: Annotated[str | None, Query(max_length=6)] = None,
        source: Annotated[str | None, Query(max_length=100)] = None,
        assignee: Annotated[str | None, Query(max_length=100)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        until: Annotated[str | None, Query(max_length=10)] = None,
        q: Annotated[str | None, Query(max_length=100)] = None,
        sort: Annotated[str, Query(max_length=10)] = "new",
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> Response:
        session, user, csrf = current
        where = QueueFilter(
            status or None,
            category or None,
            region if region and region.isdigit() and len(region) == 6 else None,
            source or None,
            assignee or None,
            _day(since),
            _day(until),
            q or None,
            sort if sort in ("new", "score") else "new",
            page,
        )
        result = queue_page(session, user, where)
        params = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return templates.TemplateResponse(
            request,
            "queue.html",
            {
                "user": user,
                "csrf": csrf,
                "result": result,
                "where": where,
                "query_without_page": urlencode(params),
                "query_without_status": urlencode(
                    {k: v for k, v in params.items() if k != "status"}
                ),
                "sources": session.scalars(select(Source).order_by(Source.id)).all(),
                "assignees": session.scalars(
                    select(User.name).where(User.active).order_by(User.name)
                ).all(),
            },
        )

    @app.get("/leads/{lead_id}", response_class=HTMLResponse)
    def lead_page(request: Request, lead_id: int, current: Current) -> Response:
        session, user, csrf = current
        lead = lead_for(session, user, lead_id)
        context = lead_context(session, lead, user)
        context.update(user=user, csrf=csrf, error=None)
        return templates.TemplateResponse(request, "lead.html", context)

    @app.post("/leads/{lead_id}/decide")
    def lead_decide(
        request: Request,
        lead_id: int,
        current: Current,
        action: Annotated[str, Form(max_length=20)],
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        reason: Annotated[str, Form(max_length=2000)] = "",
        note: Annotated[str, Form(max_length=2000)] = "",
        assignee: Annotated[str, Form(max_length=100)] = "",
        into: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        session, user, csrf = current
        require_csrf(csrf, csrf_token)
        lead = lead_for(session, user, lead_id)
        text = "：".join(part for part in (reason.strip(), note.strip()) if part)
        target = int(into) if into.strip().isdigit() else None
        try:
            decide(session, lead, user, Decision(action, text or None, assignee, target))
        except DecisionError as exc:
            session.rollback()
            lead = lead_for(session, user, lead_id)
            context = lead_context(session, lead, user)
            context.update(user=user, csrf=csrf, error=str(exc))
            return templates.TemplateResponse(request, "lead.html", context, status_code=400)
        session.commit()  # before the redirect: the next page must see the decision
        return RedirectResponse(f"/leads/{lead_id}#history", status_code=303)

    @app.post("/leads/{lead_id}/export")
    def lead_export(
        lead_id: int,
        current: Current,
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        include_unmasked: Annotated[str, Form(max_length=5)] = "",
    ) -> Response:
        session, user, csrf = current
        require_csrf(csrf, csrf_token)
        lead = lead_for(session, user, lead_id)
        with tempfile.TemporaryDirectory(prefix="clues-web-packet-") as tmp:
            try:
                path = export_packet(session, lead, user, Path(tmp), include_unmasked == "1")
            except NotAccepted as exc:
                raise HTTPException(409, str(exc)) from exc
            except ExportError as exc:
                raise HTTPException(403, str(exc)) from exc
            data = path.read_bytes()
        session.commit()
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{path.name}"'},
        )

    def document_for(session: Session, user: User, doc_id: int) -> Document:
        """A stored document the user may see: any for an unbound account or an admin;
        for an analyst bound to a region, one that a lead of that region cites."""
        doc = session.get(Document, doc_id)
        if doc is None:
            raise HTTPException(404, "文档不存在")
        if user.role == Role.ADMIN.value or user.region_adcode is None:
            return doc
        citing = session.scalars(
            select(Lead)
            .join(LeadEvidence, LeadEvidence.lead_id == Lead.id)
            .where(LeadEvidence.document_id == doc_id)
        )
        if not any(can_access(user, lead) for lead in citing):
            raise HTTPException(403, "无权查看该文档")
        return doc

    def holds_personal_data(doc: Document, user: User) -> bool:
        """Whether ``user`` must see the document masked: an analyst, and a minor's
        personal data in its text."""
        return not sees_personal_data(user) and mask_minors(doc.analysis_text()).changes > 0

    def stored_snapshot(doc: Document) -> StoredResponse:
        """The document's bytes as fetched, from our evidence store (never the live site)."""
        try:
            return read_response(doc.snapshot_ref)
        except EvidenceError as exc:
            raise HTTPException(404, f"证据库中找不到该快照：{exc}") from exc

    @app.get("/documents/{doc_id}/snapshot", response_class=HTMLResponse)
    def snapshot(request: Request, doc_id: int, current: Current) -> Response:
        session, user, csrf = current
        doc = document_for(session, user, doc_id)
        stored = stored_snapshot(doc)
        body = stored.body[:2_000_000].decode(doc.encoding or "utf-8", errors="replace")
        masked = holds_personal_data(doc, user)
        if masked:
            body = mask_minors(doc.analysis_text()).text
        return templates.TemplateResponse(
            request,
            "snapshot.html",
            {
                "user": user,
                "csrf": csrf,
                "doc": doc,
                "stored": stored,
                "body": body,
                "masked": masked,
                "intact": stored.sha256 == doc.raw_sha256,
            },
        )

    @app.get("/documents/{doc_id}/snapshot.raw")
    def snapshot_raw(doc_id: int, current: Current) -> Response:
        session, user, _csrf = current
        doc = document_for(session, user, doc_id)
        if holds_personal_data(doc, user):
            raise HTTPException(403, "该快照含未成年人个人信息，原始字节仅主管、管理员可下载")
        stored = stored_snapshot(doc)
        extension = mimetypes.guess_extension(doc.content_type.split(";")[0]) or ".bin"
        return Response(
            stored.body,
            media_type="application/octet-stream",
            headers={
                "Content-Disposition": f'attachment; filename="document-{doc.id}{extension}"',
                "Content-Security-Policy": "sandbox",
                "X-Content-SHA256": stored.sha256,
            },
        )

    return app


def _day(text: str | None) -> date | None:
    """A yyyy-mm-dd filter value; anything else (an empty field) is no filter."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _local(target: str) -> str:
    """Only redirect within this site (no //host or scheme)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _set_cookie(
    response: Response, name: str, value: str, secure: bool, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age or auth.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def _login_error(
    request: Request, templates: Jinja2Templates, csrf: str, next: str, status: int
) -> Response:
    message = "登录尝试过多，请15分钟后再试" if status == 429 else "用户名或密码错误"
    return templates.TemplateResponse(
        request,
        "login.html",
        {"user": None, "csrf": csrf, "next": _local(next), "error": message},
        status_code=status,
    )
