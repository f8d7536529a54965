"""Accounts: argon2-hashed passwords, roles, and the region an analyst is bound to.

An account bound to a region (an adcode) sees and decides only the leads inside it:
``130200`` (唐山市) covers 130207 (丰南区); an unbound account or an admin sees all.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clue_miner.models import Lead, Role, User
from clue_miner.nlp.dictionaries import region_prefix

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


class AccountError(ValueError):
    """An account that cannot be created or used as asked."""


def add_user(
    session: Session, name: str, role: str, password: str, region_adcode: str | None = None
) -> User:
    """Create an account; the password is stored only as an argon2 hash."""
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("用户名不能为空且不超过100个字符 name must be 1-100 characters")
    if role not in {r.value for r in Role}:
        raise AccountError(f"角色必须是 analyst、supervisor 或 admin, not {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少{MIN_PASSWORD_LENGTH}个字符 password too short")
    if region_adcode is not None and not (region_adcode.isdigit() and len(region_adcode) == 6):
        raise AccountError(
            f"地区须为6位行政区划代码 region must be a 6-digit adcode: {region_adcode!r}"
        )
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"用户 {name} 已存在 already exists")
    user = User(
        name=name, role=role, region_adcode=region_adcode, password_hash=_hasher.hash(password)
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active account with this name and password, else None (same for both failures)."""
    user = session.scalars(select(User).where(User.name == name, User.active)).first()
    if user is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def user_named(session: Session, name: str) -> User:
    """The active account called ``name``; an AccountError names what to do otherwise."""
    user = session.scalars(select(User).where(User.name == name, User.active)).first()
    if user is None:
        raise AccountError(f"没有用户 {name}；请先 clues users add {name} --role analyst")
    return user


def can_access(user: User, lead: Lead) -> bool:
    """Whether ``user`` may read and decide ``lead``."""
    if user.role == Role.ADMIN.value or user.region_adcode is None:
        return True
    return (lead.region_adcode or "").startswith(region_prefix(user.region_adcode))
