"""Two processes starting the same group at once: the group lock makes one
wait for the other, so each service gets exactly one container and its init
hook runs once."""

from __future__ import annotations

import subprocess

SLOW_DB = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def ping(self):
        time.sleep(0.5)  # holds the group for a moment
        return True

    def post_start_init(self):
        record("db init", os.getpid())

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
"""


def test_two_concurrent_starts_make_one_container_per_service(spec):
    spec.write(SLOW_DB)
    first = spec.popen("start")
    second = spec.popen("start")
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    for process, (out, err) in zip((first, second), outputs):
        assert process.returncode == 0, out + err
    inits = [line for line in spec.records() if line.startswith("db init")]
    assert len(inits) == 1, inits
    for service in ("db", "app"):
        names = subprocess.run(
            [
                "docker",
                "ps",
                "-a",
                "--format",
                "{{.Names}}",
                "--filter",
                f"label=io.drillmaster.group={spec.group}",
                "--filter",
                f"label=io.drillmaster.service={service}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert names == [f"{spec.group}-{service}-1"], names
    combined = "".join(out for out, _ in outputs)
    assert "already running" in combined, combined
