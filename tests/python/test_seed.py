"""The seed README's example, on the local busybox image, run as a user runs
it: --help, start, status, stop, stop --remove."""

from __future__ import annotations

import json
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
    }
    assert rows[0]["service"] == "web" and rows[0]["state"] == "running"
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
