"""One night per store: a second night is refused while the first lives, and a night
killed with SIGKILL never blocks the next (the lease ends with its process)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from clue_miner.config import project_root
from clue_miner.db.lease import NightAlreadyRunning, night_lease


def lease_is_free(url: str) -> bool:
    try:
        with night_lease(url, wait_seconds=0):
            return True
    except NightAlreadyRunning:
        return False


def lease_is_free_elsewhere(url: str) -> bool:
    """Whether another process could take the lease now."""
    probe = "import sys\nfrom tests.db.test_lease import lease_is_free\nsys.exit(0 if lease_is_free(sys.argv[1]) else 1)"
    return subprocess.run([sys.executable, "-c", probe, url], cwd=project_root()).returncode == 0


def test_a_second_night_is_refused_while_the_first_lives_and_a_killed_one_blocks_no_one(
    db_url: str, other_night: Callable[[str], subprocess.Popen[str]]
) -> None:
    holder = other_night(db_url)
    with (
        pytest.raises(NightAlreadyRunning, match="another night is running") as refused,
        night_lease(db_url, wait_seconds=0),
    ):
        pytest.fail("two nights held the lease")
    assert "pid" in str(refused.value) and "unknown" not in str(refused.value)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    deadline = time.monotonic() + 15  # PostgreSQL ends the backend when the socket closes
    while not lease_is_free(db_url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert lease_is_free(db_url)


def test_a_night_that_allows_grace_takes_the_lease_when_the_holder_dies_meanwhile(
    db_url: str, other_night: Callable[[str], subprocess.Popen[str]]
) -> None:
    holder = other_night(db_url)
    threading.Timer(1.0, holder.kill).start()
    started = time.monotonic()
    with night_lease(db_url, wait_seconds=20):
        assert holder.poll() is not None
    assert time.monotonic() - started < 15


def test_a_finished_night_releases_the_lease_in_its_own_process(db_url: str) -> None:
    with night_lease(db_url):
        pass
    with night_lease(db_url):
        pass


def test_nights_on_two_stores_do_not_meet(
    tmp_path: Path, other_night: Callable[[str], subprocess.Popen[str]]
) -> None:
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    other_night(first)
    assert not lease_is_free(first)
    assert lease_is_free(second)


def test_the_lease_belongs_to_the_process_so_taking_it_again_inside_keeps_it(
    db_url: str,
) -> None:
    with night_lease(db_url):  # clues run holds it …
        with night_lease(db_url):  # … and the flow it starts takes it again
            assert not lease_is_free_elsewhere(db_url)
        assert not lease_is_free_elsewhere(db_url)  # still held after the inner one ends
    assert lease_is_free_elsewhere(db_url)
