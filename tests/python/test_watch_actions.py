"""The watch actions of the Session against the real engine: files copied
into a service's running container and deleted there, and the restart of one
service (its ping waited for, no post_start_init)."""

from __future__ import annotations

import json

from conftest import Spec

SPEC = """
class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = LOOP
    user = "1000:1000"

    def ping(self):
        record("ping")
        return True

    def post_start_init(self):
        record("init")


def act():
    session = drillmaster.Session(directory=os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1] == "copy":
        skipped = session.copy_files("web", json.loads(sys.argv[2]), json.loads(sys.argv[3]))
        print(json.dumps(skipped))
    elif sys.argv[1] == "restart":
        report = session.restart("web", timeout=30, stop_timeout=1)
        print(json.dumps([[o.service, o.outcome.name, o.reason] for o in report.services]))
    else:
        sys.stdout.write(session.exec("web", ["sh", "-c", sys.argv[2]]).stdout)
    sys.exit(0)


if len(sys.argv) > 1 and sys.argv[1] in ("copy", "restart", "sh"):
    act()
"""


def _ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_copy_files_copies_and_deletes_in_the_running_container(spec: Spec) -> None:
    spec.write(SPEC)
    _ok(spec.run("start"))
    site = spec.directory / "site"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("v1")
    (site / "docs" / "a.txt").write_text("a")
    files = [
        [str(site / "index.html"), "/tmp/www/index.html"],
        [str(site / "docs"), "/tmp/www/docs"],
    ]
    assert json.loads(_ok(spec.run("copy", json.dumps(files), "[]"))) == []
    look = "cat /tmp/www/index.html /tmp/www/docs/a.txt; stat -c ' %u' /tmp/www/index.html"
    out = _ok(spec.run("sh", look))
    assert out == "v1a 1000\n"

    gone = str(spec.directory / "gone.txt")
    copied = [[str(site / "index.html"), "/tmp/www/index.html"], [gone, "/tmp/www/gone.txt"]]
    skipped = json.loads(_ok(spec.run("copy", json.dumps(copied), json.dumps(["/tmp/www/docs"]))))
    assert len(skipped) == 1 and gone in skipped[0]
    assert _ok(spec.run("sh", "test -e /tmp/www/docs || echo deleted")) == "deleted\n"


def test_copy_files_into_a_stopped_service_says_to_start_it(spec: Spec) -> None:
    spec.write(SPEC)
    _ok(spec.run("start"))
    _ok(spec.run("stop"))
    (spec.directory / "a.txt").write_text("a")
    result = spec.run("copy", json.dumps([[str(spec.directory / "a.txt"), "/tmp/a.txt"]]), "[]")
    assert result.returncode != 0
    assert "Conflict" in result.stderr and "'web'" in result.stderr and "start it" in result.stderr


def test_restart_waits_for_the_ping_without_init(spec: Spec) -> None:
    spec.write(SPEC)
    _ok(spec.run("start"))
    before = spec.status()["web"]["container_id"]
    spec.clear_records()
    outcomes = json.loads(_ok(spec.run("restart")))
    assert outcomes == [["web", "RESTARTED", ""]]
    assert spec.records() == ["ping"]
    assert spec.status()["web"]["container_id"] == before
    assert spec.status()["web"]["state"] == "running"
