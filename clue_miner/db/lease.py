"""One nightly run per store at a time, however it was started (the schedule, ``clues run``,
another machine).

The lease belongs to the process of the night and ends with it, however it ends (SIGKILL
included), so a killed night never blocks the next: an ``flock`` on a file beside a SQLite
store, released by the kernel; a session advisory lock on PostgreSQL, released by the
server when the connection drops.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import make_url, text

from clue_miner.db.engine import get_engine

# A killed night's PostgreSQL session ends a moment after its process (the server sees
# the socket close): a new night allows for that much before it refuses. The kernel
# releases an flock as the process dies, so SQLite needs no grace.
POSTGRES_GRACE_SECONDS = 10.0
# Any fixed 64-bit number: advisory locks are per database, so stores never collide.
ADVISORY_KEY = 7_110_204_623_001


class NightAlreadyRunning(RuntimeError):
    """Another process holds the store's nightly lease."""


def _holder_line() -> str:
    started = datetime.now(UTC).isoformat(timespec="seconds")
    return f"pid {os.getpid()} on {socket.gethostname()} since {started}"


def _refusal(holder: str) -> NightAlreadyRunning:
    return NightAlreadyRunning(
        f"另一个夜间任务正在运行 another night is running on this store ({holder}); "
        "it finishes what this one would do: wait for it or stop it first"
    )


def _take_sqlite_lease(database: str) -> Callable[[], None]:
    path = Path(database)
    fd = os.open(path.with_name(path.name + ".night-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 500, 0).decode(errors="replace").strip()
        os.close(fd)
        raise _refusal(holder) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, _holder_line().encode(), 0)
    return lambda: os.close(fd)  # closing releases the lock


def _take_postgres_lease(url: str) -> Callable[[], None]:
    connection = get_engine(url).connect()
    taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
    connection.commit()  # a session lock: it outlives the transaction
    if taken:

        def release() -> None:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
            connection.close()

        return release
    holder = connection.execute(
        text(
            "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database()) "
            "AND (l.classid::bigint << 32) + l.objid::bigint = :key"
        ),
        {"key": ADVISORY_KEY},
    ).first()
    connection.close()
    raise _refusal(
        f"server pid {holder[0]} from {holder[1] or 'local socket'} since {holder[2]:%F %T}"
        if holder
        else "holder unknown"
    )


def _take_lease(url: str) -> Callable[[], None]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _take_postgres_lease(url)
    if not parsed.database or parsed.database == ":memory:":
        return lambda: None  # a private in-memory store has no other night to meet
    return _take_sqlite_lease(parsed.database)


_held_here: dict[str, int] = {}  # leases this process holds, by URL, with nesting depth


@contextmanager
def night_lease(url: str, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the store's nightly lease for the body; raise ``NightAlreadyRunning`` if
    another process still holds it after ``wait_seconds`` (default: no wait on SQLite,
    ``POSTGRES_GRACE_SECONDS`` on PostgreSQL). The lease belongs to the process: taken
    again inside (``clues run`` holds it, then the flow it starts), it is simply kept."""
    if url in _held_here:
        _held_here[url] += 1
        try:
            yield
        finally:
            _held_here[url] -= 1
        return
    if wait_seconds is None:
        sqlite = make_url(url).get_backend_name() == "sqlite"
        wait_seconds = 0.0 if sqlite else POSTGRES_GRACE_SECONDS
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            release = _take_lease(url)
            break
        except NightAlreadyRunning:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.5)
    _held_here[url] = 1
    try:
        yield
    finally:
        del _held_here[url]
        release()
