"""Login sessions, CSRF tokens and login rate limiting.

The session cookie holds a random token; the store keeps only its SHA-256, with the CSRF
token every state-changing form must send back. Failed logins are counted per name and
per address over a window; past the limit, logging in is refused until the window passes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clue_miner.models import LoginAttempt, User, WebSession

SESSION_COOKIE = "clues_session"
LOGIN_CSRF_COOKIE = "clues_login_csrf"
SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start_session(session: Session, user: User) -> tuple[str, WebSession]:
    """A new login session for ``user``; returns the cookie token and the stored row."""
    token = new_token()
    now = datetime.now(UTC)
    row = WebSession(
        token_sha256=_digest(token),
        user_id=user.id,
        csrf_token=new_token(),
        created_at=now,
        expires_at=now + timedelta(hours=SESSION_HOURS),
    )
    session.add(row)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.flush()
    return token, row


def session_for(session: Session, token: str | None) -> tuple[WebSession, User] | None:
    """The live session and active user of a cookie token, else None."""
    if not token:
        return None
    row = session.scalars(
        select(WebSession).where(WebSession.token_sha256 == _digest(token))
    ).first()
    if row is None or _aware(row.expires_at) < datetime.now(UTC):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_sha256 == _digest(token)))


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token."""
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def too_many_failures(session: Session, name: str, address: str) -> bool:
    """Whether logins for this name or from this address are refused for now."""
    since = datetime.now(UTC) - WINDOW
    failed = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    )
    by_name = session.scalar(failed.where(LoginAttempt.name == name)) or 0
    by_address = session.scalar(failed.where(LoginAttempt.address == address)) or 0
    return by_name >= MAX_FAILURES_PER_NAME or by_address >= MAX_FAILURES_PER_ADDRESS


def record_attempt(session: Session, name: str, address: str, succeeded: bool) -> None:
    session.add(LoginAttempt(name=name[:100], address=address[:64], succeeded=succeeded))
    session.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
