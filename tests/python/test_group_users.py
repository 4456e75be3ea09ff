"""The users of a shared group (up(shared=True)): the last one to leave is
told so; one that died without leaving (a crashed xdist worker) is dropped,
also when the kernel has given its PID to another process since. Real
processes stand in for the workers; no engine is needed."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

import drillmaster
from drillmaster import _core
from drillmaster._group_users import GroupUsers, _started


@pytest.fixture
def group() -> Iterator[str]:
    name = f"dmpy-users-{secrets.token_hex(3)}"
    yield name
    users = Path(_core.runtime_directory()) / f"{name}.users"
    assert not users.exists(), f"left behind: {users}"


def as_process(group: str, pid: int) -> GroupUsers:
    """The users of ``group`` as the process ``pid`` sees them."""
    users = GroupUsers(group, wait=30)
    users.me = {"pid": pid, "started": _started(pid) or 0}
    return users


def sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])


def test_only_the_last_user_to_leave_is_the_last(group):
    other = sleeper()
    try:
        mine, theirs = GroupUsers(group, wait=30), as_process(group, other.pid)
        mine.join()
        theirs.join()
        with mine.leaving() as last:
            assert not last
        with theirs.leaving() as last:
            assert last
    finally:
        other.kill()
        other.wait()


def test_a_user_that_died_without_leaving_is_dropped(group):
    crashed = sleeper()
    as_process(group, crashed.pid).join()
    crashed.kill()
    crashed.wait()
    mine = GroupUsers(group, wait=30)
    mine.join()
    with mine.leaving() as last:
        assert last


def test_a_pid_given_to_another_process_since_is_not_a_user(group):
    users = GroupUsers(group, wait=30)
    users.me = {"pid": os.getpid(), "started": (_started(os.getpid()) or 0) + 1}
    users.join()  # "this PID, but started at another time": its process is gone
    mine = GroupUsers(group, wait=30)
    mine.join()
    with mine.leaving() as last:
        assert last


def test_a_users_file_cut_short_by_a_crash_counts_no_one_and_is_rewritten(group):
    users = Path(_core.runtime_directory()) / f"{group}.users"
    users.write_text('[{"pid": 12', encoding="utf-8")  # a write cut short
    mine = GroupUsers(group, wait=30)
    mine.join()
    assert users.read_text(encoding="utf-8").startswith("[{")  # whole again
    with mine.leaving() as last:
        assert last


@pytest.mark.parametrize("name", ["users", "users.lock"])
def test_a_symbolic_link_planted_at_a_users_file_is_refused_and_not_followed(
    group: str, name: str, tmp_path: Path
) -> None:
    target = tmp_path / "not-drillmaster-s"
    target.write_text("kept as it is", encoding="utf-8")
    planted = Path(_core.runtime_directory()) / f"{group}.{name}"
    planted.symlink_to(target)
    try:
        message = f"{planted} is a symbolic link, which drillmaster does not follow; remove it"
        with pytest.raises(drillmaster.InvalidArgument, match=re.escape(message)):
            GroupUsers(group, wait=30).join()
        assert planted.is_symlink()  # neither replaced nor removed
    finally:
        planted.unlink()
    assert target.read_text(encoding="utf-8") == "kept as it is"
