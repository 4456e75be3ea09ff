"""``--target swarm`` against a real single-node swarm: the dockerd that
``scripts/swarm-engine`` starts (never the engine the other suites share).
Each test has its own group; at teardown nothing labelled with it may be
left on the swarm (service, network, task container). Skipped when that
engine does not answer, unless ``DM_TEST_REQUIRE_SWARM=1``."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from conftest import Spec, _unique_group, free_port, leftovers
from processes import Watched

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
    # mode=host: on the node of the task (the test swarm has no routing mesh).
    ports = [f"published={os.environ['WEB_PORT']},target=8080,mode=host"]
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
    # mode=host: on the address of the node that runs the task
    (published,) = rows["web"]["published"]
    assert (published["container_port"], published["host_port"]) == ("8080/tcp", port)
    assert published["host_ip"] and published["host_ip"] != "0.0.0.0"

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


def test_a_health_check_is_awaited_and_a_port_without_a_mode_goes_through_the_mesh(swarm):
    # The swarm runs a task with a health check only once it is healthy, and
    # fails it when it turns unhealthy: start waits for that.
    swarm.write("""
    class Ready(drillmaster.Service):
        name = "ready"
        image = IMAGE
        ports = ["8080"]
        healthcheck = drillmaster.Healthcheck(test="test -f /ready", interval=0.5, retries=60)
        cmd = ["sh", "-c", "sleep 2; touch /ready; " + LOOP[2]]

    class Sick(drillmaster.Service):
        name = "sick"
        image = IMAGE
        healthcheck = drillmaster.Healthcheck(test="false", interval=0.5, retries=1)
        cmd = LOOP
    """)
    ready = swarm.run("start", "ready")
    assert ready.returncode == 0, ready.stdout + ready.stderr
    container = _swarm_docker(
        "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={swarm.group}_ready"
    ).split()
    assert len(container) == 1
    health = _swarm_docker("inspect", "--format", "{{.State.Health.Status}}", container[0])
    assert health.strip() == "healthy"
    endpoint = _swarm_docker(
        "service",
        "inspect",
        "--format",
        "{{.Spec.EndpointSpec.Mode}} {{range .Endpoint.Ports}}{{.PublishMode}} "
        "{{.TargetPort}} {{.PublishedPort}}{{end}}",
        f"{swarm.group}_ready",
    ).split()
    assert endpoint[:3] == ["vip", "ingress", "8080"]
    assert int(endpoint[3]) > 0  # the port the swarm picked
    row = swarm.status()["ready"]
    assert row["published"] == [
        {"container_port": "8080/tcp", "host_ip": "", "host_port": int(endpoint[3])}
    ]
    assert row["ports"] == f"0.0.0.0:{endpoint[3]}->8080/tcp"

    sick = swarm.run("start", "sick", "--timeout", "60")
    assert sick.returncode == 1, sick.stdout + sick.stderr
    # (the last check may be one the container's stop killed)
    assert "its container turned unhealthy (the last check exited" in sick.stdout + sick.stderr


def test_a_hooks_exec_runs_in_the_container_of_the_running_task(swarm):
    swarm.write("""
    class Db(drillmaster.Service):
        name = "db"
        image = IMAGE
        cmd = LOOP

        def post_start_init(self):
            done = self.exec(["sh", "-c", "echo seeded > /seeded; cat /seeded; exit 4"])
            record("exec", done.exit_code, done.stdout.strip())
    """)
    started = swarm.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert swarm.records() == ["exec 4 seeded"]
    container = _swarm_docker(
        "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={swarm.group}_db"
    ).split()
    assert _swarm_docker("exec", container[0], "cat", "/seeded").strip() == "seeded"


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


HELD = """
MARKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "marks")

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def ping(self):
        if os.environ.get("HOLD_PING"):
            os.makedirs(MARKS, exist_ok=True)
            open(os.path.join(MARKS, "db-pinging"), "a").close()
            return False
        return True

    def post_start_init(self):
        record("db init", self.container_name)

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
"""


@pytest.mark.parametrize(
    "signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)]
)
def test_a_start_ended_by_a_signal_during_a_ping_leaves_nothing_half_made(swarm, signum, status):
    swarm.write(HELD)
    start = Watched(swarm.popen("start", "--timeout", "60", env={"HOLD_PING": "1"}))
    start.wait_for_file(swarm.directory / "marks" / "db-pinging")
    start.process.send_signal(signum)
    assert start.finish() == status, start.output
    # db never became ready: no service of the group runs as if set up.
    for name, row in swarm.status().items():
        assert row["state"] != "running" or name == "db", (name, row)
    assert swarm.records() == []
    again = swarm.run("start", "--timeout", "60")
    assert again.returncode == 0, again.stdout + again.stderr
    assert swarm.records() == [f"db init {swarm.group}_db"]  # its init, once
    assert {n: r["state"] for n, r in swarm.status().items()} == {
        "db": "running",
        "app": "running",
    }


def test_two_starts_at_once_make_one_swarm_service_each_and_run_the_init_once(swarm):
    swarm.write(HELD)
    first, second = swarm.popen("start", "--timeout", "60"), swarm.popen("start", "--timeout", "60")
    outs = [p.communicate(timeout=180) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outs
    assert swarm.records() == [f"db init {swarm.group}_db"]  # one start set db up
    assert sorted(swarm_leftovers(swarm.group)["services"]) == [
        f"{swarm.group}_app",
        f"{swarm.group}_db",
    ]
    assert {n: r["state"] for n, r in swarm.status().items()} == {
        "db": "running",
        "app": "running",
    }


# ---- the registry setting: built images pushed for the swarm's nodes ----

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> Iterator[str]:
    """The address of a registry the swarm engine can push to over http:
    ``DM_TEST_REGISTRY`` (scripts/test starts one), else one started here
    with scripts/test-registry and stopped, its storage deleted, at the end."""
    given = os.environ.get("DM_TEST_REGISTRY")
    if given:
        yield given
        return
    env = {**os.environ, "DM_REGISTRY_STATE": str(tmp_path_factory.mktemp("registry"))}
    script = str(ROOT / "scripts" / "test-registry")
    started = subprocess.run(
        [script], capture_output=True, text=True, timeout=600, env=env, check=False
    )
    if started.returncode != 0:
        problem = "scripts/test-registry could not start a registry: " + started.stderr[-2000:]
        if os.environ.get("DM_TEST_REQUIRE_REGISTRY"):
            pytest.fail(problem)
        pytest.skip(problem)
    try:
        yield started.stdout.split()[-1]
    finally:
        subprocess.run([script, "stop"], capture_output=True, timeout=60, env=env, check=False)


BUILT = """
class Web(drillmaster.Service):
    name = "web"
    build_from = "web"
    cmd = LOOP
