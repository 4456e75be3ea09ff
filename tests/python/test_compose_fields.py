"""Compose's fields on a spec started for real: ports as Compose strings
(an address, a free port) that ``self.host_port`` finds from a hook, an
env file beside the spec under ``env``, a secret file mounted read only,
labels; and a spec whose env file is missing loads, and fails at start
naming the file."""

from __future__ import annotations

import urllib.request

from conftest import Spec

COMPOSE = """
SERVE = ["sh", "-c", "mkdir -p /www && echo \\"$GREETING $NAME\\" > /www/index.html && "
         "cp /run/secrets/pw /www/pw && exec httpd -f -p 80 -h /www"]

def fetch(host, port, path=""):
    with urllib.request.urlopen(f"http://{host}:{port}/{path}", timeout=2) as answer:
        return answer.read().decode().strip()

class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = SERVE
    stop_signal = "SIGKILL"
    ports = ["127.0.0.1::80"]
    env_file = "web.env"
    env = {"NAME": "from env"}
    secrets = {"pw": "secrets/pw.txt"}
    labels = ["com.example.team=data"]
    hostname = "box"
    timeout = 60

    def ping(self):
        return fetch(*self.address(80)) != ""

    def post_start_init(self):
        host, port = self.address(80)
        record("init", host, self.host_port(80), fetch(host, port), fetch(host, port, "pw"))
"""


def test_compose_fields_reach_the_container_and_the_hooks(spec: Spec) -> None:
    spec.write(COMPOSE)
    (spec.directory / "web.env").write_text("# the web\nGREETING='hello there'\nNAME=from file\n")
    (spec.directory / "secrets").mkdir()
    (spec.directory / "secrets" / "pw.txt").write_text("s3cret\n")
    result = spec.run("start")
    assert result.returncode == 0, result.stdout + result.stderr
    published = spec.status()["web"]["published"]
    assert [(b["container_port"], b["host_ip"]) for b in published] == [("80/tcp", "127.0.0.1")]
    port = published[0]["host_port"]
    assert spec.records() == [f"init 127.0.0.1 {port} hello there from env s3cret"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/pw", timeout=10) as answer:
        assert answer.read().decode().strip() == "s3cret"


def test_a_missing_env_file_is_an_error_at_start_not_at_import(spec: Spec) -> None:
    spec.write(COMPOSE)
    assert spec.run("--help").returncode == 0
    result = spec.run("start")
    assert result.returncode != 0
    missing = spec.directory / "web.env"
    assert f"service 'web': env_file '{missing}' cannot be read" in result.stdout + result.stderr


def test_a_corrupt_env_file_is_refused_with_its_lines_and_nothing_starts(spec: Spec) -> None:
    spec.write(COMPOSE)
    (spec.directory / "web.env").write_bytes(b"GOOD=1\nBAD=\xff\xfe\nNUL=a\x00b\n")
    (spec.directory / "secrets").mkdir()
    (spec.directory / "secrets" / "pw.txt").write_text("s3cret\n")
    result = spec.run("start")
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert "line 2: it is not UTF-8 text" in said, said
    assert "line 3: it holds a NUL byte" in said, said
    assert "web.env" in said, said
    # Nothing was made from half a file: the values would have arrived changed.
    assert spec.status()["web"]["state"] == "missing"
