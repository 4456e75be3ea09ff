"""``--target swarm`` against a real single-node swarm: the dockerd that
``scripts/swarm-engine`` starts (never the engine the other suites share).
Each test has its own group; at teardown nothing labelled with it may be
left on the swarm (service, network, task container). Skipped when that
engine does not answer, unless ``DM_TEST_REQUIRE_SWARM=1``."""

from __future__ import annotations

import os
import subprocess
from typing import Dict, Iterator, List

import pytest
from conftest import Spec, _unique_group, free_port, leftovers

SWARM_HOST = os.environ.get("DM_SWARM_HOST", "unix:///run/dm-swarm/docker.sock")


def _swarm_docker(*args: str) -> str:
    env = {**os.environ, "DOCKER_HOST": SWARM_HOST}
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=60, env=env, check=False
    )
    return done.stdout


def _swarm_problem() -> str:
    try:
        state = _swarm_docker("info", "--format", "{{.Swarm.LocalNodeState}}").strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"no docker command: {exc}"
    if state != "active":
        return f"no active swarm at {SWARM_HOST} (start one with scripts/swarm-engine)"
    return ""


def swarm_leftovers(group: str) -> Dict[str, List[str]]:
    label = f"label=io.drillmaster.group={group}"
    services = _swarm_docker("service", "ls", "--filter", label, "--format", "{{.Name}}").split()
    networks = _swarm_docker("network", "ls", "--filter", label, "--format", "{{.Name}}").split()
    tasks = _swarm_docker(
        "ps", "-a", "--filter", f"label=com.docker.swarm.service.name={group}_", "-q"
    ).split()
    return {"services": services, "networks": networks, "task containers": tasks}


@pytest.fixture
def swarm(tmp_path, request) -> Iterator[Spec]:
    """A spec whose runs target the swarm engine, removed at teardown."""
    problem = _swarm_problem()
    if problem:
        if os.environ.get("DM_TEST_REQUIRE_SWARM"):
            pytest.fail(problem)
        pytest.skip(problem)
    group = _unique_group(request)
    directory = tmp_path / group
    directory.mkdir()
    s = Spec(directory, group)
    s.extra_env = {"DOCKER_HOST": SWARM_HOST, "DRILLMASTER_TARGET": "swarm"}
    yield s
    stopped = s.run("stop", "--remove", "--timeout", "1", timeout=120)
    for service in swarm_leftovers(group)["services"]:
        _swarm_docker("service", "rm", service)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr


GROUP = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    env = {"GREETING": os.environ.get("GREETING", "one")}
    cmd = ["sh", "-c", "echo db says $GREETING; trap 'exit 0' TERM; while :; do sleep 1; done"]

    def pre_start(self):
        record("db pre_start")

    def ping(self):
        record("db ping", self.container_name)
        return True

    def post_start_init(self):
        record("db post_start_init")

class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    dependencies = ["db"]
    ports = {8080: int(os.environ["WEB_PORT"])}
    stop_signal = "SIGKILL"
    cmd = ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && "
           "exec httpd -f -p 8080 -h /www"]

    def pre_start(self):
        record("web pre_start")

    def ping(self):
        host, port = self.address(8080)
        try:
            body = urllib.request.urlopen(f"http://{host}:{port}/", timeout=1).read()
        except OSError:
            return False
        record("web ping answered", port, body.decode().strip())
        return True

    def post_start_init(self):
        record("web post_start_init")
