"""drillmaster.testing: the example suite of examples/pytest run by a real
pytest in a subprocess (pytester), plain, under pytest-xdist (a group per
worker; one shared group), with --drillmaster-keep, with a service that
fails, and killed with SIGKILL; after each run, a look at the engine.

The plugin is the installed entry point when drillmaster is installed (pip
install .), else it is named with -p (the build tree). A small recording
plugin (RECORDER) writes what each fixture did to a file: its group, the
outcomes of its start, the web service's host port, whether its stop
stopped anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from conftest import IMAGE, PACKAGE_DIRS, REPO, _docker
from processes import Watched

import drillmaster
from drillmaster._up import context_directory

pytest_plugins = ("pytester",)

EXAMPLE = REPO / "examples" / "pytest"
LABEL = "io.drillmaster.group"

RECORDER = """
import json, os
import pytest
import drillmaster

def record(**entry):
    with open(os.environ["DM_RECORD"], "a") as out:
        out.write(json.dumps(dict(entry, pid=os.getpid())) + "\\n")

@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    env = yield
    if isinstance(env, drillmaster.Environment):
        ports = {"web": env.host_port("web", 8080)} if "web" in env.session.names else {}
        record(event="up", group=env.group, ports=ports,
               outcomes=[s.outcome.label for s in env.report.services])
        stop = env.stop

        def recorded_stop():
            report = stop()
            record(event="stop", group=env.group, stopped=report is not None)
            return report

        env.stop = recorded_stop
    return env
"""

# Holds every worker in a test until all of them are in one: so the groups
# of an xdist run are up at the same time, whatever the scheduling.
MEETING = """
import os, time

def test_meet(services):
    here = os.path.join(os.environ["DM_MEET"], str(os.getpid()))
    open(here, "w").close()
    deadline = time.monotonic() + 120
    while len(os.listdir(os.environ["DM_MEET"])) < 2:
        assert time.monotonic() < deadline, "the other worker never came"
        time.sleep(0.05)
"""

HOLD = """
import os, time

def test_hold(services):
    open(os.environ["DM_HELD"], "w").close()
    time.sleep(600)
"""

BROKEN = """
import drillmaster
from drillmaster.testing import services_fixture

class Broken(drillmaster.Service):
    name = "broken"
    image = {image!r}
    cmd = ["sh", "-c", "echo 'cannot listen on 8080: address in use' >&2; exit 3"]

    def ping(self):
        return False

broken = services_fixture(Broken)
"""

BROKEN_TESTS = """
def test_one(broken):
    pass

def test_two(broken):
    pass
"""


def _plugin_installed() -> bool:
    """Whether pytest loads drillmaster.testing by itself (pip install .)."""
    found = metadata.entry_points()
    group = (
        found.select(group="pytest11") if hasattr(found, "select") else found.get("pytest11", [])
    )
    return any(ep.name == "drillmaster" for ep in group)


def _labelled(kind: str) -> List[str]:
    """Every group name on a container or network labelled by drillmaster."""
    if kind == "containers":
        args = ["ps", "-a", "--format", f'{{{{.Label "{LABEL}"}}}}']
    else:
        args = ["network", "ls", "--format", f'{{{{.Label "{LABEL}"}}}}']
    return [g for g in _docker(*args, "--filter", f"label={LABEL}").split() if g]


def left_of(base: str) -> Dict[str, List[str]]:
    """The groups named after ``base`` that still have a container or network."""
    return {
        kind: sorted({g for g in _labelled(kind) if g.startswith(base + "-")})
        for kind in ("containers", "networks")
    }


NOTHING: Dict[str, List[str]] = {"containers": [], "networks": []}


def _remove_groups(base: str) -> None:
    for kind, groups in left_of(base).items():
        for g in groups:
            if kind == "containers":
                ids = _docker("ps", "-aq", "--filter", f"label={LABEL}={g}").split()
                subprocess.run(["docker", "rm", "-f", *ids], capture_output=True, timeout=120)
    for g in left_of(base)["networks"]:
        ids = _docker("network", "ls", "-q", "--filter", f"label={LABEL}={g}").split()
        subprocess.run(["docker", "network", "rm", *ids], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The name the example's copies are in, and so the base of their
    groups' names and of the tag of the web image, which the runs of this
    module share (built once); removed after the module's last test."""
    name = f"dmpy-plugin-{secrets.token_hex(3)}"
    yield name
    with contextlib.suppress(OSError, subprocess.SubprocessError):  # no engine: nothing made
        _remove_groups(name)
        subprocess.run(
            ["docker", "rmi", "-f", f"drillmaster-{name}-web:latest"],
            capture_output=True,
            timeout=120,
        )


