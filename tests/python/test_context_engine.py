"""drillmaster.Context on a real engine: values stored by one service's hook
fill the env of the services that start after it, survive in
.drillmaster-context for later starts, and go with stop --remove."""

from __future__ import annotations

import json
import os
import stat

from conftest import leftovers
from processes import env_of

CONTEXT = """
drillmaster.Context["greeting"] = "hello"  # set by the spec itself

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def post_start_init(self):
        drillmaster.Context["db_token"] = "tok-" + self.container_name

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
    env = {"TOKEN": "{db_token}", "GREETING": "{greeting}, world",
           "LITERAL": "{{db_token}}", "JSON": '{"a": 1}'}

class Unrelated(drillmaster.Service):
    name = "unrelated"
    image = IMAGE
    cmd = LOOP
    env = {"GREETING": "{greeting}"}
"""


def test_context_fills_env_and_persists(spec):
    spec.write(CONTEXT)
    first = spec.run("start")
    assert first.returncode == 0, first.stdout + first.stderr
    status = spec.status()
    env = env_of(status["app"]["container_id"])
    assert env["TOKEN"] == f"tok-{spec.group}-db-1"
    assert env["GREETING"] == "hello, world"
    assert env["LITERAL"] == "{db_token}"
    assert env["JSON"] == '{"a": 1}'
    assert env_of(status["unrelated"]["container_id"])["GREETING"] == "hello"

    saved = spec.directory / ".drillmaster-context"
    assert json.loads(saved.read_text()) == {
        "db_token": f"tok-{spec.group}-db-1",
        "greeting": "hello",
    }
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600

    # Nothing reruns db's hook now, yet app's placeholders still resolve
    # (from the file) to the same values: same configuration, left running.
    again = spec.run("start")
    assert again.returncode == 0, again.stdout
    assert "already running" in again.stdout and "started" not in again.stdout
    assert spec.status()["app"]["outdated"] is False

    assert spec.run("stop", "--timeout", "5").returncode == 0
    assert saved.exists()  # a plain stop keeps it: a restart needs it
    restarted = spec.run("start")
    assert restarted.returncode == 0 and "restarted" in restarted.stdout

    assert spec.run("stop", "--remove").returncode == 0
    assert not saved.exists()


def test_a_placeholder_nobody_fills_fails_that_service(spec):
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
            env = {"TOKEN": "{nobody_sets_this}"}

        class Web(drillmaster.Service):
            name = "web"
            image = IMAGE
            cmd = LOOP
            dependencies = ["app"]
        """)
    result = spec.run("start")
    assert result.returncode == 1
    assert "env TOKEN: no value for {nobody_sets_this} in drillmaster.Context" in result.stdout
    summary = {
        line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")
    }
    assert "started" in summary["db"]
    assert "failed" in summary["app"]
    assert "skipped" in summary["web"] and "app" in summary["web"]


def test_a_context_value_with_a_nul_fails_the_service_that_uses_it(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

            def post_start_init(self):
                drillmaster.Context["pw"] = "cut\\0here"

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            dependencies = ["db"]
            env = {"OK": "fine", "PW": "{pw}"}
        """)
    result = spec.run("start")
    assert result.returncode == 1, result.stdout + result.stderr
    summary = {
        line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")
    }
    assert "started" in summary["db"]
    assert "failed" in summary["app"]
    assert (
        "env PW of service 'app': drillmaster.Context['pw'] contains a NUL character"
        in summary["app"]
    )
    assert spec.status()["app"]["state"] == "missing"  # never created with a cut value


def test_format_specs_and_escapes_reach_the_container(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

            def post_start_init(self):
                drillmaster.Context["host"] = "zombo.com"
                drillmaster.Context["port"] = 8080

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            dependencies = ["db"]
            env = {"URL": "http://{host}:{port:d}", "PADDED": "{port:06d}",
                   "ESCAPED": '{{"port": {port}}}', "JSON": '{"a": 1}'}
        """)
    result = spec.run("start")
    assert result.returncode == 0, result.stdout + result.stderr
    env = env_of(spec.status()["app"]["container_id"])
    assert env["URL"] == "http://zombo.com:8080"
    assert env["PADDED"] == "008080"
    assert env["ESCAPED"] == '{"port": 8080}'
    assert env["JSON"] == '{"a": 1}'


def test_a_positional_placeholder_stops_the_spec_before_anything_starts(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP
            env = {"GREETING": "Say {} to {blah}"}
        """)
    result = spec.run("start")
    assert result.returncode == 2  # a definition error, as any other
    assert "Db.env['GREETING'] = 'Say {} to {blah}': {} is a positional placeholder" in (
        result.stdout + result.stderr
    )
    assert leftovers(spec.group) == {"containers": [], "networks": []}  # nothing was made


def test_a_context_value_that_does_not_suit_its_format_spec_fails_that_service(spec):
    spec.write("""
        drillmaster.Context["port"] = "eighty"

        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            cmd = LOOP
            env = {"URL": "http://h:{port:d}"}
        """)
    result = spec.run("start")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "env URL: cannot fill {port:d} from drillmaster.Context['port'] = 'eighty': "
        "Unknown format code 'd' for object of type 'str'" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert spec.status()["app"]["state"] == "missing"  # never created
