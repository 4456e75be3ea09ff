"""Free host ports: ``ports = {80: None}`` (or ``0``) publishes on a port the
engine picks; hooks (``self.address``, ``self.host_port``), the Session
(``address``, ``host_port``) and ``status --json`` (``published``) say which,
and a post_start_init hands it to a dependant's env through the Context.
Two groups of one spec started at once each get their own port."""

from __future__ import annotations

import runpy
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import pytest
from conftest import Spec, _clean, free_port, leftovers
from processes import PATIENCE, env_of

import drillmaster
from drillmaster import InvalidArgument, NotFound, ServiceDefinitionError, ServiceLoadError
from drillmaster._service import definition

# httpd answering "ok" on container port 80; SIGKILL stops it at once.
SERVED = """
SERVE = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www"]

def fetch(address):
    host, port = address
    with urllib.request.urlopen(f"http://{host}:{port}/", timeout=2) as answer:
        return answer.read().decode().strip()
"""

FREE = (
    SERVED
    + """
class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = SERVE
    stop_signal = "SIGKILL"
    ports = {80: None}
    timeout = 60

    def pre_start(self):
        try:
            self.address(80)
        except drillmaster.NotFound as exc:
            record("pre_start", exc)

    def ping(self):  # connects wherever the engine published the port
        return fetch(self.address(80)) == "ok"

    def post_start_init(self):
        host, port = self.address(80)
        record("init", host, port, self.host_port("80/tcp"))
        drillmaster.Context["web_port"] = self.host_port(80)

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["web"]
    env = {"WEB_PORT": "{web_port}"}
"""
)

FIXED = """
class Fixed(drillmaster.Service):
    name = "fixed"
    image = IMAGE
    cmd = SERVE
    stop_signal = "SIGKILL"
    ports = {80: int(os.environ["FIXED_PORT"])}
"""


def fetch(host: str, port: int) -> str:
    with urllib.request.urlopen(f"http://{host}:{port}/", timeout=10) as answer:
        return answer.read().decode().strip()


def ipv4_port(row: dict) -> int:
    """The host port of the IPv4 binding of a ``status --json`` row."""
    return next(b["host_port"] for b in row["published"] if b["host_ip"] == "0.0.0.0")


