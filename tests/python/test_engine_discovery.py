"""The CLI finds the engine as the docker command does: through a docker
context given with ``--context`` or named by ``currentContext`` in
``$DOCKER_CONFIG/config.json``, with ``DOCKER_HOST`` unset. The context's
endpoint is a second socket, a forwarder to the engine that reports each
connection it carries, so the tests prove the context was used and not
/var/run/docker.sock; ``-v`` says how the engine was found. With no Docker
socket answering, Podman's socket under ``$XDG_RUNTIME_DIR`` is used."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest
from conftest import Spec

FORWARDER = Path(__file__).resolve().parents[1] / "support" / "unix_forwarder.py"

ONE_SERVICE = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
"""


def make_context(config: Path, name: str, host: str) -> None:
    """A context as `docker context create NAME --docker host=HOST` leaves it."""
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    endpoint = {"docker": {"Host": host, "SkipTLSVerify": False}}
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": endpoint})
    )


def engine_socket() -> str:
    """The socket of the engine the suite runs against (DOCKER_HOST's, when
    it names one: scripts/test runs some tests against Podman that way)."""
    host = os.environ.get("DOCKER_HOST", "")
    return host[len("unix://") :] if host.startswith("unix://") else "/var/run/docker.sock"


@contextlib.contextmanager
def forwarding(listen: Path) -> Iterator[subprocess.Popen]:
    """A second engine address: `listen`, forwarding to the engine."""
    proc = subprocess.Popen(
        [sys.executable, str(FORWARDER), str(listen), engine_socket()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    try:
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # it exits when its stdin closes
        proc.wait(timeout=30)


@pytest.fixture
def forwarder(tmp_path: Path) -> Iterator[subprocess.Popen]:
    with forwarding(tmp_path / "second.sock") as proc:
        yield proc


def context_env(tmp_path: Path) -> Dict[str, str]:
    config = tmp_path / "docker-config"
    make_context(config, "second", f"unix://{tmp_path / 'second.sock'}")
    return {"DOCKER_CONFIG": str(config), "DOCKER_HOST": "", "DOCKER_CONTEXT": ""}


def test_context_option_starts_the_spec_through_the_contexts_socket(
    spec: Spec, forwarder: subprocess.Popen, tmp_path: Path
) -> None:
    spec.write(ONE_SERVICE)
    result = spec.run("--context", "second", "start", "-v", env=context_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert f"engine: unix://{tmp_path / 'second.sock'}" in output, output
    assert "engine found by context 'second' (context option)" in output, output
    assert forwarder.stdout is not None and forwarder.stdout.readline() == "connection\n"
    assert spec.status()["db"]["state"] == "running"


def test_current_context_of_the_config_file_is_used_without_options(
    spec: Spec, forwarder: subprocess.Popen, tmp_path: Path
) -> None:
    env = context_env(tmp_path)
    config_file = Path(env["DOCKER_CONFIG"]) / "config.json"
    config_file.write_text(json.dumps({"currentContext": "second"}))
    spec.write(ONE_SERVICE)
    result = spec.run("start", "-v", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert f"engine found by context 'second' ({config_file})" in output, output
    assert forwarder.stdout is not None and forwarder.stdout.readline() == "connection\n"
    assert spec.status()["db"]["state"] == "running"


def test_a_context_whose_socket_is_gone_names_every_place_looked_at(
    spec: Spec, tmp_path: Path
) -> None:
    spec.write(ONE_SERVICE)
    env = context_env(tmp_path)  # no forwarder: nothing listens on second.sock
    env["DOCKER_CONTEXT"] = "second"
    result = spec.run("start", env=env)
    assert result.returncode != 0
    assert (
        "Places looked at, in order: host option: not set; DOCKER_HOST: not set; "
        f"context 'second' (DOCKER_CONTEXT) (unix://{tmp_path / 'second.sock'}): no such file"
    ) in result.stderr, result.stderr
    assert spec.status()["db"]["container_id"] == ""  # nothing was created on the engine


def test_an_unknown_context_is_named_with_where_it_was_looked_for(
    spec: Spec, tmp_path: Path
) -> None:
    spec.write(ONE_SERVICE)
    result = spec.run("--context", "nosuch", "start", env=context_env(tmp_path))
    assert result.returncode != 0
    assert "docker context 'nosuch' (named by context option) does not exist" in result.stderr
    assert hashlib.sha256(b"nosuch").hexdigest() in result.stderr


# Run by sh in a mount namespace of its own: covers /var/run/docker.sock with
# an empty file ($0), so connecting to it is refused as to a dead engine's
# socket, for this command alone; then runs the command.
HIDE_DOCKER_SOCKET = (
    'if [ -e /var/run/docker.sock ]; then mount --bind "$0" /var/run/docker.sock; fi; exec "$@"'
)


def test_podmans_socket_is_used_when_no_docker_socket_answers(spec: Spec, tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("hiding /var/run/docker.sock needs root and unshare(1) (util-linux)")
    spec.write(ONE_SERVICE)
    runtime = tmp_path / "runtime"  # no docker.sock in it: the rootless socket is absent
    (runtime / "podman").mkdir(parents=True)
    empty = tmp_path / "empty"
    empty.touch()
    env = {"DOCKER_CONFIG": str(tmp_path / "no-config"), "DOCKER_HOST": "", "DOCKER_CONTEXT": ""}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    command = ["unshare", "--mount", "sh", "-c", HIDE_DOCKER_SOCKET, str(empty)]
    with forwarding(runtime / "podman" / "podman.sock") as podman:
        result = subprocess.run(
            [*command, sys.executable, str(spec.path), "start", "-v"],
            cwd=spec.directory,
            env=spec.env(env),
            capture_output=True,
            text=True,
            timeout=180,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert f"engine: unix://{runtime}/podman/podman.sock" in output, output
        assert "engine found by podman socket" in output, output
        assert podman.stdout is not None and podman.stdout.readline() == "connection\n"
    assert spec.status()["db"]["state"] == "running"
