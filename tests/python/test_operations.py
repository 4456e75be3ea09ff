"""reload, logs, and Ctrl-C during start."""

from __future__ import annotations

import json
import signal
import subprocess
import time

from conftest import IMAGE

RELOADABLE = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

class Web(drillmaster.Service):
    name = "web"
    build_from = "web"
    dependencies = ["db"]

    def post_start_init(self):
        record("web init")

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["web"]

@drillmaster.on_reload_service
def reloaded(name):
    record("group reloaded", name)
"""


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def write_web(spec, version: str) -> None:
    web = spec.directory / "web"
    web.mkdir(exist_ok=True)
    (web / "version.txt").write_text(version + "\n")
    (web / "Dockerfile").write_text(
        f"FROM {IMAGE}\n"
        f"LABEL dmpy.group={spec.group}\n"
        "COPY version.txt /version.txt\n"
        'CMD ["sh", "-c", "trap \'exit 0\' TERM; while :; do sleep 1; done"]\n'
    )


def test_reload_rebuilds_and_restarts_dependants_leaving_dependencies(spec):
    spec.write(RELOADABLE)
    write_web(spec, "v1")
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    before = spec.status()
    assert before["web"]["image"] == f"drillmaster-{spec.group}-web:latest"
    db_started_at = docker(
        "inspect", "--format", "{{.State.StartedAt}}", before["db"]["container_id"]
    )
    assert docker("exec", before["web"]["container_id"], "cat", "/version.txt") == "v1"

    write_web(spec, "v2")
    spec.clear_records()
    reloaded = spec.run("reload", "web", "--remove")
    assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
    after = spec.status()
    assert {s["state"] for s in after.values()} == {"running"}
    assert after["web"]["container_id"] != before["web"]["container_id"]
    assert docker("exec", after["web"]["container_id"], "cat", "/version.txt") == "v2"
    # The dependency kept running, untouched.
    assert after["db"]["container_id"] == before["db"]["container_id"]
    assert (
        docker("inspect", "--format", "{{.State.StartedAt}}", after["db"]["container_id"])
        == db_started_at
    )
    assert spec.records() == ["web init", "group reloaded web"]
    # --remove: one web container, not an old one left behind.
    names = docker(
        "ps", "-a", "--filter", f"label=io.drillmaster.group={spec.group}", "--format", "{{.Names}}"
    ).split()
    assert sorted(names) == sorted(f"{spec.group}-{s}-1" for s in ("db", "web", "app"))


RELOAD_WITH_HOOKS = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def post_start_init(self):
        record("db init")

class Web(drillmaster.Service):
    name = "web"
    build_from = "web"
    dependencies = ["db"]

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["web"]

    def pre_start(self):
        record("app pre_start")

    def post_start_init(self):
        record("app init")
"""


def test_reload_run_new_containers_gives_the_dependants_new_containers(spec):
    spec.write(RELOAD_WITH_HOOKS)
    write_web(spec, "v1")
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    before = spec.status()

    # Without the option, the dependant's container is started again as it
    # was: no pre_start, no post_start_init.
    spec.clear_records()
    reloaded = spec.run("reload", "web")
    assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
    reused = spec.status()
    assert reused["app"]["container_id"] == before["app"]["container_id"]
    assert spec.records() == []

    # With it, the dependant gets a new container, set up as a start sets one up.
    write_web(spec, "v2")
    reloaded = spec.run("reload", "web", "--run-new-containers")
    assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
    after = spec.status()
    assert {s["state"] for s in after.values()} == {"running"}
    assert after["app"]["container_id"] != reused["app"]["container_id"]
    assert docker("exec", after["web"]["container_id"], "cat", "/version.txt") == "v2"
    assert spec.records() == ["app pre_start", "app init"]
    # The dependency keeps its container, and no old container is left behind.
    assert after["db"]["container_id"] == before["db"]["container_id"]
    names = docker(
        "ps", "-a", "--filter", f"label=io.drillmaster.group={spec.group}", "--format", "{{.Names}}"
    ).split()
    assert sorted(names) == sorted(f"{spec.group}-{s}-1" for s in ("db", "web", "app"))


def history_length(image: str) -> int:
    """Entries of an image's history: one per build step, its base's included."""
    return len(docker("history", "-q", "--no-trunc", image).split())


def test_reload_keep_dependants_leaves_them_running_untouched(spec):
    spec.write(RELOAD_WITH_HOOKS)
    write_web(spec, "v1")
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    before = spec.status()
    app = before["app"]["container_id"]
    app_started_at = docker("inspect", "--format", "{{.State.StartedAt}}", app)

    write_web(spec, "v2")
    spec.clear_records()
    reloaded = spec.run("reload", "web", "--keep-dependants")
    assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
    after = spec.status()
    assert after["web"]["container_id"] != before["web"]["container_id"]
    assert docker("exec", after["web"]["container_id"], "cat", "/version.txt") == "v2"
    # The dependant: the same container, never stopped nor started again.
    assert after["app"]["container_id"] == app
    assert after["app"]["state"] == "running"
    assert docker("inspect", "--format", "{{.State.StartedAt}}", app) == app_started_at
    assert spec.records() == []
    # The image has the Dockerfile's steps (LABEL, COPY, CMD) on its base's
    # and no more: no build step spent on drillmaster's own labels.
    image = docker("inspect", "--format", "{{.Image}}", after["web"]["container_id"])
    assert history_length(image) == history_length(IMAGE) + 3
    labels = json.loads(docker("image", "inspect", "--format", "{{json .Config.Labels}}", image))
    assert not {"io.drillmaster.group", "io.drillmaster.service"} & set(labels)
    assert "io.drillmaster.build-hash" not in labels


