"""The fields of real stacks (restart, tmpfs, read_only, init, cap_add,
cap_drop, shm_size, mem_limit, cpus, ulimits, extra_hosts,
stop_grace_period), through the CLI as a user runs it: each reaches the
container the engine made, and the library refuses bad values before
anything runs."""

from __future__ import annotations

import json
import subprocess

STACK = """
class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    restart = "unless-stopped"
    tmpfs = ["/run", "/tmp:size=16m"]
    read_only = True
    init = True
    cap_add = ["CAP_NET_ADMIN"]
    cap_drop = ["MKNOD"]
    shm_size = "16m"
    mem_limit = 128 * 1024 * 1024
    cpus = 0.25
    ulimits = {"nofile": {"soft": 512, "hard": 1024}}
    extra_hosts = {"db.local": "10.1.2.3", "gateway.local": "host-gateway"}
    stop_grace_period = "1m30s"
"""


def inspect(name: str) -> dict:
    out = subprocess.run(["docker", "inspect", name], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def test_each_field_reaches_the_container(spec):
    spec.write(STACK)
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    container = inspect(f"{spec.group}-app-1")
    host = container["HostConfig"]
    assert host["RestartPolicy"] == {"Name": "unless-stopped", "MaximumRetryCount": 0}
    assert host["Tmpfs"] == {"/run": "", "/tmp": "size=16m"}
    assert host["ReadonlyRootfs"] is True
    assert host["Init"] is True
    assert host["CapAdd"] == ["CAP_NET_ADMIN"]
    assert host["CapDrop"] == ["MKNOD"]
    assert host["ShmSize"] == 16 * 1024 * 1024
    assert host["Memory"] == 128 * 1024 * 1024
    assert host["NanoCpus"] == 250_000_000
    assert host["Ulimits"] == [{"Name": "nofile", "Soft": 512, "Hard": 1024}]
    assert host["ExtraHosts"] == ["db.local:10.1.2.3", "gateway.local:host-gateway"]
    assert container["Config"]["StopTimeout"] == 90
    # Reused as it is by the next start: the definition did not change.
    again = spec.run("start")
    assert again.returncode == 0, again.stdout + again.stderr
    assert inspect(f"{spec.group}-app-1")["Id"] == container["Id"]
    # A stop stops it for good, whatever its restart policy.
    stopped = spec.run("stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert inspect(container["Id"])["State"]["Status"] == "exited"


def test_changing_a_field_replaces_the_container(spec):
    spec.write(STACK)
    assert spec.run("start").returncode == 0
    before = inspect(f"{spec.group}-app-1")["Id"]
    spec.write(STACK.replace('restart = "unless-stopped"', 'restart = "always"'))
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    after = inspect(f"{spec.group}-app-1")
    assert after["Id"] != before
    assert after["HostConfig"]["RestartPolicy"]["Name"] == "always"


def test_values_the_library_refuses_are_reported_where_the_class_is_defined(offline_spec):
    offline_spec.write("""
        class App(drillmaster.Service):
            name = "app"
            image = IMAGE
            restart = "sometimes"
            tmpfs = "tmp"
            cpus = -1
            mem_limit = "lots"
            ulimits = {"nofile": {"soft": 2048, "hard": 1024}}
            stop_grace_period = -1
        """)
    result = offline_spec.run("start")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    app = "service 'app' (class App):"
    for said in (
        f"{app} restart 'sometimes' is not a restart policy; use one of 'no', 'always', "
        "'unless-stopped', 'on-failure' or 'on-failure:N'",
        f"{app} tmpfs 'tmp' must start with an absolute path",
        f"{app} cpus -1 is not a number of CPUs; use a number above 0",
        f"{app} mem_limit 'lots' is not a size",
        f"{app} ulimit 'nofile' has a soft limit 2048 above its hard limit 1024",
        f"{app} stop_grace_period -1 s is not a grace period",
    ):
        assert said in out, out
