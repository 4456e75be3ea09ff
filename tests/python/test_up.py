"""drillmaster.up(): services started from code and removed after, on
success, on an exception in the body, on a failed start, on Ctrl-C; and
the names, directories and files it chooses. Real engine, real signals;
every test checks what is left on the engine afterwards."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator, List

import pytest
from conftest import IMAGE, LOOP, PACKAGE_DIRS, _clean, _docker, leftovers
from processes import Watched

import drillmaster
from drillmaster import Outcome, _group, _up

NOTHING = {"containers": [], "networks": []}


@pytest.fixture
def groups(engine: None, registry: None) -> Iterator[List[str]]:
    """The groups a test makes: at teardown, nothing labelled with one of
    them may be left (it is removed anyway)."""
    made: List[str] = []
    yield made
    found = {g: leftovers(g) for g in made}
    for g in made:
        _clean(g)
    assert all(f == NOTHING for f in found.values()), f"left behind: {found}"


def define_store_and_app():
    """A store whose init hook fills the Context, and an app whose env takes
    the value and whose log shows it."""

    class Store(drillmaster.Service):
        name = "store"
        image = IMAGE
        cmd = ["sh", "-c", LOOP]
        ports = {8080: None}  # a free host port

        def post_start_init(self):
            drillmaster.Context["store_token"] = f"token-of-{self.container_name}"

    class App(drillmaster.Service):
        name = "app"
        image = IMAGE
        dependencies = ["store"]
        env = {"STORE_TOKEN": "{store_token}"}
        cmd = ["sh", "-c", "echo app sees $STORE_TOKEN; " + LOOP]

    return Store, App


def wait_for_log(env: drillmaster.Environment, service: str, text: str) -> str:
    deadline = time.monotonic() + 60
    while text not in (log := env.logs(service)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return log


def test_up_starts_the_services_and_removes_them_at_the_end_of_the_block(groups):
    Store, App = define_store_and_app()
    with drillmaster.up(Store, App) as env:
        groups.append(env.group)
        # A new name for each call, after the directory of the classes.
        assert re.fullmatch(r"python-[0-9a-f]{8}", env.group), env.group
        assert env.report.ok and env.report.succeeded == ["store", "app"]
        token = f"token-of-{env.group}-store-1"
        assert env.context["store_token"] == token
        assert sorted(leftovers(env.group)["containers"]) == [
            f"{env.group}-app-1",
            f"{env.group}-store-1",
        ]
        assert env.container_id("store") == env.report.get("store").container_id
        # Where the engine published the free port, as `docker port` says.
        host, port = env.address("store", 8080)
        assert (host, port) == ("127.0.0.1", env.host_port("store", "8080/tcp"))
        published = _docker("port", env.container_id("store"), "8080/tcp").split()
        assert f"0.0.0.0:{port}" in published
        assert f"app sees {token}" in wait_for_log(env, "app", token)
        # The Context file is the group's, in the runtime directory.
        context_dir = env.session.context_directory
        assert context_dir == Path(drillmaster._core.runtime_directory()) / f"{env.group}.context"
        assert (context_dir / ".drillmaster-context").exists()
    assert leftovers(env.group) == NOTHING
    assert not context_dir.exists()
    env.stop()  # once is enough: later calls do nothing


def test_an_exception_in_the_body_still_stops_and_removes(groups):
    Store, App = define_store_and_app()
    with pytest.raises(RuntimeError, match="the test failed"), drillmaster.up(Store, App) as env:
        groups.append(env.group)
        assert len(leftovers(env.group)["containers"]) == 2
        raise RuntimeError("the test failed")
    assert leftovers(env.group) == NOTHING


def test_a_failed_start_raises_services_failed_with_the_results_and_leaves_nothing(groups):
    class Good(drillmaster.Service):
        name = "good"
        image = IMAGE
        cmd = ["sh", "-c", LOOP]

    class Broken(drillmaster.Service):
        name = "broken"
        image = IMAGE
        cmd = ["sh", "-c", "echo 'listen: address already in use' >&2; exit 3"]

        def ping(self):
            return False

    class Dependant(drillmaster.Service):
        name = "dependant"
        image = IMAGE
        cmd = ["sh", "-c", LOOP]
        dependencies = ["broken"]

    group = f"dmpy-upfail-{os.getpid()}"
    groups.append(group)
    with pytest.raises(drillmaster.ServicesFailed) as raised:
        drillmaster.up(Good, Broken, Dependant, group=group, timeout=60)
    failed = raised.value
    assert failed.report.get("good").outcome is Outcome.STARTED
    assert failed.report.get("broken").outcome is Outcome.FAILED
    assert failed.report.get("dependant").outcome is Outcome.SKIPPED
    assert [s.service for s in failed.failures] == ["broken", "dependant"]
    message = str(failed)
    # As the command line prints it: each failure, its cause, the log's tail.
    assert f"services of group '{group}' did not start:" in message
    assert re.search(r"^  broken +failed +.*exit", message, re.M), message
    assert re.search(r"^  dependant +skipped", message, re.M), message
    assert "listen: address already in use" in message
    # What the start made (good's running container too) is gone.
    assert leftovers(group) == NOTHING


def test_keep_leaves_the_group_running_and_a_later_up_finds_it_and_its_context(groups):
    Store, App = define_store_and_app()
    group = f"dmpy-upkeep-{os.getpid()}"
    groups.append(group)
    with drillmaster.up(Store, App, group=group, keep=True) as first:
        assert first.group == group  # a given name is used as it is
    assert len(leftovers(group)["containers"]) == 2
    # As in a new process, which knows no values: they come from the group's
    # file (a clear() would be a deletion, which the next save writes).
    dict.clear(drillmaster.Context)
    with drillmaster.up(Store, App, group=group) as second:
        assert [s.outcome for s in second.report.services] == [Outcome.ALREADY_RUNNING] * 2
        assert second.context["store_token"] == f"token-of-{group}-store-1"
    assert leftovers(group) == NOTHING


def test_what_up_takes_and_the_names_it_gives(registry):
    Store, App = define_store_and_app()
    spec = type(sys)("a_spec")
    spec.Store, spec.App, spec.other = Store, App, 42
    assert _up.services_of([spec]) == [Store, App]
    assert _up.services_of([App, spec]) == [App, Store]
    assert _up.directory_of([Store]) == Path(__file__).resolve().parent
    with pytest.raises(drillmaster.InvalidArgument, match="needs the services"):
        drillmaster.up()
    with pytest.raises(drillmaster.InvalidArgument, match="neither a drillmaster.Service"):
        drillmaster.up(Store, "app")
    with pytest.raises(drillmaster.InvalidArgument, match="holds no drillmaster.Service"):
        drillmaster.up(type(sys)("empty"))
    with pytest.raises(drillmaster.InvalidArgument, match="needs group="):
        drillmaster.up(Store, shared=True)
    with pytest.raises(drillmaster.InvalidArgument):
        drillmaster.up(Store, group="no/slashes")
    # The parts after the base, which tell groups apart, are kept whole.
    name = _group.group_name_of("x" * 80, "itest", "0123abcd", "gw12")
    assert len(name) == drillmaster._core.GROUP_NAME_MAX
    assert name.endswith("-itest-0123abcd-gw12")
    assert _group.group_name_of("My Tests!", "Fixture") == "my-tests-fixture"


CTRL_C_SCRIPT = """
import os, sys, time
import drillmaster

