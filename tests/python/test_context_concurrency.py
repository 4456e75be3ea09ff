"""The Context is never lost: several starts at once, each merging into
.drillmaster-context under the group's lock, all find the value an init
hook stored, and the file stays whole."""

from __future__ import annotations

import json
import os
import stat

from processes import env_of

PASSWORD = """
import secrets

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def post_start_init(self):
        record("db init", self.container_id)
        drillmaster.Context["db_password"] = "pw-" + secrets.token_hex(8)

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
    env = {"PW": "{db_password}"}

    def post_start_init(self):
        record("app init", self.container_id)
"""


def test_five_concurrent_starts_all_find_the_init_value(spec):
    spec.write(PASSWORD)
    starts = [spec.popen("start") for _ in range(5)]
    outputs = [p.communicate(timeout=300) for p in starts]
    for process, (out, err) in zip(starts, outputs):
        assert process.returncode == 0, out + err

    saved = spec.directory / ".drillmaster-context"
    context = json.loads(saved.read_text())
    assert set(context) == {"db_password"}
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    assert [p.name for p in spec.directory.iterdir() if p.name.startswith(".drillmaster")] == [
        ".drillmaster-context"
    ]  # no temporary file, no lock file left beside it

    status = spec.status()
    assert {s["state"] for s in status.values()} == {"running"}
    for service in ("db", "app"):
        inits = [line.split()[2] for line in spec.records() if line.startswith(f"{service} init")]
        assert inits == [status[service]["container_id"]], spec.records()
    assert env_of(status["app"]["container_id"])["PW"] == context["db_password"]