"""


def _write_built(spec: Spec) -> str:
    """A spec whose one service is built from ./web; its image's local name."""
    (spec.directory / "web").mkdir()
    (spec.directory / "web" / "Dockerfile").write_text(
        "FROM drillmaster-test/busybox:latest\nENV BUILT_BY=drillmaster\n"
    )
    spec.write(BUILT)
    return f"drillmaster-{spec.group}-web:latest"


def _swarm_image(service: str) -> str:
    return _swarm_docker(
        "service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service
    ).strip()


def _registry_tags(registry: str, repository: str) -> List[str]:
    host, _, path = registry.partition("/")
    name = f"{path}/{repository}" if path else repository
    with urllib.request.urlopen(f"http://{host}/v2/{name}/tags/list", timeout=10) as answer:
        return json.load(answer).get("tags") or []


def _tags_of(registry: str) -> List[str]:
    """The swarm engine's image names under `registry`."""
    names = _swarm_docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").split()
    return [n for n in names if n.startswith(registry + "/")]


def test_a_built_image_is_pushed_to_the_registry_and_the_task_runs_the_pushed_reference(
    swarm, registry
):
    registry = registry + "/team"
    built = _write_built(swarm)
    pushed = ""
    try:
        started = swarm.run("--registry", registry, "start", "--timeout", "120")
        assert started.returncode == 0, started.stdout + started.stderr
        pushed = _swarm_image(f"{swarm.group}_web")
        repository = f"{swarm.group.lower()}_web"
        assert re.fullmatch(re.escape(f"{registry}/{repository}:") + "[0-9a-f]{12}", pushed), pushed
        image_id = _swarm_docker("image", "inspect", "--format", "{{.Id}}", built).strip()
        assert pushed.endswith(":" + image_id.split(":")[-1][:12])  # this very build
        assert pushed.rsplit(":", 1)[1] in _registry_tags(registry, repository)
        assert swarm.status()["web"]["state"] == "running"
        stopped = swarm.run("stop", "--remove", "--timeout", "1", timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    finally:
        _swarm_docker("image", "rm", *([pushed] if pushed else []), built)


def test_a_registry_that_refuses_fails_the_start_naming_service_and_registry_leaving_nothing(
    swarm,
):
    registry = f"127.0.0.1:{free_port()}"  # nothing listens there
    built = _write_built(swarm)
    try:
        failed = swarm.run("start", "--timeout", "60", env={"DRILLMASTER_REGISTRY": registry})
        out = failed.stdout + failed.stderr
        assert failed.returncode == 1, out
        assert "service 'web': pushing its image" in out
        assert f"to registry '{registry}' failed" in out
        assert "connection refused" in out
        assert "did not run in time" not in out
        assert swarm_leftovers(swarm.group)["services"] == []
        assert _tags_of(registry) == []  # the tag of the failed push went again
    finally:
        _swarm_docker("image", "rm", built)


def test_a_registry_value_that_is_no_registry_is_refused_before_anything_is_made(swarm):
    swarm.write(BUILT)
    refused = swarm.run("--registry", "http://127.0.0.1:5000/team", "start")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "has a scheme" in refused.stderr
    assert "e.g. 127.0.0.1:5000/myteam" in refused.stderr
    assert swarm_leftovers(swarm.group) == {"services": [], "networks": [], "task containers": []}


def test_a_registry_with_the_local_target_is_refused(offline_spec, engine):
    offline_spec.write(BUILT)
    refused = offline_spec.run("--target", "local", "--registry", "127.0.0.1:5000", "start")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "applies to the swarm target only (--target swarm" in refused.stderr
    assert leftovers(offline_spec.group) == {"containers": [], "networks": []}


def test_an_image_that_cannot_be_had_fails_the_start_with_the_engines_words_not_a_timeout(
    swarm, registry
):
    # Nothing of that name in the registry: the manager's pull is refused,
    # so no task is ever made to wait for it.
    missing = f"{registry}/nothing-here:1"
    swarm.write(f"""
    class Gone(drillmaster.Service):
        name = "gone"
        image = {missing!r}
        cmd = LOOP
    """)
    failed = swarm.run("start", "--timeout", "120")
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out
    assert f"pulling image '{missing}' failed" in out
    assert "not found" in out or "manifest unknown" in out
    assert "did not run in time" not in out
    assert swarm_leftovers(swarm.group)["services"] == []
