"""Readiness from health checks, through the CLI as a user runs it: a spec
whose image has a HEALTHCHECK waits for `healthy`, `status` shows it, and an
unhealthy service fails with what its check said."""

from __future__ import annotations

from conftest import IMAGE

HEALTHY_IMAGE = """
class Db(drillmaster.Service):
    name = "db"
    build_from = "db"

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]

    def ping(self):
        state = os.popen("docker inspect -f '{{.State.Health.Status}}' "
                         + self.group + "-db-1").read().strip()
        record("db is", state, "when app is pinged")
        return True
"""


def write_db(spec) -> None:
    """An image whose HEALTHCHECK passes once /ready exists, made a second
    after the container starts."""
    db = spec.directory / "db"
    db.mkdir()
    (db / "Dockerfile").write_text(
        f"FROM {IMAGE}\n"
        f"LABEL dmpy.group={spec.group}\n"
        "HEALTHCHECK --interval=250ms --retries=2 --start-period=20s CMD test -f /ready\n"
        'CMD ["sh", "-c", "trap \'exit 0\' TERM; sleep 1; touch /ready; sleep 1000 & wait"]\n'
    )


def test_a_spec_using_an_image_healthcheck_waits_for_healthy(spec):
    spec.write(HEALTHY_IMAGE)
    write_db(spec)
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "waiting for its health check to report healthy" in started.stdout + started.stderr
    assert spec.records() == ["db is healthy when app is pinged"]
    rows = spec.status()
    assert rows["db"]["health"] == "healthy"
    assert rows["app"]["health"] == ""
    shown = spec.run("status")
    assert "(healthy)" in shown.stdout, shown.stdout


UNHEALTHY_FIELD = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
    healthcheck = drillmaster.Healthcheck(
        test="echo db refuses connections; exit 3", interval=0.2, retries=2
    )

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
"""


def test_an_unhealthy_service_fails_with_its_last_check(spec):
    spec.write(UNHEALTHY_FIELD)
    started = spec.run("start")
    assert started.returncode != 0, started.stdout + started.stderr
    out = started.stdout + started.stderr
    assert "unhealthy" in out, out
    assert "exit code 3: db refuses connections" in out, out
    assert "dependency 'db' failed" in out, out


COMPOSE_DICT = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
    healthcheck = {"test": ["CMD", "true"], "interval": "200ms", "retries": 1}
"""


def test_compose_s_dict_is_taken_and_its_check_waited_for(spec):
    spec.write(COMPOSE_DICT)
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert spec.status()["db"]["health"] == "healthy"


def test_a_healthcheck_the_library_refuses_is_reported_before_anything_runs(offline_spec):
    offline_spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            healthcheck = drillmaster.Healthcheck(test=["curl", "-f", "localhost"], interval=-1)
        """)
    result = offline_spec.run("start")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert 'healthcheck test ["curl", "-f", "localhost"] must start with "CMD"' in out, out
    assert "healthcheck interval -1 s is not a duration the engine takes" in out, out
