"""Service hooks run in the spec's process with the call rules of each reuse
path; a failing hook fails its service (and its dependants) with the cause in
the summary; group hooks run after each command."""

from __future__ import annotations

import time

HOOKED = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def pre_start(self):
        record("db pre_start", self.container_id)

    def ping(self):
        record("db ping", self.container_name)
        return True

    def post_start_init(self):
        record("db post_start_init", self.container_name, self.network)

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
    pings = 0

    def pre_start(self):
        record("app pre_start")

    def ping(self):
        type(self).pings += 1
        record("app ping")
        return type(self).pings >= 3

    def post_start(self):  # another name for post_start_init
        record("app post_start_init")

@drillmaster.on_start_services
def started(names):
    record("group started", ",".join(sorted(names)))

@drillmaster.on_stop_services
def stopped(names):
    record("group stopped", ",".join(sorted(names)))
"""


def squeeze(lines):
    """Consecutive repeats collapsed (ping is called many times)."""
    out = []
    for line in lines:
        if not out or out[-1] != line:
            out.append(line)
    return out


def test_hook_order_and_call_rules_on_each_reuse_path(spec):
    spec.write(HOOKED)
    g = spec.group

    first = spec.run("start")
    assert first.returncode == 0, first.stdout + first.stderr
    assert squeeze(spec.records()) == [
        "db pre_start None",
        f"db ping {g}-db-1",
        f"db post_start_init {g}-db-1 drillmaster-{g}",
        "app pre_start",
        "app ping",
        "app post_start_init",
        "group started app,db",
    ]
    assert spec.records().count("app ping") == 3  # polled until it returned True

    spec.clear_records()
    running = spec.run("start")
    assert running.returncode == 0
    assert spec.records() == ["group started app,db"]  # running: no hooks at all

    assert spec.run("stop", "--timeout", "5").returncode == 0
    assert spec.records()[-1] == "group stopped app,db"
    spec.clear_records()
    restarted = spec.run("start")
    assert restarted.returncode == 0, restarted.stdout
    assert "restarted" in restarted.stdout
    # An exited container with the same configuration: ping only.
    assert squeeze(spec.records()) == [f"db ping {g}-db-1", "app ping", "group started app,db"]

    spec.clear_records()
    fresh = spec.run("start", "--run-new-containers")
    assert fresh.returncode == 0, fresh.stdout
    assert squeeze(spec.records())[:3] == [
        "db pre_start None",
        f"db ping {g}-db-1",
        f"db post_start_init {g}-db-1 drillmaster-{g}",
    ]


FAILING = """
class Broken(drillmaster.Service):
    name = "broken"
    image = IMAGE
    cmd = LOOP

    def ping(self):
        raise ValueError("boom in ping")

class Dependant(drillmaster.Service):
    name = "dependant"
    image = IMAGE
    cmd = LOOP
    dependencies = ["broken"]

class Independent(drillmaster.Service):
    name = "independent"
    image = IMAGE
    cmd = LOOP

@drillmaster.on_start_services
def started(names):
    record("group started", ",".join(sorted(names)))
"""


def test_exception_in_a_hook_fails_the_service_with_its_traceback(spec):
    spec.write(FAILING)
    result = spec.run("start")
    assert result.returncode == 1
    out = result.stdout
    assert "broken failed:" in out
    assert "Broken.ping raised:" in out
    assert "ValueError: boom in ping" in out
    assert 'spec.py", line' in out and "in ping" in out  # the user's frame, shown
    assert "drillmaster/_session.py" not in out  # not ours
    summary = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "skipped" in summary["dependant"] and "broken" in summary["dependant"]
    assert "started" in summary["independent"]
    assert "start failed after" in out.splitlines()[-1]
    # As the predecessor did: the group hook gets the services that did
    # start, also when others failed; the command still exits 1.
    assert spec.records() == ["group started independent"]
    status = spec.status()
    assert status["independent"]["state"] == "running"
    assert status["broken"]["state"] == "missing"  # a failed new container is removed
    assert status["dependant"]["state"] == "missing"


def test_exception_in_post_start_init_fails_the_service(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

            def post_start_init(self):
                raise RuntimeError("schema failed")
        """)
    result = spec.run("start")
    assert result.returncode == 1
    assert "RuntimeError: schema failed" in result.stdout


def test_hook_failed_gives_a_bare_reason(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

            def pre_start(self):
                raise drillmaster.HookFailed("no credentials in ~/.dbrc")
        """)
    result = spec.run("start")
    assert result.returncode == 1
    assert (
        result.stdout.count("pre_start failed: no credentials in ~/.dbrc") == 2
    )  # progress, summary
    assert "  db     failed          pre_start failed: no credentials in ~/.dbrc" in result.stdout
    assert "Traceback" not in result.stdout


def test_ping_timeout_shows_the_last_connection_error(spec):
    spec.write("""
        class Web(drillmaster.Service):
            name = "web"
            image = IMAGE
            cmd = LOOP
            timeout = 1

            def ping(self):
                urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
                return True
        """)
    began = time.monotonic()
    result = spec.run("start")
    assert result.returncode == 1
    assert time.monotonic() - began < 30
    assert "not ready after 1 s" in result.stdout
    assert "(last: URLError: <urlopen error [Errno 111] Connection refused>)" in result.stdout


def test_a_container_that_exits_during_ping_fails_at_once(spec):
    spec.write("""
        class Crash(drillmaster.Service):
            name = "crash"
            image = IMAGE
            cmd = ["sh", "-c", "echo about to die; exit 3"]

            def ping(self):
                return False
        """)
    began = time.monotonic()
    result = spec.run("start", "--timeout", "120")
    assert result.returncode == 1
    assert time.monotonic() - began < 30
    assert "crash failed:" in result.stdout
    assert "3" in result.stdout and "about to die" in result.stdout


def test_group_stop_hook_and_failing_group_hook(spec):
    spec.write("""
        class Db(drillmaster.Service):
            name = "db"
            image = IMAGE
            cmd = LOOP

        @drillmaster.on_start_services
        def started(names):
            raise OSError("cannot write the fixture")
        """)
    result = spec.run("start")
    assert result.returncode == 1
    assert "on_start_services hook raised" in result.stderr
    assert "OSError: cannot write the fixture" in result.stderr


def test_a_hook_that_blocks_is_bounded_by_the_service_timeout(spec):
    spec.write("""
        class Stuck(drillmaster.Service):
            name = "stuck"
            image = IMAGE
            cmd = LOOP
            timeout = 1

            def post_start_init(self):
                time.sleep(60)

        class Busy(drillmaster.Service):
            name = "busy"
            image = IMAGE
            cmd = LOOP
            timeout = 1

            def ping(self):
                while True:  # never returns, never sleeps
                    pass
        """)
    began = time.monotonic()
    result = spec.run("start")
    assert time.monotonic() - began < 20
    # Failed, not crashed: the abandoned hooks do not take the interpreter down.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the post_start_init hook did not return before the service's timeout" in result.stdout
    assert "the ping hook did not return before the service's timeout" in result.stdout