class Suite:
    """A copy of a test suite in its own directory, run by pytest."""

    def __init__(self, pytester: pytest.Pytester, directory: Path) -> None:
        self.pytester = pytester
        self.directory = directory
        self.records_path = pytester.path / "records.jsonl"
        #: Killed runs leave their Context files (the reaper cleans the engine).
        self.killed = False

    def run(self, *args: str, timeout: float = 300) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(
            str(self.directory), "-p", "no:cacheprovider", *args, timeout=timeout
        )

    def records(self, event: str) -> List[dict]:
        if not self.records_path.exists():
            return []
        lines = self.records_path.read_text().splitlines()
        return [r for r in map(json.loads, lines) if r["event"] == event]


def _use_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *more: str) -> None:
    """The runs get drillmaster (the build tree's, unless installed), the
    plugin (named, unless installed: then its entry point loads it) and
    ``more`` plugins."""
    plugins = [] if _plugin_installed() else ["drillmaster.testing"]
    pytester.plugins = [*plugins, *more]
    if PACKAGE_DIRS:
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(PACKAGE_DIRS))


@pytest.fixture
def suite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, base: str, engine: None
) -> Iterator[Suite]:
    """The example suite copied to ``<tmp>/<base>``, ready to run; at the
    end, nothing of its groups may be left: on the engine, and of their
    files in the runtime directory (but for a run that was killed)."""
    directory = pytester.path / base
    shutil.copytree(EXAMPLE, directory, ignore=shutil.ignore_patterns("__pycache__"))
    pytester.makepyfile(dm_recorder=RECORDER)
    _use_plugin(pytester, monkeypatch, "dm_recorder")
    monkeypatch.setenv("DM_RECORD", str(pytester.path / "records.jsonl"))
    s = Suite(pytester, directory)
    yield s
    left = left_of(base)
    _remove_groups(base)
    files = [
        path
        for record in s.records("up")
        for path in (context_directory(record["group"]), users_file(record["group"]))
        if path.exists()
    ]
    for path in files:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert left == NOTHING, f"left behind: {left}"
    assert s.killed or not files, f"left behind: {files}"


def users_file(group: str) -> Path:
    return Path(drillmaster._core.runtime_directory()) / f"{group}.users"


def test_the_example_suite_runs_on_one_group_and_leaves_nothing(suite, base):
    result = suite.run()
    result.assert_outcomes(passed=2)
    [up] = suite.records("up")
    assert re.fullmatch(rf"{base}-services-[0-9a-f]{{6}}", up["group"]), up
    assert up["outcomes"] == ["started", "started"]
    [stop] = suite.records("stop")
    assert (stop["group"], stop["stopped"], stop["pid"]) == (up["group"], True, up["pid"])


