"""``clues users …``: accounts of the triage web app."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from clue_miner.cli.output import console, fail, safe
from clue_miner.db import init_db, session_scope
from clue_miner.models import User

users_app = typer.Typer(help="Accounts of the web app (用户).", no_args_is_help=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="analyst, supervisor or admin.")] = "analyst",
    region: Annotated[
        str | None,
        typer.Option(help="Bind to a region (adcode): the account sees only its leads."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account. The password is stored only as an argon2 hash."""
    from clue_miner.triage.accounts import AccountError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    init_db()
    with session_scope() as session:
        try:
            user = add_user(session, name, role, password, region)
        except AccountError as exc:
            fail(str(exc))
            return
        console.print(
            f"已创建用户 created {safe(user.name)} ({user.role}"
            + (f", region {user.region_adcode}" if user.region_adcode else ", all regions")
            + ")"
        )


@users_app.command("list")
def users_list() -> None:
    """List accounts (never their passwords)."""
    init_db()
    table = Table(title="用户 Users")
    for column in ("name", "role", "region", "active", "created"):
        table.add_column(column)
    with session_scope() as session:
        for user in session.scalars(select(User).order_by(User.name)):
            table.add_row(
                safe(user.name),
                user.role,
                user.region_adcode or "全部 all",
                "yes" if user.active else "no",
                user.created_at.strftime("%Y-%m-%d"),
            )
    console.print(table)


def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure (serve behind HTTPS).")
    ] = False,
) -> None:
    """Serve the triage web app (线索研判) until Ctrl-C."""
    import uvicorn

    from clue_miner.web.app import create_app

    app = create_app(secure_cookies=secure_cookies)
    with session_scope() as session:
        if session.scalars(select(User.id)).first() is None:
            console.print("还没有用户：先运行 clues users add NAME --role admin  (no accounts yet)")
    console.print(f"线索研判 http://{host}:{port}/  (Ctrl-C 停止)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
