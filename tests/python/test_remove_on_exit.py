"""Removal on exit from Python: a program that starts its services with
``Session.start(remove_on_exit=True)`` and is then killed with SIGKILL, or
simply exits, leaves nothing on the engine once its reaper is done; after
``Session.keep_on_exit()`` the containers stay; the command line's ``start``
never registers a removal (it is meant to leave services running).

Each test waits for the group's drillmaster-reaper process to end before it
judges what is left, so the verdict comes after the reaper's last sweep."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import List

from conftest import leftovers
from processes import PATIENCE, Watched, containers

#: The design says ten seconds from a kill to an empty engine (sweeps at 0,
#: 2 and 6 s); the tests allow three times that on a loaded machine.
REAP_DEADLINE = 30.0

PROGRAM = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]

MODE = os.environ.get("DM_PROGRAM")
if MODE:
    session = drillmaster.Session(directory=os.path.dirname(os.path.abspath(__file__)))
    report = session.start(remove_on_exit=True)
    if not report.ok:
        sys.exit(f"start failed: {report}")
    if MODE == "keep":
        session.keep_on_exit()
    print("started", flush=True)
    while MODE == "hang":
        time.sleep(60)
    sys.exit(0)
"""


def reapers(group: str) -> List[int]:
    """The pids of drillmaster-reaper processes working for the group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if words[0] == b"drillmaster-reaper" and group.encode() in words:
            found.append(int(entry.name))
    return found


def wait_for_no_reaper(group: str, timeout: float) -> float:
    """Seconds until no reaper of the group runs any more."""
    began = time.monotonic()
    while reapers(group):
        assert time.monotonic() - began < timeout, f"the reaper of {group} still runs"
        time.sleep(0.05)
    return time.monotonic() - began


def assert_reaped(group: str) -> None:
    wait_for_no_reaper(group, REAP_DEADLINE)
    assert leftovers(group) == {"containers": [], "networks": []}


def test_a_kill_9_of_the_program_leaves_nothing(spec):
    spec.write(PROGRAM)
    program = Watched(spec.popen(env={"DM_PROGRAM": "hang"}))
    program.wait_for_line("started")
    assert [c["state"] for c in containers(spec.group)] == ["running", "running"]
    assert len(reapers(spec.group)) == 1
    os.kill(program.process.pid, signal.SIGKILL)
    assert program.finish() == -signal.SIGKILL
    assert_reaped(spec.group)


def test_a_program_that_exits_without_stopping_leaves_nothing(spec):
    spec.write(PROGRAM)
    # Captured output (subprocess.run's capture_output): the reaper holds
    # none of it, so the run returns as soon as the program ends, while the
    # reaper still has seconds of sweeping ahead.
    result = spec.run(env={"DM_PROGRAM": "exit"}, timeout=PATIENCE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "started"
    assert reapers(spec.group), "the run waited for the reaper"
    assert_reaped(spec.group)


def test_keep_on_exit_leaves_the_services_running(spec):
    spec.write(PROGRAM)
    result = spec.run(env={"DM_PROGRAM": "keep"}, timeout=PATIENCE)
    assert result.returncode == 0, result.stdout + result.stderr
    wait_for_no_reaper(spec.group, PATIENCE)  # told to keep, it ends at once
    assert [c["state"] for c in containers(spec.group)] == ["running", "running"]
    # The spec fixture's teardown removes them with stop --remove.


def test_the_command_lines_start_registers_no_removal(spec):
    spec.write(PROGRAM)
    result = spec.run("start")
    assert result.returncode == 0, result.stdout + result.stderr
    assert reapers(spec.group) == []
    assert [c["state"] for c in containers(spec.group)] == ["running", "running"]
