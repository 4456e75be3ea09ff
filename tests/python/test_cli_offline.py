"""The command line without an engine: help, definition and graph errors,
and an unreachable engine. Each spec runs as a subprocess, as a user runs it."""

from __future__ import annotations

import subprocess
import sys

SEED = """
DB_PORT = 5433

class Database(drillmaster.Service):
    image = "postgres:10.6"
    name = "appdb"
    env = {"POSTGRES_PASSWORD": "dbpwd",
           "POSTGRES_USER": "dbuser",
           "POSTGRES_DB": "appdb",
           "PGPORT": DB_PORT }
    ports = {DB_PORT: DB_PORT}

class Application(drillmaster.Service):
    dependencies = ["appdb"]
    pass
"""

NOWHERE = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}


def test_seed_as_written_prints_usage_without_arguments(offline_spec):
    offline_spec.write(SEED)
    result = offline_spec.run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Usage: spec.py [OPTIONS] COMMAND [ARGS]..."
    assert "Options:\n  --help  Show this message and exit.\n\nCommands:\n" in result.stdout
    commands = [line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines()]
    assert commands == [
        "exec",
        "graph",
        "logs",
        "ps",
        "reload",
        "run",
        "start",
        "status",
        "stop",
        "watch",
    ]


def test_help_is_the_same(offline_spec):
    offline_spec.write(SEED)
    assert offline_spec.run("--help").stdout == offline_spec.run().stdout


def test_command_help_lists_the_options(offline_spec):
    offline_spec.write(SEED)
    out = " ".join(offline_spec.run("start", "--help").stdout.split())
    for option in (
        "--exclude NAMES",
        "--network-name NAME",
        "--timeout SECONDS",
        "--run-new-containers",
        "--build",
        "-v, --verbose",
        "-q, --quiet",
    ):
        assert option in out
    assert "[default: 300" in out
    # One grace period, the library's (Docker's and Compose's 10 s; it was 50).
    assert "--stop-timeout SECONDS" in out and "[default: 10.0]" in out
    out = " ".join(offline_spec.run("stop", "--help").stdout.split())
    assert "--remove" in out and "[default: 10.0]" in out and "grace period" in out
    out = " ".join(offline_spec.run("reload", "--help").stdout.split())
    assert "--stop-timeout SECONDS" in out and "[default: 10.0]" in out
    assert "--run-new-containers Create new containers for the dependants" in out
    assert "--json" in offline_spec.run("ps", "--help").stdout
    assert "--follow" in offline_spec.run("logs", "--help").stdout


def test_seed_as_written_cannot_start_application_without_image(offline_spec):
    offline_spec.write(SEED)
    result = offline_spec.run("start", env=NOWHERE)
    assert result.returncode == 2
    assert "service 'application' (class Application): no image" in result.stderr
    assert "Traceback" not in result.stderr


def test_definition_error_at_import_exits_2_naming_class_and_attribute(offline_spec):
    offline_spec.write("""
        class Application(drillmaster.Service):
            image = "busybox"
            ports = [80]
        """)
    result = offline_spec.run("--help")
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[0] == "Error: Application.ports: "
        "expected a dict of int to int or a list of str, got list containing int 80"
    )
    assert "spec.py:" in result.stderr and "Traceback" not in result.stderr


def test_graph_error_exits_2_with_the_library_message(offline_spec):
    offline_spec.write("""
        class Db(drillmaster.Service):
            image = IMAGE
            name = "appdb"

        class App(drillmaster.Service):
            image = IMAGE
            dependencies = ["dbb"]
        """)
    result = offline_spec.run("start", env=NOWHERE)
    assert result.returncode == 2
    assert "service 'app' depends on 'dbb', which is not defined; defined: appdb" in result.stderr
    assert "Traceback" not in result.stderr


def test_cycle_exits_2(offline_spec):
    offline_spec.write("""
        class A(drillmaster.Service):
            image = IMAGE
            dependencies = ["b"]

        class B(drillmaster.Service):
            image = IMAGE
            dependencies = ["a"]
        """)
    result = offline_spec.run("start", env=NOWHERE)
    assert result.returncode == 2
    assert "a -> b -> a" in result.stderr or "b -> a -> b" in result.stderr


def test_stop_exclude_unknown_is_a_clear_error(offline_spec):
    # Regression: the original tool died with a bare KeyError.
    offline_spec.write("""
        class A(drillmaster.Service):
            image = IMAGE
        """)
    result = offline_spec.run("stop", "--exclude", "unknown", env=NOWHERE)
    assert result.returncode == 2
    assert "unknown" in result.stderr and "KeyError" not in result.stderr


def test_unknown_service_for_reload_and_logs_is_a_usage_error(offline_spec):
    offline_spec.write("""
        class A(drillmaster.Service):
            image = IMAGE
        """)
    for args in (["reload", "nope"], ["logs", "nope"]):
        result = offline_spec.run(*args, env=NOWHERE)
        assert result.returncode == 2
        assert "no service named 'nope' (defined: a)" in result.stderr


def test_unreachable_engine_is_one_clear_line(offline_spec):
    offline_spec.write("""
        class A(drillmaster.Service):
            image = IMAGE
        """)
    for args in (["start"], ["stop"], ["status"]):
        result = offline_spec.run(*args, env=NOWHERE)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Error: ") and "/nonexistent/docker.sock" in lines[0]


def test_python_m_drillmaster_prints_version_and_engine(offline_spec):
    env = offline_spec.env(NOWHERE)
    result = subprocess.run(
        [sys.executable, "-m", "drillmaster"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("drillmaster 0.")
    assert lines[1].startswith("engine: not usable: ")
    assert "unix:///nonexistent/docker.sock" in lines[1]


def test_ps_is_another_name_for_status(offline_spec):
    offline_spec.write(SEED)
    status, ps = (
        offline_spec.run("status", "--help").stdout,
        offline_spec.run("ps", "--help").stdout,
    )
    assert ps.splitlines()[0] == "Usage: spec.py ps [OPTIONS]"
    assert ps.replace("spec.py ps", "spec.py status") == status
    assert "ps is another name for this command" in status


def test_service_names_complete_in_a_shell(offline_spec):
    """click checks the service names, and so can complete them."""
    offline_spec.write("""
        class Appdb(drillmaster.Service):
            image = IMAGE

        class App(drillmaster.Service):
            image = IMAGE

        class Web(drillmaster.Service):
            image = IMAGE
        """)
    request = {
        "COMP_WORDS": "spec.py reload ap",
        "COMP_CWORD": "2",
        # click names the variable after the program: spec.py, dots made _ since 8.2
        "_SPEC_PY_COMPLETE": "bash_complete",
        "_SPEC.PY_COMPLETE": "bash_complete",
    }
    result = offline_spec.run(env=request)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plain,appdb", "plain,app"]
    request["COMP_WORDS"] = "spec.py logs web "
    request["COMP_CWORD"] = "3"
    assert offline_spec.run(env=request).stdout.split() == ["plain,appdb", "plain,app", "plain,web"]
