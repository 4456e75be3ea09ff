"""Shared fixtures of the Python tests.

Which drillmaster is tested:

- an installed one (``pip install .``), when ``import drillmaster`` works
  as it is;
- otherwise the build tree: the package's sources in ``bindings/python`` and
  the compiled ``_core`` in ``<build>/bindings/python/drillmaster``, both put on
  ``sys.path`` (the package's ``__init__`` extends its ``__path__`` across
  them). ``<build>`` is ``$DM_PYTHON_BUILD_DIR``, else ``build-py`` at the
  repository root, made by::

      cmake -S . -B build-py -G Ninja -DDM_BUILD_PYTHON=ON && cmake --build build-py -j2

  The same two directories go into the PYTHONPATH of the spec scripts the
  tests run as subprocesses.

Tests marked ``engine`` need a Docker engine (``scripts/engine``) and the image
``drillmaster-test/busybox:latest`` (``scripts/test-images``). Without them they
are skipped, unless ``DM_TEST_REQUIRE_ENGINE=1`` (CI), which makes them fail.
Every engine test uses its own group and checks at teardown that nothing
labelled with it is left.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
IMAGE = "drillmaster-test/busybox:latest"
# A container command that stops at once on SIGTERM.
LOOP = "trap 'exit 0' TERM; while :; do sleep 1; done"


def _locate_package() -> List[str]:
    """Makes drillmaster importable; returns the directories added."""
    try:
        import drillmaster  # noqa: F401

        return []
    except ImportError:
        pass
    build = Path(os.environ.get("DM_PYTHON_BUILD_DIR", REPO / "build-py"))
    dirs = [str(REPO / "bindings" / "python"), str(build / "bindings" / "python")]
    if not list((build / "bindings" / "python" / "drillmaster").glob("_core*.so")):
        raise pytest.UsageError(
            f"drillmaster is not installed and {build} has no built module: run\n"
            "  cmake -S . -B build-py -G Ninja -DDM_BUILD_PYTHON=ON && cmake --build build-py -j2"
        )
    sys.path[:0] = dirs
    return dirs


PACKAGE_DIRS = _locate_package()

# A suite started in the background of a non-interactive shell (a CI script's
# `cmd &`) inherits SIGINT ignored, and so would every program a test starts:
# the command line, like Python, keeps an ignored signal ignored, and the
# tests that press Ctrl-C would press it in vain. Take SIGINT as a terminal
# gives it; the programs then start with its default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

import drillmaster  # noqa: E402
from drillmaster import _group, _service  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    where = os.path.dirname(drillmaster.__file__)
    core = drillmaster._core.__file__
    return f"drillmaster {drillmaster.__version__}: package {where}, _core {core}"


# ---- in-process tests ------------------------------------------------------------


@pytest.fixture
def registry() -> Iterator[None]:
    """A clean service registry and group settings for the test, restored after."""
    saved = list(_service._registry)
    saved_settings = dict(vars(_group.settings))
    saved_context = dict(drillmaster.Context)
    _service._registry.clear()
    drillmaster.Context.clear()
    for key in list(vars(_group.settings)):
        delattr(_group.settings, key)
    try:
        yield
    finally:
        _service._registry[:] = saved
        for key in list(vars(_group.settings)):
            delattr(_group.settings, key)
        for key, value in saved_settings.items():
            setattr(_group.settings, key, value)
        drillmaster.Context.clear()
        drillmaster.Context.update(saved_context)


# ---- engine --------------------------------------------------------------------------


def _docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def _engine_problem() -> Optional[str]:
    try:
        with drillmaster._core.Client() as client:
            client.ping()
    except drillmaster.Error as exc:
        return f"no Docker engine: {exc} (run scripts/engine)"
    try:
        _docker("image", "inspect", IMAGE)
    except (OSError, subprocess.SubprocessError):
        return f"no image {IMAGE} (run scripts/test-images)"
    return None


_ENGINE_PROBLEM: Optional[str] = None
_ENGINE_CHECKED = False


@pytest.fixture
def engine() -> None:
    """Skips (or, with DM_TEST_REQUIRE_ENGINE=1, fails) without an engine."""
    global _ENGINE_PROBLEM, _ENGINE_CHECKED
    if not _ENGINE_CHECKED:
        _ENGINE_PROBLEM = _engine_problem()
        _ENGINE_CHECKED = True
    if _ENGINE_PROBLEM:
        if os.environ.get("DM_TEST_REQUIRE_ENGINE"):
            pytest.fail(_ENGINE_PROBLEM)
        pytest.skip(_ENGINE_PROBLEM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leftovers(group: str) -> Dict[str, List[str]]:
    """Containers and networks still labelled with the group."""
    label = f"label=io.drillmaster.group={group}"
    containers = _docker("ps", "-a", "--filter", label, "--format", "{{.Names}}").split()
    networks = _docker("network", "ls", "--filter", label, "--format", "{{.Name}}").split()
    return {"containers": containers, "networks": networks}


def _clean(group: str) -> None:
    found = leftovers(group)
    if found["containers"]:
        subprocess.run(
            ["docker", "rm", "-f", *found["containers"]], capture_output=True, timeout=120
        )
    for net in found["networks"]:
        subprocess.run(["docker", "network", "rm", net], capture_output=True, timeout=60)
    # Then the images the test built: tagged drillmaster-<group>-*, or
    # labelled by the test's Dockerfiles (LABEL dmpy.group=<group>).
    images = _docker("images", "-q", "--filter", f"label=dmpy.group={group}").split()
    images += _docker("images", "-q", "--filter", f"reference=drillmaster-{group}-*").split()
    if images:
        subprocess.run(
            ["docker", "rmi", "-f", *sorted(set(images))], capture_output=True, timeout=120
        )


class Spec:
    """A spec script in its own directory, run as a user would run it."""

    def __init__(self, directory: Path, group: str) -> None:
        self.directory = directory
        self.group = group
        self.path = directory / "spec.py"
        self.record = directory / "record.txt"
        #: Environment variables every run of the spec gets (teardown's too).
        self.extra_env: Dict[str, str] = {}

    def write(self, body: str, *, group_name: bool = True) -> "Spec":
        header = textwrap.dedent(f"""\
            #! /usr/bin/env python3
            import os, sys, time, json, urllib.request
            import drillmaster

            IMAGE = {IMAGE!r}
            LOOP = ["sh", "-c", {LOOP!r}]
            RECORD = {str(self.record)!r}

            def record(*words):
                with open(RECORD, "a") as out:
                    out.write(" ".join(str(w) for w in words) + "\\n")

            """)
        if group_name:
            header += f"drillmaster.group_name({self.group!r})\n\n"
        footer = '\n\nif __name__ == "__main__":\n    drillmaster.main()\n'
        self.path.write_text(header + textwrap.dedent(body) + footer)
        self.path.chmod(0o755)
        return self

    def env(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        env = dict(os.environ)
        if PACKAGE_DIRS:
            env["PYTHONPATH"] = os.pathsep.join(PACKAGE_DIRS + [env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            )
        env.pop("COLUMNS", None)
        env.update(self.extra_env)
        env.update(extra or {})
        return env

    def run(
        self,
        *args: str,
        timeout: float = 180,
        env: Optional[Dict[str, str]] = None,
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(self.path), *args],
            cwd=self.directory,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def popen(
        self, *args: str, env: Optional[Dict[str, str]] = None, **popen: Any
    ) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(self.path), *args],
            cwd=self.directory,
            env=self.env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **popen,
        )

    def records(self) -> List[str]:
        if not self.record.exists():
            return []
        return self.record.read_text().splitlines()

    def clear_records(self) -> None:
        if self.record.exists():
            self.record.unlink()

    def status(self) -> Dict[str, dict]:
        result = self.run("status", "--json")
        assert result.returncode == 0, result.stdout + result.stderr
        return {row["service"]: row for row in json.loads(result.stdout)}


def _unique_group(request: pytest.FixtureRequest) -> str:
    stem = request.node.name.replace("test_", "").lower()
    stem = "".join(c if c.isalnum() else "-" for c in stem)[:20].strip("-")
    return f"dmpy-{stem}-{secrets.token_hex(3)}"


@pytest.fixture
def spec(tmp_path: Path, request: pytest.FixtureRequest, engine: None) -> Iterator[Spec]:
    """A spec in a directory named after a unique group; at teardown, asserts
    nothing labelled with the group is left (after removing it anyway)."""
    group = _unique_group(request)
    directory = tmp_path / group
    directory.mkdir()
    s = Spec(directory, group)
    yield s
    said = ""
    if s.path.exists():
        stopped = s.run("stop", "--remove", "--timeout", "2", timeout=120)
        said = f"; stop --remove said ({stopped.returncode}):\n{stopped.stdout}{stopped.stderr}"
    found = leftovers(group)
    _clean(group)
    assert found == {"containers": [], "networks": []}, f"left behind: {found}{said}"


@pytest.fixture
def offline_spec(tmp_path: Path, request: pytest.FixtureRequest) -> Spec:
    """A spec for tests that never reach the engine (usage and definition errors)."""
    group = _unique_group(request)
    directory = tmp_path / group
    directory.mkdir()
    return Spec(directory, group)
