"""One-shot jobs, pre_stop hooks and choosing what to start, against the
real engine."""

from __future__ import annotations

import pytest
from conftest import IMAGE

pytestmark = pytest.mark.engine

# db keeps a file-backed store in ./data; migrate (a job) writes its schema
# there; app starts only once the schema is there, and records what it saw.
MIGRATION = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
    volumes = ["./data:/data"]
    env = {"GENERATION": os.environ.get("DB_GENERATION", "1")}

class Migrate(drillmaster.Service):
    name = "migrate"
    build_from = "migrate"
    oneshot = True
    dependencies = ["db"]
    volumes = ["./data:/data"]

    def post_start_init(self):
        record("migrate init", open("data/schema").read().count("v"))

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    dependencies = ["migrate"]
    volumes = ["./data:/data"]
    cmd = ["sh", "-c", "cp /data/schema /data/seen-by-app; " + LOOP[2]]
"""


def write_migration(spec, version: str) -> None:
    job = spec.directory / "migrate"
    job.mkdir(exist_ok=True)
    (job / "version.txt").write_text(version + "\n")
    (job / "Dockerfile").write_text(
        f"FROM {IMAGE}\n"
        f"LABEL dmpy.group={spec.group}\n"
        "COPY version.txt /version.txt\n"
        'CMD ["sh", "-c", "cat /version.txt >> /data/schema"]\n'
    )


def runs_of_the_job(spec) -> list[str]:
    return (spec.directory / "data" / "schema").read_text().split()


def started(spec, *args: str, env=None):
    result = spec.run("start", *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_job_migrates_the_store_before_its_dependant_starts_and_is_not_run_again(spec):
    spec.write(MIGRATION)
    write_migration(spec, "v1")
    (spec.directory / "data").mkdir()
    started(spec)
    assert runs_of_the_job(spec) == ["v1"]
    assert (spec.directory / "data" / "seen-by-app").read_text() == "v1\n"
    assert spec.records() == ["migrate init 1"]
    rows = spec.status()
    assert rows["migrate"]["state"] == "completed"
    assert rows["migrate"]["status"] == "completed (0)"
    assert rows["app"]["state"] == "running"

    again = started(spec)
    assert runs_of_the_job(spec) == ["v1"], "a completed job is not run again"
    assert spec.records() == ["migrate init 1"]
    assert "completed" in again.stdout

    stopped = spec.run("stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert spec.status()["migrate"]["state"] == "completed", "stop leaves a job alone"
    started(spec)
    assert runs_of_the_job(spec) == ["v1"]


def test_a_job_runs_again_after_its_image_changed(spec):
    spec.write(MIGRATION)
    write_migration(spec, "v1")
    (spec.directory / "data").mkdir()
    started(spec)
    write_migration(spec, "v2")
    started(spec, "--build")
    assert runs_of_the_job(spec) == ["v1", "v2"]
    assert spec.records() == ["migrate init 1", "migrate init 2"]
    assert spec.status()["migrate"]["status"] == "completed (0)"


def test_a_job_runs_again_when_its_dependency_got_a_new_container(spec):
    spec.write(MIGRATION)
    write_migration(spec, "v1")
    (spec.directory / "data").mkdir()
    started(spec)
    app_before = spec.status()["app"]["container_id"]
    started(spec, env={"DB_GENERATION": "2"})  # a changed db: a new container
    assert runs_of_the_job(spec) == ["v1", "v1"], "the fresh database is migrated again"
    assert spec.status()["app"]["container_id"] == app_before, "app itself is unchanged"
    started(spec, "--run-new-containers", env={"DB_GENERATION": "2"})
    assert runs_of_the_job(spec) == ["v1", "v1", "v1"]


def test_a_failing_job_fails_with_its_code_and_last_log_lines(spec):
    spec.write("""
        class Migrate(drillmaster.Service):
            name = "migrate"
            image = IMAGE
            oneshot = True
            cmd = ["sh", "-c", "echo 'relation users already exists' >&2; exit 3"]

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            dependencies = ["migrate"]
        """)
    result = spec.run("start")
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "container exited with code 3 (a oneshot job completes with 0)" in said
    assert "relation users already exists" in said
    rows = spec.status()
    assert rows["migrate"]["state"] == "failed"
    assert rows["migrate"]["status"] == "failed (3)"
    assert rows["app"]["state"] == "missing"


def test_a_ping_on_a_job_is_a_definition_error(spec):
    spec.write("""
        class Migrate(drillmaster.Service):
            name = "migrate"
            image = IMAGE
            oneshot = True

            def ping(self):
                return True
        """)
    result = spec.run("start")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "service 'migrate': a oneshot service takes no ping" in result.stderr


# ---- pre_stop ----

PRE_STOP = """
def state_of(service):
    return subprocess.run(
        ["docker", "inspect", "-f", "{{.State.Status}}", GROUP + "-" + service + "-1"],
        capture_output=True, text=True,
    ).stdout.strip()

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
    env = {"GENERATION": os.environ.get("DB_GENERATION", "1")}

    def pre_stop(self):
        record("db pre_stop", self.container_id[:12], "app is", state_of("app"))
        if os.environ.get("FAIL_PRE_STOP"):
            raise RuntimeError("the dump failed")

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]

    def pre_stop(self):
        record("app pre_stop", "db is", state_of("db"))
