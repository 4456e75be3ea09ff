"""The Python README's example, run as the README says (saved as spec.py,
made executable, started), with only the images it names replaced by local
stand-ins: the test fails when the README drifts from the code."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

from conftest import REPO, Spec, leftovers
from processes import env_of

README = REPO / "bindings" / "python" / "README.md"
BASE = "drillmaster-test/busybox:latest"
# Stand-ins: a "database" that answers PostgreSQL's SSLRequest with "N" (no
# TLS), as postgres does, and an application that just runs.
DB_CMD = "trap 'exit 0' TERM; while :; do printf N | nc -l -p 5432; done"
APP_CMD = "trap 'exit 0' TERM; while :; do sleep 1; done"


def readme_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "bindings/python/README.md has no python example"
    return blocks[0]


def build_stand_in(tag: str, group: str, cmd: str, directory) -> None:
    (directory / "Dockerfile").write_text(f"FROM {BASE}\nCMD {json.dumps(['sh', '-c', cmd])}\n")
    subprocess.run(
        ["docker", "build", "-q", "-t", tag, "--label", f"dmpy.group={group}", str(directory)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_the_readme_example_runs_as_written(spec: Spec, tmp_path):
    code = readme_example()
    assert '"postgres:16"' in code and '"myapp:latest"' in code
    assert port_free(5433), "the README's host port 5433 is taken on this machine"
    db_image, app_image = f"dmpy-readme-db:{spec.group}", f"dmpy-readme-app:{spec.group}"
    for tag, cmd, name in ((db_image, DB_CMD, "db"), (app_image, APP_CMD, "app")):
        context = tmp_path / f"stand-in-{name}"
        context.mkdir()
        build_stand_in(tag, spec.group, cmd, context)
    code = code.replace('"postgres:16"', repr(db_image)).replace('"myapp:latest"', repr(app_image))
    spec.path.write_text(code)
    spec.path.chmod(0o755)  # the README's chmod +x

    # `#! /usr/bin/env python3` finds the interpreter running the tests first,
    # as it would in the user's activated venv.
    bin_dir = os.path.dirname(sys.executable)
    started = subprocess.run(
        ["./spec.py", "start"],
        cwd=spec.directory,
        env=spec.env({"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    status = spec.status()
    assert status["appdb"]["state"] == "running"
    assert status["application"]["state"] == "running"
    env = env_of(status["application"]["container_id"])
    assert env["DATABASE_URL"] == "postgresql://postgres:dbpwd@appdb:5432/postgres"
    with socket.create_connection(("127.0.0.1", 5433), timeout=5) as conn:  # ports: 5432 -> 5433
        conn.sendall(b"\x00\x00\x00\x08\x04\xd2\x16\x2f")
        assert conn.recv(1) == b"N"

    stopped = spec.run("stop", "--remove")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert leftovers(spec.group) == {"containers": [], "networks": []}
