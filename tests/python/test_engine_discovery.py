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
from typing import Dict, Iterator, List, Optional

import pytest
from conftest import Spec

FORWARDER = Path(__file__).resolve().parents[1] / "support" / "unix_forwarder.py"

ONE_SERVICE = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
"""


def make_context(config: Path, name: str, host: str, skip_tls_verify: bool = False) -> None:
    """A context as `docker context create NAME --docker host=HOST` leaves it
    (with `,skip-tls-verify=true` when asked)."""
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    endpoint = {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}}
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

    # status names the engine it asked, and how it was found, under its table.
    table = spec.run("status", env=env)
    assert table.returncode == 0, table.stdout + table.stderr
    engine_line = table.stdout.splitlines()[-1]
    assert engine_line.startswith(f"engine: unix://{tmp_path / 'second.sock'} (unix socket)")
    assert engine_line.endswith(f", found by context 'second' ({config_file})"), engine_line


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


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def certificate(directory: Path, name: str, ca: str = "", extension: str = "") -> None:
    """name-cert.pem and name-key.pem in `directory`: self-signed, or signed
    by the CA `ca` (whose files are ca-cert.pem and ca-key.pem there) with
    the x509v3 `extension` line."""
    cert, key = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    subject = ["-subj", f"/CN=drillmaster-test-{name}"]
    keys = ["-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
    if not ca:
        openssl("req", "-x509", *keys, "-days", "1", *subject, "-out", str(cert))
        return
    request, extfile = directory / f"{name}.csr", directory / f"{name}.ext"
    extfile.write_text(extension + "\n")
    openssl("req", *keys, *subject, "-out", str(request))
    signer = ["-CA", str(directory / f"{ca}-cert.pem"), "-CAkey", str(directory / f"{ca}-key.pem")]
    signed = ["-out", str(cert), "-extfile", str(extfile)]
    openssl("x509", "-req", "-in", str(request), "-days", "1", *signer, "-CAcreateserial", *signed)


@contextlib.contextmanager
def tls_forwarder(cert: Path, key: Path, client_ca: Optional[Path] = None) -> Iterator[int]:
    """The engine as a remote one is reached: TCP on 127.0.0.1 with TLS.
    Yields its port."""
    verify = ["--client-ca", str(client_ca)] if client_ca else []
    proc = subprocess.Popen(
        [sys.executable, str(FORWARDER), "--tls", str(cert), str(key), *verify] + [engine_socket()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline().split()
        assert ready[:1] == ["ready"], ready
        yield int(ready[1])
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


@pytest.fixture
def tls_engine(tmp_path: Path) -> Iterator[int]:
    """The engine behind TLS with a self-signed certificate, which only a
    context that skips verification accepts."""
    certificate(tmp_path, "engine")
    with tls_forwarder(tmp_path / "engine-cert.pem", tmp_path / "engine-key.pem") as port:
        yield port


def test_tls_with_verification_both_ways_through_docker_tls_verify(
    spec: Spec, tmp_path: Path
) -> None:
    # As a daemon started with --tlsverify: the engine's certificate is
    # checked against ca.pem, and the engine checks ours.
    certificate(tmp_path, "ca")
    certificate(tmp_path, "engine", "ca", "subjectAltName=IP:127.0.0.1")
    certificate(tmp_path, "client", "ca", "extendedKeyUsage=clientAuth")
    certs = tmp_path / "certs"
    certs.mkdir()
    for name, source in (("ca", "ca-cert"), ("cert", "client-cert"), ("key", "client-key")):
        (certs / f"{name}.pem").write_bytes((tmp_path / f"{source}.pem").read_bytes())
    certificate(tmp_path, "stranger")  # a CA the engine's certificate is not from
    strangers = tmp_path / "stranger-certs"
    shutil.copytree(certs, strangers)
    (strangers / "ca.pem").write_bytes((tmp_path / "stranger-cert.pem").read_bytes())
    spec.write(ONE_SERVICE)
    engine = (tmp_path / "engine-cert.pem", tmp_path / "engine-key.pem", tmp_path / "ca-cert.pem")
    with tls_forwarder(*engine) as port:
        env = {"DOCKER_HOST": f"tcp://127.0.0.1:{port}", "DOCKER_TLS_VERIFY": "1"}
        refused = spec.run("start", env={**env, "DOCKER_CERT_PATH": str(strangers)})
        assert refused.returncode != 0
        # Said as a certificate problem, with what to check; not as an
        # engine that is not running.
        assert f"TLS with the engine failed at tcp://127.0.0.1:{port}: SSL certificate problem" in (
            refused.stderr
        )
        assert "ca.pem must be the CA that signed the engine's certificate" in refused.stderr
        assert f"DOCKER_HOST (tcp://127.0.0.1:{port}): TLS failed" in refused.stderr
        assert "Is dockerd running" not in refused.stderr, refused.stderr
        assert spec.status()["db"]["state"] == "missing"  # nothing was made

        started = spec.run("start", "-v", env={**env, "DOCKER_CERT_PATH": str(certs)})
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"engine: tcp://127.0.0.1:{port} (tcp, TLS with verification)" in started.stdout
        assert "engine found by DOCKER_HOST" in started.stdout
    assert spec.status()["db"]["state"] == "running"


def test_a_tls_context_without_verification_is_used_by_the_library_and_its_reaper(
    spec: Spec, tls_engine: int, tmp_path: Path
) -> None:
    # The reaper is a second process: it must reach the engine exactly as
    # the library did (no certificate files, verification off), or the
    # services of a program that exits would be left behind.
    from test_remove_on_exit import PROGRAM, assert_reaped, reapers

    config = tmp_path / "docker-config"
    make_context(config, "remote", f"tcp://127.0.0.1:{tls_engine}", skip_tls_verify=True)
    env = {"DOCKER_CONFIG": str(config), "DOCKER_HOST": "", "DOCKER_CONTEXT": "remote"}
    spec.write(PROGRAM)
    status = spec.run("status", env=env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.splitlines()[-1].startswith(
        f"engine: tcp://127.0.0.1:{tls_engine} (tcp, TLS without verification)"
    ), status.stdout

    program = spec.run(env={**env, "DM_PROGRAM": "exit"})
    assert program.returncode == 0, program.stdout + program.stderr
    assert program.stdout.strip() == "started"
    assert reapers(spec.group), "no reaper was started"
    assert_reaped(spec.group)


def without_system_sockets(command: List[str]) -> List[str]:
    """`command` run where /run is an empty tmpfs of its own (a mount
    namespace): /var/run/docker.sock and Podman's system socket are absent
    from its view, as on a machine whose only engine is elsewhere."""
    hide = 'mount -t tmpfs drillmaster-test /run && exec "$@"'
    return ["unshare", "--mount", "--map-root-user", "sh", "-c", hide, "sh", *command]


@pytest.fixture
def hidden_system_sockets() -> None:
    probe = subprocess.run(without_system_sockets(["true"]), capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here to hide /run in: {probe.stderr.strip()}")


def run_without_system_sockets(
    spec: Spec, *args: str, env: Dict[str, str]
) -> subprocess.CompletedProcess:
    return subprocess.run(
        without_system_sockets([sys.executable, str(spec.path), *args]),
        cwd=spec.directory,
        env=spec.env(env),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_context_is_all_it_takes_when_no_system_socket_is_there(
    spec: Spec, forwarder: subprocess.Popen, tmp_path: Path, hidden_system_sockets: None
) -> None:
    env = context_env(tmp_path)
    env["DOCKER_CONTEXT"] = "second"
    spec.write(ONE_SERVICE)
    started = run_without_system_sockets(spec, "start", "-v", env=env)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "engine found by context 'second' (DOCKER_CONTEXT)" in started.stdout, started.stdout
    assert forwarder.stdout is not None and forwarder.stdout.readline() == "connection\n"
    assert spec.status()["db"]["state"] == "running"


def test_a_rootless_socket_is_found_when_the_system_socket_is_absent(
    spec: Spec, tmp_path: Path, hidden_system_sockets: None
) -> None:
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    rootless = runtime / "docker.sock"
    spec.write(ONE_SERVICE)
    env = {"DOCKER_HOST": "", "DOCKER_CONTEXT": "", "DOCKER_CONFIG": str(tmp_path / "none")}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    with forwarding(rootless) as proc:
        started = run_without_system_sockets(spec, "start", "-v", env=env)
        output = started.stdout + started.stderr
        assert started.returncode == 0, output
        assert f"engine: unix://{rootless} (unix socket)" in output, output
        assert "engine found by rootless socket\n" in output, output
        assert proc.stdout is not None and proc.stdout.readline() == "connection\n"
    assert spec.status()["db"]["state"] == "running"  # on the engine behind it


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
