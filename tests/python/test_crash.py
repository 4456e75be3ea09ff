"""A start killed (kill -9) or terminated (SIGTERM) at any point is finished
correctly by the next start.

The start is stopped at a point a hook marks with a file: during db's
pre_start, during db's ping, right after db's post_start_init (while app is
being pinged), and during web's image build (a Dockerfile whose RUN step
prints a marker and then sleeps). Then `start` runs again, and the end state
must equal an uninterrupted start's: every service running, one container
each (`<group>-<service>-1`), each post_start_init run exactly once per
container, the context holding every key with the running containers' values;
`stop --remove` then leaves nothing (the `spec` fixture checks).
"""

from __future__ import annotations

import signal

import pytest
from conftest import IMAGE
from processes import PATIENCE, Watched, containers, env_of, read_json

CRASH = '''
POINT = os.environ.get("DM_STOP_AT", "")
HERE = os.path.dirname(os.path.abspath(__file__))
MARKS = os.path.join(HERE, "marks")

def mark(name):
    os.makedirs(MARKS, exist_ok=True)
    open(os.path.join(MARKS, name), "a").close()

def released():
    return os.path.exists(os.path.join(MARKS, "release"))

def hold(name):
    """Marks the point, then waits there until the test releases it."""
    mark(name)
    while not released():
        time.sleep(0.02)

def init_ran(service, container_id):
    with open(os.path.join(HERE, "inits.txt"), "a") as out:
        out.write(f"{service} {container_id}\\n")
        out.flush()
        os.fsync(out.fileno())

class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def pre_start(self):
        if POINT == "pre_start":
            hold("pre_start")

    def ping(self):
        if POINT == "ping" and not released():
            mark("ping")
            return False
        return True

    def post_start_init(self):
        init_ran("db", self.container_id)
        drillmaster.Context["db_password"] = "pw-" + self.container_id[:12]

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
    env = {"PW": "{db_password}"}

    def ping(self):
        if POINT == "after_init" and not released():
            mark("after_init")
            return False
        return True

    def post_start_init(self):
        init_ran("app", self.container_id)
        drillmaster.Context["app_token"] = "tok-" + self.container_id[:12]
'''

# Built once db is ready (its env needs db's value): the build runs alone.
WEB = """
class Web(drillmaster.Service):
    name = "web"
    build_from = "web"
    dependencies = ["db"]
    env = {"PW": "{db_password}"}

    def post_start_init(self):
        init_ran("web", self.container_id)
        drillmaster.Context["web_token"] = "tok-" + self.container_id[:12]
"""

# The RUN step prints 42 only when it runs (the Step line shows the
# expression), then takes long enough to be stopped in the middle.
DOCKERFILE = """FROM {image}
LABEL dmpy.group={group}
RUN echo "web-build-$((6*7))" && sleep 3
CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
"""

KEYS = {"db": "db_password", "app": "app_token", "web": "web_token"}


def write_spec(spec, point):
    services = ["app", "db"]
    body = CRASH
    if point == "build":
        body += WEB
        services.append("web")
        (spec.directory / "web").mkdir()
        (spec.directory / "web" / "Dockerfile").write_text(
            DOCKERFILE.format(image=IMAGE, group=spec.group)
        )
    spec.write(body)
    return sorted(services)


def stopped_start(spec, point, signum):
    """A start stopped by ``signum`` at ``point``; returns its exit status."""
    args = ["start", "--timeout", "60"] + (["-v"] if point == "build" else [])
    start = Watched(spec.popen(*args, env={"DM_STOP_AT": point}))
    if point == "build":
        start.wait_for_line("web-build-42")
    else:
        start.wait_for_file(spec.directory / "marks" / point)
    start.process.send_signal(signum)
    if signum == signal.SIGTERM and point == "pre_start":
        # A pre_start hook runs to its end: let it go once the cancel is under way.
        start.wait_for_line("Cancelling (SIGTERM)", stream="stderr")
        (spec.directory / "marks" / "release").touch()
    code = start.finish(timeout=PATIENCE)
    if signum == signal.SIGTERM:
        assert code == 143, start.output
        assert "start cancelled after" in start.output, start.output
        assert "not started: " in start.output, start.output
        assert "Traceback" not in start.output
    else:
        assert code == -signal.SIGKILL
    return code


def inits(spec):
    path = spec.directory / "inits.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    found = {}
    for line in lines:
        service, container_id = line.split()
        found.setdefault(service, []).append(container_id)
    return found


def assert_as_after_an_uninterrupted_start(spec, services):
    found = containers(spec.group)
    assert [(c["name"], c["state"]) for c in found] == [
        (f"{spec.group}-{s}-1", "running") for s in services
    ], found
    ran = inits(spec)
    context = read_json(spec.directory / ".drillmaster-context")
    assert context is not None, "no context file"
    for c in found:
        ids = ran.get(c["service"], [])
        # One init per container, and the running one's exactly once.
        assert len(ids) == len(set(ids)), (c["service"], ids)
        assert ids.count(c["id"]) == 1, (c["service"], c["id"], ids)
        prefix = "pw-" if c["service"] == "db" else "tok-"
        assert context.get(KEYS[c["service"]]) == prefix + c["id"][:12], (c, context)
        if c["service"] != "db":
            assert env_of(c["id"])["PW"] == context["db_password"], c


POINTS = ["pre_start", "ping", "after_init", "build"]
SIGNALS = [pytest.param(signal.SIGKILL, id="kill-9"), pytest.param(signal.SIGTERM, id="sigterm")]


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize("point", POINTS)
def test_the_next_start_finishes_a_stopped_one(spec, point, signum):
    services = write_spec(spec, point)
    stopped_start(spec, point, signum)

    if point in ("after_init", "build"):
        # db's init ran: its value is on disk, whatever happened next.
        context = read_json(spec.directory / ".drillmaster-context")
        assert context is not None and context.get("db_password", "").startswith("pw-")
    if signum == signal.SIGTERM:
        # Wound down: nothing left that a later start would take for set up
        # without being it (a Created dependant, an unpinged container).
        ran = inits(spec)
        for c in containers(spec.group):
            assert c["state"] == "running" and c["id"] in ran.get(c["service"], []), c

    again = spec.run("start", "--timeout", "60")
    assert again.returncode == 0, again.stdout + again.stderr
    assert_as_after_an_uninterrupted_start(spec, services)