"""


def squeeze(lines: List[str]) -> List[str]:
    out: List[str] = []
    for line in lines:
        if not out or out[-1] != line:
            out.append(line)
    return out


def test_a_dependent_group_starts_in_order_with_hooks_pinged_over_a_host_port_then_is_reused(
    swarm,
):
    port = free_port()
    swarm.extra_env["WEB_PORT"] = str(port)
    swarm.write(GROUP)
    g = swarm.group

    first = swarm.run("start")
    assert first.returncode == 0, first.stdout + first.stderr
    assert squeeze(swarm.records()) == [
        "db pre_start",
        f"db ping {g}_db",
        "db post_start_init",
        "web pre_start",
        f"web ping answered {port} hello",
        "web post_start_init",
    ]
    services = _swarm_docker(
        "service",
        "ls",
        "--filter",
        f"label=io.drillmaster.group={g}",
        "--format",
        "{{.Name}} {{.Replicas}}",
    ).split("\n")
    assert sorted(s for s in services if s) == [f"{g}_db 1/1", f"{g}_web 1/1"]

    rows = swarm.status()  # status --target swarm: the swarm services
    assert {n: (r["state"], r["container_name"]) for n, r in rows.items()} == {
        "db": ("running", f"{g}_db"),
        "web": ("running", f"{g}_web"),
    }

    logs = swarm.run("logs", "db")  # GET /services/{id}/logs
    assert logs.returncode == 0, logs.stdout + logs.stderr
    assert "db says one" in logs.stdout

    swarm.clear_records()
    again = swarm.run("start")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "2 already running" in again.stdout
    assert swarm.records() == []  # no hook for a running, unchanged service


def test_an_env_change_updates_the_service_in_place_and_its_task_runs_the_new_definition(swarm):
    swarm.extra_env["WEB_PORT"] = str(free_port())
    swarm.write(GROUP)
    name = f"{swarm.group}_db"
    assert swarm.run("start", "db").returncode == 0
    before = _swarm_docker("service", "inspect", "--format", "{{.ID}}", name).strip()
    changed = swarm.run("start", "db", env={"GREETING": "two"})
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "1 started" in changed.stdout
    # POST /services/{id}/update, not a new service
    assert _swarm_docker("service", "inspect", "--format", "{{.ID}}", name).strip() == before
    logs = subprocess.run(
        ["docker", "service", "logs", name],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DOCKER_HOST": SWARM_HOST},
        check=False,
    )
    assert "db says two" in logs.stdout + logs.stderr


def test_a_failing_task_fails_its_service_with_its_exit_code_and_logs_and_skips_dependants(
    swarm,
):
    swarm.write("""
    class Job(drillmaster.Service):
        name = "broken"
        image = IMAGE
        cmd = ["sh", "-c", "echo about to fail; exit 3"]

        def ping(self):
            return False

    class After(drillmaster.Service):
        name = "after"
        image = IMAGE
        cmd = LOOP
        dependencies = ["broken"]
    """)
    failed = swarm.run("start", "--timeout", "60")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    out = failed.stdout + failed.stderr
    assert "exit code 3" in out  # found by the start's wait or by the ping's exit watch
    assert "non-zero exit (3)" in out  # the task's own error
    assert "about to fail" in out  # its logs, from /services/{id}/logs
    assert "dependency 'broken' failed" in out


def test_stop_scales_to_zero_and_stop_remove_leaves_no_service_network_or_task(swarm):
    swarm.extra_env["WEB_PORT"] = str(free_port())
    swarm.write(GROUP)
    assert swarm.run("start").returncode == 0
    stopped = swarm.run("stop", "--timeout", "1")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    replicas = _swarm_docker(
        "service",
        "ls",
        "--filter",
        f"label=io.drillmaster.group={swarm.group}",
        "--format",
        "{{.Replicas}}",
    ).split()
    assert replicas == ["0/0", "0/0"]
    assert {r["state"] for r in swarm.status().values()} == {"exited"}
    swarm.clear_records()
    restarted = swarm.run("start")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert "2 restarted" in restarted.stdout
    assert "db pre_start" not in swarm.records()  # started again: ping only

    removed = swarm.run("stop", "--remove", "--timeout", "1")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert swarm_leftovers(swarm.group) == {"services": [], "networks": [], "task containers": []}


def test_replicas_start_that_many_tasks_and_stop_remove_leaves_none(swarm):
    swarm.write("""
    class Workers(drillmaster.Service):
        name = "workers"
        image = IMAGE
        cmd = ["sleep", "3600"]
        stop_signal = "SIGKILL"
        replicas = int(os.environ.get("REPLICAS", "3"))

        def ping(self):
            record("workers ping", self.container_name)
            return True
    """)
    name = f"{swarm.group}_workers"
    started = swarm.run("start", "--timeout", "90")
    assert started.returncode == 0, started.stdout + started.stderr
    assert squeeze(swarm.records()) == [f"workers ping {name}"]
    # The start returned once each of the 3 slots had a running task.
    running = _swarm_docker(
        "service", "ps", name, "--filter", "desired-state=running", "--format", "{{.CurrentState}}"
    ).splitlines()
    assert len(running) == 3 and all(state.startswith("Running") for state in running), running
    task_label = f"label=com.docker.swarm.service.name={name}"
    assert len(_swarm_docker("ps", "-q", "--filter", task_label).split()) == 3
    rows = swarm.status()
    assert (rows["workers"]["state"], rows["workers"]["status"]) == (
        "running",
        "swarm service running (3/3)",
    )
    assert rows["workers"]["outdated"] is False

    # A changed count changes the definition: the service is updated in place.
    before = _swarm_docker("service", "inspect", "--format", "{{.ID}}", name).strip()
    scaled = swarm.run("start", "--timeout", "90", env={"REPLICAS": "2"})
    assert scaled.returncode == 0, scaled.stdout + scaled.stderr
    assert _swarm_docker("service", "inspect", "--format", "{{.ID}}", name).strip() == before
    assert (
        _swarm_docker(
            "service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", name
        ).strip()
        == "2"
    )
    assert swarm.status()["workers"]["status"] == "swarm service running (2/2)"

    stopped = swarm.run("stop", "--timeout", "1")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert swarm.status()["workers"]["state"] == "exited"
    assert _swarm_docker("ps", "-q", "--filter", task_label) == ""

    removed = swarm.run("stop", "--remove", "--timeout", "1")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert swarm_leftovers(swarm.group) == {"services": [], "networks": [], "task containers": []}


def test_without_a_swarm_the_swarm_target_fails_at_once_saying_how_to_start_one(
    offline_spec, engine
):
    offline_spec.write(GROUP)
    # The engine the other suites use: never part of a swarm.
    result = offline_spec.run(
        "--target", "swarm", "start", env={"WEB_PORT": "1", "DRILLMASTER_TARGET": "swarm"}
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docker swarm init" in result.stderr
    assert leftovers(offline_spec.group) == {"containers": [], "networks": []}
