"""The seed README's example, on the local busybox image, run as a user runs
it: --help, start, status, stop, stop --remove."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import free_port


def seed(port: int) -> str:
    return f"""
        DB_PORT = {port}

        class Database(drillmaster.Service):
            image = IMAGE
            name = "appdb"
            env = {{"POSTGRES_PASSWORD": "dbpwd",
                   "POSTGRES_USER": "dbuser",
                   "POSTGRES_DB": "appdb",
                   "PGPORT": DB_PORT }}
            ports = {{DB_PORT: DB_PORT}}
            cmd = LOOP

        class Application(drillmaster.Service):
            dependencies = ["appdb"]
            image = IMAGE
            cmd = LOOP
        """


def inspect(container: str) -> dict:
    out = subprocess.run(
        ["docker", "inspect", container], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)[0]


def test_seed_lifecycle(spec):
    port = free_port()
    spec.write(seed(port), group_name=False)  # the group is named after the directory

    help_text = spec.run("--help")
    assert help_text.returncode == 0
    assert help_text.stdout.startswith("Usage: spec.py [OPTIONS] COMMAND [ARGS]...\n")

    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "appdb" in started.stdout and "application" in started.stdout
    status = spec.status()
    assert [status[s]["state"] for s in ("appdb", "application")] == ["running", "running"]
    assert status["appdb"]["container_name"] == f"{spec.group}-appdb-1"
    assert f"{port}->{port}/tcp" in status["appdb"]["ports"]
    db = inspect(status["appdb"]["container_id"])
    assert f"PGPORT={port}" in db["Config"]["Env"]
    assert db["Config"]["Labels"]["io.drillmaster.group"] == spec.group

    table = spec.run("status").stdout.splitlines()
    assert table[0].split() == ["SERVICE", "CONTAINER", "STATE", "STATUS", "PORTS"]
    assert table[1].split()[:3] == ["appdb", f"{spec.group}-appdb-1", "running"]
    assert re.fullmatch(r"engine: \S+ \(.+\), API 1\.\d+, found by .+", table[-1]), table

    again = spec.run("start")
    assert again.returncode == 0
    assert "already running" in again.stdout

    stopped = spec.run("stop", "--timeout", "5")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert {s["state"] for s in spec.status().values()} == {"exited"}

    removed = spec.run("stop", "--remove")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert {s["state"] for s in spec.status().values()} == {"missing"}


def test_ps_is_status_and_json_has_every_field(spec):
    spec.write("""
        class Web(drillmaster.Service):
            image = IMAGE
            cmd = LOOP
        """)
    assert spec.run("start", "-q").returncode == 0
    rows = json.loads(spec.run("ps", "--json").stdout)
    again = json.loads(spec.run("status", "--json").stdout)
    # The engine's status text ("Up 1 second") may tick between the two calls.
    for row in rows + again:
        assert row.pop("status").startswith("Up ")
    assert rows == again
    assert set(rows[0]) | {"status"} == {
        "service",
        "state",
        "status",
        "health",
        "container_id",
        "container_name",
        "image",
        "ports",
        "outdated",
        "published",  # the structured form of "ports": one entry per binding
    }
    assert rows[0]["service"] == "web" and rows[0]["state"] == "running"
    assert rows[0]["published"] == []  # it publishes nothing
    assert rows[0]["image"] == "drillmaster-test/busybox:latest" and rows[0]["outdated"] is False


def test_quiet_start_prints_nothing_and_plain_progress_otherwise(spec):
    spec.write("""
        class Web(drillmaster.Service):
            image = IMAGE
            cmd = LOOP
        """)
    quiet = spec.run("start", "-q")
    assert quiet.returncode == 0 and quiet.stdout == ""
    spec.run("stop", "--remove", "-q")
    loud = spec.run("start")
    lines = loud.stdout.splitlines()
    # Not a terminal: one plain line per change, no escape sequences, then the summary.
    assert "\x1b[" not in loud.stdout
    assert any(line.split()[:2] == ["web", "creating:"] for line in lines)
    assert any(line.startswith("web") and "running" in line for line in lines)
    assert lines[-1].startswith("start: 1 started in ")


FLAKY_DB = """
    class Db(drillmaster.Service):
        name = "db"
        image = IMAGE
        cmd = LOOP

        def ping(self):
            record("ping", self.container_id)
            return os.environ.get("DB_READY", "1") == "1"

    class App(drillmaster.Service):
        name = "app"
        image = IMAGE
        cmd = LOOP
        dependencies = ["db"]
    """


def test_a_restarted_container_whose_ping_fails_is_left_stopped_and_pinged_again(spec):
    spec.write(FLAKY_DB)
    assert spec.run("start", "-q").returncode == 0
    db = spec.status()["db"]["container_id"]
    assert spec.run("stop", "--timeout", "2", "-q").returncode == 0

    spec.clear_records()
    failed = spec.run("start", "--timeout", "0.5", env={"DB_READY": "0"})
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert spec.records() and all(line == f"ping {db}" for line in spec.records())
    # Not trusted as running by the next start: stopped, and kept (its data is the user's).
    state = inspect(db)["State"]
    assert (state["Status"], state["Running"]) == ("exited", False), state
    assert {s: row["state"] for s, row in spec.status().items()} == {
        "db": "exited",
        "app": "exited",
    }

    spec.clear_records()
    again = spec.run("start")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already running" not in again.stdout
    assert spec.records() == [f"ping {db}"], "the next start pings it again"
    assert spec.status()["db"]["container_id"] == db
    assert inspect(db)["State"]["Running"] is True


def test_stop_remove_without_the_network_option_removes_the_groups_network(spec):
    spec.write("""
        class Web(drillmaster.Service):
            image = IMAGE
            cmd = LOOP
        """)
    custom = f"custom-{spec.group}"
    started = spec.run("start", "--network-name", custom, "-q")
    assert started.returncode == 0, started.stdout + started.stderr
    assert networks(spec.group) == [custom]

    removed = spec.run("stop", "--remove", "--timeout", "2")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert networks(spec.group) == []
    assert {s["state"] for s in spec.status().values()} == {"missing"}


def networks(group: str) -> list:
    out = subprocess.run(
        ["docker", "network", "ls", "--filter", f"label=io.drillmaster.group={group}"]
        + ["--format", "{{.Name}}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(out.stdout.split())