def test_reload_of_a_service_without_build_from_is_a_clear_error(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP
        """)
    assert spec.run("start", "-q").returncode == 0
    result = spec.run("reload", "db")
    assert result.returncode == 2  # a usage error, like every other bad argument
    assert "build" in (result.stdout + result.stderr)
    assert "Traceback" not in result.stderr


def test_stop_can_keep_a_dependency_running(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            dependencies = ["db"]
        """)
    assert spec.run("start", "-q").returncode == 0
    result = spec.run("stop", "--exclude", "db")
    assert result.returncode == 0, result.stdout + result.stderr
    states = {name: row["state"] for name, row in spec.status().items()}
    assert states == {"db": "running", "app": "exited"}
    unknown = spec.run("stop", "--exclude", "dbb")
    assert unknown.returncode == 2
    assert "cannot exclude 'dbb': no such service" in unknown.stderr


def test_stop_kills_a_container_that_ignores_sigterm_after_ten_seconds(spec):
    spec.write("""
        class Stubborn(drillmaster.Service):
            name = "stubborn"
            image = IMAGE
            cmd = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]
        """)
    assert spec.run("start", "-q").returncode == 0
    began = time.monotonic()
    result = spec.run("stop")
    took = time.monotonic() - began
    assert result.returncode == 0, result.stdout + result.stderr
    row = spec.status()["stubborn"]
    assert row["state"] == "exited"
    # It ignores SIGTERM, so the engine killed it once the grace period ran out.
    assert docker("inspect", "-f", "{{.State.ExitCode}}", row["container_id"]) == "137"
    assert took < 40, f"stop took {took:.0f} s: the command line waited out its old 50 s grace"


LOGGING = """
class Talker(drillmaster.Service):
    name = "talker"
    image = IMAGE
    cmd = ["sh", "-c", "echo line one; echo line two; echo oops >&2; " + LOOP[2]]

class Quiet(drillmaster.Service):
    name = "quiet-one"
    image = IMAGE
    cmd = ["sh", "-c", "echo shh; " + LOOP[2]]
"""


def test_logs_are_prefixed_by_service(spec):
    spec.write(LOGGING)
    assert spec.run("start", "-q").returncode == 0
    deadline = time.monotonic() + 10
    while True:
        result = spec.run("logs")
        if "oops" in result.stderr or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert result.returncode == 0, result.stderr
    assert "talker    | line one" in result.stdout.splitlines()
    assert "talker    | line two" in result.stdout.splitlines()
    assert "quiet-one | shh" in result.stdout.splitlines()
    assert "talker    | oops" in result.stderr.splitlines()

    only = spec.run("logs", "quiet-one")
    assert only.stdout.splitlines() == ["quiet-one | shh"]
    tail = spec.run("logs", "talker", "--tail", "1")
    assert len((tail.stdout + tail.stderr).splitlines()) == 1


def test_logs_follow_ends_on_ctrl_c(spec):
    spec.write(LOGGING)
    assert spec.run("start", "-q").returncode == 0
    proc = spec.popen("logs", "--follow", "talker")
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "talker | line one" in out
    assert "Traceback" not in err


SLOW = """
class Slow(drillmaster.Service):
    name = "slow"
    image = IMAGE
    cmd = LOOP
    timeout = 60

    def ping(self):
        record("slow ping")
        time.sleep(0.3)
        return False

class After(drillmaster.Service):
    name = "after"
    image = IMAGE
    cmd = LOOP
    dependencies = ["slow"]

class Fast(drillmaster.Service):
    name = "fast"
    image = IMAGE
    cmd = LOOP
"""


def test_ctrl_c_during_a_slow_ping_cancels_cleanly(spec):
    spec.write(SLOW)
    proc = spec.popen("start")
    deadline = time.monotonic() + 60
    while "slow ping" not in spec.records():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the ping never ran"
        time.sleep(0.1)
    interrupted = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert time.monotonic() - interrupted < 15
    assert "Traceback" not in err
    assert "start cancelled after" in out
    summary = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "started" in summary["fast"]
    assert "cancelled" in summary["after"] or "skipped" in summary["after"]
    # A consistent state: the interrupted service has no half-made container,
    # its dependant none at all, and a new start finishes the job.
    status = spec.status()
    assert status["after"]["state"] == "missing"
    assert status["slow"]["state"] in ("missing", "running")
    assert status["fast"]["state"] == "running"