def started(spec: Spec, env: Optional[Dict[str, str]] = None) -> None:
    result = spec.run("start", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def second_spec(spec: Spec, tmp_path: Path) -> Iterator[Spec]:
    """A spec of a second group, cleaned up and checked as ``spec`` is."""
    group = spec.group + "-b"
    directory = tmp_path / group
    directory.mkdir()
    other = Spec(directory, group)
    yield other
    if other.path.exists():
        other.run("stop", "--remove", "--timeout", "2", timeout=120)
    found = leftovers(group)
    _clean(group)
    assert found == {"containers": [], "networks": []}, f"left behind: {found}"


# ---- the field ----------------------------------------------------------------------


def test_none_and_zero_ask_for_a_free_port(registry: None) -> None:
    class Db(drillmaster.Service):
        image = "postgres:16"
        ports = {5432: None, "53/udp": 0, 8080: 8080}

    assert definition(Db).ports == [("5432", 0), ("53/udp", 0), ("8080", 8080)]
    drillmaster.Session([Db]).check()  # the C library takes 0 as "the engine picks"


def test_bad_host_ports_name_the_class_the_field_and_the_value(registry: None) -> None:
    for value, got in [("5432", "'5432' (str)"), (True, "True (bool)"), (1.5, "1.5 (float)")]:
        with pytest.raises(ServiceDefinitionError) as error:

            class Db(drillmaster.Service):
                image = "postgres:16"
                ports = {5432: value}

        assert (
            str(error.value) == f"Db.ports: "
            f"expected a dict of int to int or a list of str, got value {got} for key 5432"
        )

    # The values are the library's to judge, and it judges them where the
    # class is defined.
    with pytest.raises(ServiceDefinitionError) as error:

        class Web(drillmaster.Service):
            image = "busybox"
            ports = {80: -1, 81: 70000}

    assert str(error.value) == (
        "service 'web' (class Web): host port -1 for '80/tcp' is out of range (1-65535)\n"
        "service 'web' (class Web): host port 70000 for '81/tcp' is out of range (1-65535)"
    )


def test_addresses_are_asked_where_they_can_be_answered(registry: None) -> None:
    class Web(drillmaster.Service):
        image = "busybox"
        ports = {80: None}

    with pytest.raises(InvalidArgument) as error:
        Web().address(80)
    assert str(error.value) == (
        "Web.address: only known in a hook drillmaster runs (ping, post_start_init); "
        "elsewhere use Session.address('web', 80)"
    )
    session = drillmaster.Session([Web])
    with pytest.raises(InvalidArgument) as error:
        session.address("web", 80.0)  # type: ignore[arg-type]
    assert str(error.value) == (
        "service 'web': container port 80.0: expected an int or a str such as '53/udp', got float"
    )
    with pytest.raises(ServiceLoadError, match="no service named 'nope' \\(defined: web\\)"):
        session.host_port("nope", 80)


# ---- against the engine ------------------------------------------------------------


def test_two_groups_of_one_spec_started_at_once_each_get_their_own_port(
    spec: Spec, second_spec: Spec
) -> None:
    specs = (spec, second_spec)
    for s in specs:
        s.write(FREE)
    processes = [s.popen("start") for s in specs]
    outputs = [p.communicate(timeout=PATIENCE) for p in processes]
    for p, (out, err) in zip(processes, outputs):
        assert p.returncode == 0, out + err
    ports = []
    for s in specs:
        status = s.status()
        port = ipv4_port(status["web"])
        assert {b["container_port"] for b in status["web"]["published"]} == {"80/tcp"}
        assert status["web"]["ports"] == f"0.0.0.0:{port}->80/tcp"  # the text is unchanged
        assert status["app"]["published"] == []
        assert fetch("127.0.0.1", port) == "ok"
        # The init hook saw the same port, and the dependant got it through the Context.
        assert f"init 127.0.0.1 {port} {port}" in s.records()
        assert env_of(status["app"]["container_id"])["WEB_PORT"] == str(port)
        ports.append(port)
    assert ports[0] != ports[1]


def test_session_and_hooks_say_where_each_port_is(
    spec: Spec, registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed_port = free_port()
    spec.extra_env["FIXED_PORT"] = str(fixed_port)
    monkeypatch.setenv("FIXED_PORT", str(fixed_port))
    spec.write(FREE + FIXED)
    started(spec)
    g = spec.group
    assert spec.records()[0] == (
        "pre_start service 'web': no container yet (pre_start runs before it is created), "
        "so no port is published; ask in ping or post_start_init"
    )
    status = spec.status()
    port = ipv4_port(status["web"])
    assert f"init 127.0.0.1 {port} {port}" in spec.records()
    # Fixed ports are published as before, and listed alike.
    assert status["fixed"]["ports"] == f"0.0.0.0:{fixed_port}->80/tcp"
    assert ipv4_port(status["fixed"]) == fixed_port

    runpy.run_path(str(spec.path))  # the spec's classes, in this process
    session = drillmaster.Session(directory=spec.directory)
    assert session.address("web", 80) == ("127.0.0.1", port)
    assert session.host_port("web", "80/tcp") == port
    assert session.address("fixed", 80) == ("127.0.0.1", fixed_port)
    with drillmaster._core.Client() as client:  # the binding under it: an int or text
        web_id = status["web"]["container_id"]
        assert client.host_port(web_id, 80) == ("127.0.0.1", port)
        assert client.host_port(f"{g}-web-1", "80/tcp") == ("127.0.0.1", port)
    assert fetch(*session.address("fixed", 80)) == "ok"

    with pytest.raises(NotFound) as error:
        session.address("web", 81)
    assert str(error.value) == (
        f"service 'web': container '{g}-web-1' does not publish 81/tcp "
        f"(published: 80/tcp on host port {port}); add it to the service's ports"
    )
    with pytest.raises(
        NotFound, match="service 'app': .* does not publish 80/tcp \\(published: none\\)"
    ):
        session.address("app", 80)
    with pytest.raises(InvalidArgument, match="service 'web': container port 'http' is not a port"):
        session.address("web", "http")

    result = spec.run("stop")
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(NotFound) as error:
        session.host_port("web", 80)
    assert str(error.value) == (
        f"service 'web': container '{g}-web-1' is not running (exited), so it publishes no "
        "ports and 80/tcp has no host port; start it first"
    )
    assert spec.status()["web"]["published"] == []
    result = spec.run("stop", "--remove")
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(NotFound) as error:
        session.address("web", 80)
    assert str(error.value) == (
        f"service 'web' has no container in group '{g}', so it publishes no port 80; start it first"
    )


# A ping that stores the port: it runs after every start of the container,
# also when start restarts a stopped one (post_start_init does not).
PINGED = (
    SERVED
    + """
class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = SERVE
    stop_signal = "SIGKILL"
    ports = {80: 0 if os.environ.get("ZERO") else None}
    timeout = 60

    def ping(self):
        drillmaster.Context["web_port"] = self.host_port(80)
        return fetch(self.address(80)) == "ok"

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["web"]
    env = {"WEB_PORT": "{web_port}"}
"""
)


def web_and_app(spec: Spec) -> Tuple[str, int, str]:
    """The web container, its port, and the port the app's env holds."""
    status = spec.status()
    app_env = env_of(status["app"]["container_id"])
    return status["web"]["container_id"], ipv4_port(status["web"]), app_env["WEB_PORT"]


def test_a_free_port_container_is_reused_and_its_new_port_reaches_the_dependant(
    spec: Spec,
) -> None:
    spec.write(PINGED)
    started(spec)
    web, port, app_port = web_and_app(spec)
    assert app_port == str(port)

    # None and 0 are one definition: the running container is kept, not recreated.
    started(spec, env={"ZERO": "1"})
    assert web_and_app(spec) == (web, port, str(port))
    assert spec.status()["web"]["outdated"] is False

    # Stopped and started: the same container, on the port the engine picks
    # now (dockerd 20.10 picks a new one), which the ping hands on.
    result = spec.run("stop")
    assert result.returncode == 0, result.stdout + result.stderr
    started(spec)
    again, new_port, app_port = web_and_app(spec)
    assert again == web
    assert app_port == str(new_port)
    assert fetch("127.0.0.1", new_port) == "ok"