"""


def pre_stop_spec(spec):
    spec.write(f"import subprocess\nGROUP = {spec.group!r}\n" + PRE_STOP)


def test_pre_stop_runs_before_the_stop_dependants_first(spec):
    pre_stop_spec(spec)
    started(spec)
    db = spec.status()["db"]["container_id"][:12]
    stopped = spec.run("stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert spec.records() == ["app pre_stop db is running", f"db pre_stop {db} app is exited"]


def test_a_failing_pre_stop_is_reported_and_the_stop_goes_on(spec):
    pre_stop_spec(spec)
    started(spec)
    stopped = spec.run("stop", "--remove", env={"FAIL_PRE_STOP": "1"})
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "the dump failed" in stopped.stdout + stopped.stderr
    assert {row["state"] for row in spec.status().values()} == {"missing"}


def test_pre_stop_runs_when_a_start_replaces_an_outdated_container(spec):
    pre_stop_spec(spec)
    started(spec)
    old = spec.status()["db"]["container_id"][:12]
    spec.clear_records()
    started(spec, env={"DB_GENERATION": "2"})
    assert spec.records() == [f"db pre_stop {old} app is running"]
    assert spec.status()["db"]["container_id"][:12] != old


# ---- choosing what to start ----

SELECTABLE = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]

class Worker(drillmaster.Service):
    name = "worker"
    image = IMAGE
    cmd = LOOP

class Debugger(drillmaster.Service):
    name = "debugger"
    image = IMAGE
    cmd = LOOP
    dependencies = ["app"]
    profiles = ["debug"]
"""


def states(spec) -> dict:
    return {name: row["state"] for name, row in spec.status().items()}


def test_start_service_starts_it_and_its_dependencies_only(spec):
    spec.write(SELECTABLE)
    started(spec, "app")
    assert states(spec) == {
        "db": "running",
        "app": "running",
        "worker": "missing",
        "debugger": "missing",
    }
    started(spec, "debugger")  # named: its profile does not matter
    assert states(spec)["debugger"] == "running"
    assert states(spec)["worker"] == "missing"
    stopped = spec.run("stop")
    assert stopped.returncode == 0
    assert set(states(spec).values()) == {"exited", "missing"}


def test_profiles_come_from_the_option_or_the_environment(spec):
    spec.write(SELECTABLE)
    started(spec)
    assert states(spec)["debugger"] == "missing"
    assert states(spec)["worker"] == "running"
    started(spec, env={"DRILLMASTER_PROFILES": "other, debug"})
    assert states(spec)["debugger"] == "running"
    spec.run("stop", "--remove")
    started(spec, "--profile", "debug")
    assert states(spec)["debugger"] == "running"


def test_a_service_needing_a_profiled_one_not_enabled_is_a_clear_error(spec):
    spec.write("""
        class Mock(drillmaster.Service):
            name = "mock"
            image = IMAGE
            cmd = LOOP
            profiles = ["test"]

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            dependencies = ["mock"]
        """)
    result = spec.run("start")
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "service 'app' depends on 'mock', which starts only with its profile 'test', not "
        "enabled; enable one of them, or name 'mock' among the services to start"
    ) in result.stderr
    assert set(states(spec).values()) == {"missing"}
    started(spec, "--profile", "test")
    assert states(spec) == {"mock": "running", "app": "running"}