def test_under_xdist_each_worker_has_its_own_group_and_keep_leaves_them(
    suite, base, tmp_path, monkeypatch
):
    (suite.directory / "test_meet.py").write_text(MEETING)
    (tmp_path / "meet").mkdir()
    monkeypatch.setenv("DM_MEET", str(tmp_path / "meet"))
    result = suite.run("-n", "2", "--dist", "each", "--drillmaster-keep")
    result.assert_outcomes(passed=6)  # three tests on each worker
    ups = suite.records("up")
    groups = sorted(r["group"] for r in ups)
    run = groups[0].split("-")[-2]
    assert groups == [f"{base}-services-{run}-gw0", f"{base}-services-{run}-gw1"], groups
    ports = {r["ports"]["web"] for r in ups}
    assert len(ports) == 2, ups  # each its own free port: no clash
    assert all(not r["stopped"] for r in suite.records("stop"))
    assert left_of(base)["containers"] == groups  # kept, as asked
    # The controller's summary names each group and the command that removes it.
    out = result.stdout.str()
    assert "drillmaster: services left running (--drillmaster-keep)" in out
    for group in groups:
        assert f"group {group} (fixture services); remove it with:" in out
        [command] = [line.strip() for line in result.stdout.lines if f"={group} |" in line]
        subprocess.run(command, shell=True, check=True, timeout=120, capture_output=True)
    assert left_of(base) == NOTHING


def test_a_shared_group_is_started_once_and_stopped_once_by_the_last_worker(
    suite, base, tmp_path, monkeypatch
):
    conftest = suite.directory / "conftest.py"
    text = conftest.read_text()
    assert "services = services_fixture(Store, Web)" in text
    shared = text.replace(
        "services_fixture(Store, Web)", "services_fixture(Store, Web, shared=True)"
    )
    conftest.write_text(shared)
    (suite.directory / "test_meet.py").write_text(MEETING)
    (tmp_path / "meet").mkdir()
    monkeypatch.setenv("DM_MEET", str(tmp_path / "meet"))
    result = suite.run("-n", "2", "--dist", "each")
    result.assert_outcomes(passed=6)
    ups = suite.records("up")
    assert len({r["pid"] for r in ups}) == 2
    [group] = {r["group"] for r in ups}
    assert re.fullmatch(rf"{base}-services-[0-9a-f]{{8}}", group), group
    # One worker's start made the services; the other's found them running.
    assert sorted(tuple(r["outcomes"]) for r in ups) == [
        ("already running", "already running"),
        ("started", "started"),
    ]
    assert sorted(r["stopped"] for r in suite.records("stop")) == [False, True]
    assert len({r["ports"]["web"] for r in ups}) == 1


def test_a_service_that_fails_is_an_error_of_the_fixture_naming_the_cause_with_no_plugin(
    pytester, base, monkeypatch, engine
):
    directory = pytester.path / base
    directory.mkdir()
    (directory / "conftest.py").write_text(BROKEN.format(image=IMAGE))
    (directory / "test_broken.py").write_text(BROKEN_TESTS)
    # Without the plugin (blocked when installed, not named when not): the
    # fixture needs nothing of it.
    pytester.plugins = ["no:drillmaster"] if _plugin_installed() else []
    if PACKAGE_DIRS:
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(PACKAGE_DIRS))
    result = pytester.runpytest_subprocess(str(directory), "-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(errors=2)
    out = result.stdout.str()
    assert re.search(r"fixture 'broken': services of group '[^']+' did not start:", out), out
    assert re.search(r"^E?\s*broken +failed +container exited with code 3", out, re.M), out
    assert "cannot listen on 8080: address in use" in out  # the log's last lines
    assert "Traceback" not in out and "_up.py" not in out  # the cause, not a maze
    assert left_of(base) == NOTHING


def test_a_run_killed_with_sigkill_leaves_nothing_after_ten_seconds(suite, base, tmp_path):
    (suite.directory / "test_hold.py").write_text(HOLD)
    held = tmp_path / "held"
    args = [*suite.pytester._getpytestargs(), str(suite.directory), "-p", "no:cacheprovider"]
    for plugin in suite.pytester.plugins:
        args += ["-p", str(plugin)]
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, DM_HELD=str(held)),
    )
    watched = Watched(process)
    watched.wait_for_file(held)
    [up] = suite.records("up")
    assert left_of(base)["containers"] == [up["group"]]
    suite.killed = True
    process.kill()  # SIGKILL: no teardown, no atexit, nothing runs
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while left_of(base) != NOTHING and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left_of(base) == NOTHING