class Slow(drillmaster.Service):
    name = "slow"
    image = {image!r}
    cmd = ["sh", "-c", {loop!r}]

    def ping(self):
        open({marker!r}, "a").close()
        return False  # never ready: the start waits until Ctrl-C

try:
    drillmaster.up(Slow, group={group!r}, timeout=120)
except KeyboardInterrupt:
    print("KeyboardInterrupt after the clean-up", flush=True)
    sys.exit(130)
"""


def test_ctrl_c_during_up_cancels_removes_and_raises_keyboard_interrupt(groups, tmp_path):
    group = f"dmpy-upint-{os.getpid()}"
    groups.append(group)
    marker = tmp_path / "pinging"
    script = tmp_path / "program.py"
    script.write_text(
        textwrap.dedent(CTRL_C_SCRIPT).format(
            image=IMAGE, loop=LOOP, marker=str(marker), group=group
        )
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(PACKAGE_DIRS))
    watched = Watched(
        subprocess.Popen(
            [sys.executable, str(script)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    )
    watched.wait_for_file(marker)
    watched.process.send_signal(signal.SIGINT)
    assert watched.process.wait(timeout=120) == 130, watched.output
    watched.wait_for_line("KeyboardInterrupt after the clean-up")
    assert "Cancelling: waiting for the steps under way" in watched.output
    assert leftovers(group) == NOTHING


def test_a_link_planted_at_a_shared_groups_users_file_fails_up_before_anything_is_made(
    groups, tmp_path
):
    Store, App = define_store_and_app()
    group = f"dmpy-planted-{os.getpid()}"
    groups.append(group)
    target = tmp_path / "elsewhere"
    target.write_text("kept", encoding="utf-8")
    planted = Path(drillmaster._core.runtime_directory()) / f"{group}.users"
    planted.symlink_to(target)
    try:
        with pytest.raises(drillmaster.InvalidArgument, match="is a symbolic link"):
            drillmaster.up(Store, App, group=group, shared=True)
        assert planted.is_symlink()
    finally:
        planted.unlink()
    assert target.read_text(encoding="utf-8") == "kept"
    assert leftovers(group) == NOTHING  # the groups fixture checks again
