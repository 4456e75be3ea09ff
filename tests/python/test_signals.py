"""SIGTERM and SIGHUP cancel a command as the first Ctrl-C does: the
operation winds down to a consistent state, a line says what was left, and
the exit status is 143 / 129. A second signal while cancelling exits at once.
Real signals to a real `./spec.py start`, then a look at the containers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import PACKAGE_DIRS
from processes import Watched, containers

PINGING = """
MARKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "marks")

def mark(name):
    os.makedirs(MARKS, exist_ok=True)
    open(os.path.join(MARKS, name), "a").close()

def released():
    return os.path.exists(os.path.join(MARKS, "release"))

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def ping(self):
        if os.environ.get("HOLD_PING") and not released():
            mark("db-pinging")
            return False
        return True

    def post_start_init(self):
        record("db init", self.container_id)
        if os.environ.get("HOLD_INIT"):
            mark("db-initialising")
            while not released():
                time.sleep(0.02)

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]  # created while db starts: Created, until db is ready

class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = LOOP
    dependencies = ["app"]
"""


def assert_nothing_half_made(spec):
    """Every container left runs and, for db, had its init: nothing a later
    start would take for a set-up container without being one."""
    inits = [line.split()[2] for line in spec.records() if line.startswith("db init")]
    for c in containers(spec.group):
        assert c["state"] == "running", containers(spec.group)
        if c["service"] == "db":
            assert c["id"] in inits, (c, inits)


def assert_a_later_start_finishes(spec):
    again = spec.run("start", "--timeout", "30")
    assert again.returncode == 0, again.stdout + again.stderr
    found = containers(spec.group)
    assert [(c["name"], c["state"]) for c in found] == [
        (f"{spec.group}-{s}-1", "running") for s in ("app", "db", "web")
    ]
    db = next(c for c in found if c["service"] == "db")
    inits = [line.split()[2] for line in spec.records() if line.startswith("db init")]
    assert len(inits) == len(set(inits)) and inits.count(db["id"]) == 1, inits


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_ping_cancels_like_ctrl_c(spec, signum, status):
    spec.write(PINGING)
    start = Watched(spec.popen("start", "--timeout", "60", env={"HOLD_PING": "1"}))
    start.wait_for_file(spec.directory / "marks" / "db-pinging")
    start.process.send_signal(signum)
    assert start.finish() == status, start.output
    name = signal.Signals(signum).name
    assert f"Cancelling ({name}): waiting for the steps under way" in start.output
    assert "Traceback" not in start.output
    assert "start cancelled after" in start.output
    left = start.wait_for_line("not started: ")
    assert left.startswith("not started: ") and "app" in left and "web" in left and "db" in left, (
        left
    )
    assert "(run start again to finish)" in left
    # db was not ready: its container went, and its dependants' never stay Created.
    assert containers(spec.group) == []
    assert_a_later_start_finishes(spec)


def test_an_ignored_sighup_stays_ignored_as_under_nohup(spec):
    """``nohup ./spec.py start``: the terminal closing must not cancel it."""
    spec.write(PINGING)
    start = Watched(
        spec.popen(
            "start",
            "--timeout",
            "60",
            env={"HOLD_PING": "1"},
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
        )
    )
    start.wait_for_file(spec.directory / "marks" / "db-pinging")
    start.process.send_signal(signal.SIGHUP)
    (spec.directory / "marks" / "release").touch()
    assert start.finish() == 0, start.output
    assert "Cancelling" not in start.output
    assert [c["state"] for c in containers(spec.group)] == ["running"] * 3


def test_a_signal_during_the_ping_of_a_restarted_container_leaves_it_stopped(spec):
    """A container started again is the user's (a database's data): a cancel
    while it is pinged stops it and keeps it, so the next start pings it again
    instead of trusting it as running."""
    spec.write(PINGING)
    assert spec.run("start", "-q").returncode == 0
    db = next(c["id"] for c in containers(spec.group) if c["service"] == "db")
    assert spec.run("stop", "--timeout", "2", "-q").returncode == 0
    start = Watched(spec.popen("start", "--timeout", "60", env={"HOLD_PING": "1"}))
    start.wait_for_file(spec.directory / "marks" / "db-pinging")
    start.process.send_signal(signal.SIGTERM)
    assert start.finish() == 143, start.output
    left = {c["service"]: (c["id"], c["state"]) for c in containers(spec.group)}
    assert left["db"] == (db, "exited"), left
    assert {state for _, state in left.values()} == {"exited"}, left
    assert_a_later_start_finishes(spec)
    assert next(c["id"] for c in containers(spec.group) if c["service"] == "db") == db


def test_a_second_signal_while_cancelling_exits_at_once(spec):
    spec.write(PINGING)
    start = Watched(spec.popen("start", "--timeout", "60", env={"HOLD_INIT": "1"}))
    start.wait_for_file(spec.directory / "marks" / "db-initialising")
    start.process.send_signal(signal.SIGTERM)
    # An init hook runs to its end: the cancelled start waits for it...
    start.wait_for_line("Cancelling (SIGTERM)", stream="stderr")
    assert start.process.poll() is None
    start.process.send_signal(signal.SIGTERM)  # ...unless a second signal says not to
    assert start.finish() == 143, start.output
    assert "SIGTERM again: exiting now" in start.output
    assert "Traceback" not in start.output
    (spec.directory / "marks" / "release").touch()
    # The state is what an interrupted start leaves; the next start sorts it out.
    assert_a_later_start_finishes(spec)


def test_a_signal_ends_a_start_that_waits_for_the_group_lock(spec):
    """The operation is cancelled while the library waits for another
    process's lock: nothing was done, and it says so."""
    spec.write(PINGING)
    holder = Watched(spec.popen("start", "--timeout", "60", env={"HOLD_INIT": "1"}))
    holder.wait_for_file(spec.directory / "marks" / "db-initialising")
    waiter = Watched(spec.popen("start", "--timeout", "60"))
    waiter.wait_for_line("waiting", stream="stdout")
    waiter.process.send_signal(signal.SIGTERM)
    assert waiter.finish() == 143, waiter.output
    assert "start cancelled" in waiter.output
    (spec.directory / "marks" / "release").touch()
    assert holder.finish() == 0, holder.output
    assert_nothing_half_made(spec)


def test_importing_drillmaster_leaves_the_signal_handlers_alone():
    probe = (
        "import signal\n"
        "before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))\n"
        "import drillmaster\n"
        "now = lambda: (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))\n"
        "print(now() == before)\n"
        "drillmaster.main('.', args=['--help'], standalone_mode=False)\n"
        "print(now() == before)\n"
    )
    # Compared with what the process inherited: under nohup, SIGHUP starts ignored.
    env = dict(os.environ)
    if PACKAGE_DIRS:
        env["PYTHONPATH"] = os.pathsep.join(PACKAGE_DIRS)
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "True"  # after import
    assert out[-1] == "True"  # after main() returned: put back
