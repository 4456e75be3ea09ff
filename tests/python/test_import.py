"""Importing drillmaster changes nothing in the process: no sys.excepthook,
no atexit handler (test_signals.py: no signal handler). main() installs what
a command needs for the command only, and a definition error still ends a
spec script with one line and exit status 2 (test_cli_offline.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import PACKAGE_DIRS

import drillmaster


def python(code: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if PACKAGE_DIRS:
        env["PYTHONPATH"] = os.pathsep.join(PACKAGE_DIRS)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_import_installs_no_excepthook_and_no_atexit_handler():
    result = python("""
        import atexit, sys
        import click  # drillmaster's dependency: whatever it does is not drillmaster's
        before = atexit._ncallbacks()
        import drillmaster
        print(sys.excepthook is sys.__excepthook__, atexit._ncallbacks() == before)
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_main_leaves_no_excepthook_and_no_atexit_handler_behind(tmp_path):
    result = python(
        """
        import atexit, sys
        import drillmaster
        before = atexit._ncallbacks()
        code = drillmaster.main('.', args=[], standalone_mode=False)  # prints the help
        print("returned", code)
        print(sys.excepthook is sys.__excepthook__, atexit._ncallbacks() == before)
        """,
        cwd=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Usage: ")
    assert lines[-2:] == ["returned 0", "True True"]


def test_a_definition_error_outside_a_script_installs_nothing(registry):
    hook = sys.excepthook
    with pytest.raises(drillmaster.ServiceDefinitionError):
        type("Application", (drillmaster.Service,), {"ports": [80]})
    assert sys.excepthook is hook


def test_a_script_can_catch_a_definition_error_and_other_errors_keep_their_traceback(offline_spec):
    offline_spec.write("""
        try:
            class Broken(drillmaster.Service):
                ports = [80]
        except drillmaster.ServiceDefinitionError as exc:
            print("caught:", exc)

        if len(sys.argv) > 1 and sys.argv[1] == "raise":
            raise RuntimeError("not a definition error")
        """)
    caught = offline_spec.run("--help")
    assert caught.returncode == 0, caught.stderr
    assert (
        caught.stdout.splitlines()[0] == "caught: Broken.ports: "
        "expected a dict of int to int or a list of str, got list containing int 80"
    )
    assert "Usage: spec.py" in caught.stdout
    other = offline_spec.run("raise")
    assert other.returncode == 1
    assert "Traceback" in other.stderr and "RuntimeError: not a definition error" in other.stderr


def test_python_c_is_a_script_too():
    result = python("""
        import drillmaster
        class Broken(drillmaster.Service):
            ports = [80]
        """)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Error: Broken.ports: "
        "expected a dict of int to int or a list of str, got list containing int 80",
        "  (at <string>:3)",
    ]


def test_import_leaves_pytest_and_the_plugin_alone():
    """drillmaster.testing (the pytest plugin) and pytest are imported only
    by whoever asks for them: a program that uses up() does not pay for
    pytest, nor get its import side effects."""
    result = python("""
        import sys
        import drillmaster
        print("pytest" in sys.modules, "drillmaster.testing" in sys.modules)
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
