"""The CLI finds the engine as the docker command does: through a docker
context given with ``--context`` or named by ``currentContext`` in
``$DOCKER_CONFIG/config.json``, with ``DOCKER_HOST`` unset. The context's
endpoint is a second socket, a forwarder to the engine that reports each
connection it carries, so the tests prove the context was used and not
/var/run/docker.sock; ``-v`` says how the engine was found."""

from __future__ import annotations

import hashlib
import json
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


@pytest.fixture
def forwarder(tmp_path: Path) -> Iterator[subprocess.Popen]:
    """A second engine address: tmp_path/second.sock, forwarding to the engine."""
    proc = subprocess.Popen(
        [sys.executable, str(FORWARDER), str(tmp_path / "second.sock"), "/var/run/docker.sock"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()  # it exits when its stdin closes
    proc.wait(timeout=30)


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
