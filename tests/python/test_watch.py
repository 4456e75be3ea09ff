"""`./spec.py watch` against the real engine: a saved file is synced into
the running container, restarts it, or rebuilds it, as the service's watch
rules say; what the rules ignore is left alone; a broken build leaves the old
container serving; a storm of saves is coalesced; Ctrl-C and SIGTERM end the
watch and leave the services running. Each test reads the container's files
(docker exec) or its identity (docker inspect) to see what happened."""

from __future__ import annotations

import signal
import subprocess

import pytest
from processes import Watched, containers

SYNCED = """
class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = LOOP
    watch = [
        drillmaster.Watch("site", action="sync", target="/www", ignore=["*.tmp", "drafts/"]),
        drillmaster.Watch("site/conf", action="sync+restart", target="/etc/web"),
    ]

    def ping(self):
        record("web ping")
        return True

    def post_start_init(self):
        record("web init")
"""

BUILT = """
class App(drillmaster.Service):
    name = "app"
    build_from = "app"
    cmd = LOOP

    def post_start_init(self):
        record("app init")

class Worker(drillmaster.Service):
    name = "worker"
    image = IMAGE
    cmd = LOOP
    dependencies = ["app"]
"""

DOCKERFILE = f"FROM {'drillmaster-test/busybox:latest'}\nCOPY message.txt /message.txt\n"


def read(group: str, service: str, path: str) -> str | None:
    """A file's content in the service's running container, None if absent
    (also while a rebuild has removed the old container and not yet made the
    new one)."""
    found = [c for c in containers(group) if c["service"] == service]
    if not found:
        return None
    (container,) = found
    done = subprocess.run(
        ["docker", "exec", container["name"], "cat", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout if done.returncode == 0 else None


def container_of(group: str, service: str) -> dict:
    (container,) = [c for c in containers(group) if c["service"] == service]
    return container


def started_at(group: str, service: str) -> str:
    return subprocess.run(
        [
            "docker",
            "inspect",
            "--format",
            "{{.State.StartedAt}}",
            container_of(group, service)["id"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def watching(spec, *args: str) -> Watched:
    watch = Watched(spec.popen("watch", *args))
    watch.wait_for_line("watching ")
    return watch


def end(watch: Watched, signum: int = signal.SIGINT) -> None:
    watch.process.send_signal(signum)
    assert watch.finish() == 128 + signum, watch.output
    assert "stopped watching; the services keep running" in watch.output


def test_sync_copies_changed_and_new_files_and_deletes_removed_ones(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    (site / "index.html").write_text("one")
    (site / "gone.txt").write_text("soon gone")
    spec.write(SYNCED)
    watch = watching(spec)
    # The first sync makes the container match the files.
    watch.wait_for(lambda: read(spec.group, "web", "/www/index.html") == "one", "the first sync")
    (site / "index.html").write_text("two")
    watch.wait_for(lambda: read(spec.group, "web", "/www/index.html") == "two", "a changed file")
    (site / "new" / "deeper").mkdir(parents=True)
    (site / "new" / "deeper" / "page.html").write_text("new")
    watch.wait_for(
        lambda: read(spec.group, "web", "/www/new/deeper/page.html") == "new", "a new file"
    )
    (site / "gone.txt").unlink()
    watch.wait_for(lambda: read(spec.group, "web", "/www/gone.txt") is None, "a deleted file")
    line = watch.wait_for_line("web: sync of ")
    assert " in " in line and " s" in line, line
    # Syncing restarts nothing: one ping and one init, from the start.
    assert spec.records().count("web init") == 1
    assert container_of(spec.group, "web")["state"] == "running"
    end(watch)


def test_ignore_patterns_and_a_build_contexts_dockerignore_are_honoured(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    (site / "drafts").mkdir()
    app = spec.directory / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(DOCKERFILE)
    (app / "message.txt").write_text("v1")
    (app / ".dockerignore").write_text("notes.md\n")
    spec.write(SYNCED + BUILT)
    watch = watching(spec)
    app_id = container_of(spec.group, "app")["id"]
    (site / "scratch.tmp").write_text("ignored")
    (site / "drafts" / "idea.html").write_text("ignored")
    (app / "notes.md").write_text("ignored by the context")
    (site / "kept.html").write_text("kept")
    watch.wait_for(lambda: read(spec.group, "web", "/www/kept.html") == "kept", "the kept file")
    assert read(spec.group, "web", "/www/scratch.tmp") is None
    assert read(spec.group, "web", "/www/drafts/idea.html") is None
    assert container_of(spec.group, "app")["id"] == app_id, "an ignored file rebuilt app"
    assert "notes.md" not in watch.output
    end(watch, signal.SIGTERM)


def test_sync_restart_restarts_the_container_and_waits_for_its_ping_without_init(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    (site / "conf" / "web.conf").write_text("a=1")
    spec.write(SYNCED)
    watch = watching(spec)
    watch.wait_for(lambda: read(spec.group, "web", "/etc/web/web.conf") == "a=1", "the first sync")
    before = started_at(spec.group, "web")
    container = container_of(spec.group, "web")["id"]
    pings = spec.records().count("web ping")
    (site / "conf" / "web.conf").write_text("a=2")
    watch.wait_for_line("web: sync+restart of ")
    assert read(spec.group, "web", "/etc/web/web.conf") == "a=2"
    assert container_of(spec.group, "web")["id"] == container, "restarted in place"
    assert started_at(spec.group, "web") != before
    assert spec.records().count("web ping") > pings
    assert spec.records().count("web init") == 1
    end(watch)


def test_rebuild_recreates_the_service_and_a_broken_build_leaves_the_old_one(spec):
    app = spec.directory / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(DOCKERFILE)
    (app / "message.txt").write_text("v1")
    spec.write(BUILT)
    watch = watching(spec)
    first = container_of(spec.group, "app")["id"]
    (app / "message.txt").write_text("v2")
    watch.wait_for_line("app: rebuild of ")
    assert read(spec.group, "app", "/message.txt") == "v2"
    second = container_of(spec.group, "app")["id"]
    assert second != first
    assert spec.records().count("app init") == 2
    assert container_of(spec.group, "worker")["state"] == "running"
    # A broken Dockerfile: the failure is shown, the old container serves on.
    (app / "Dockerfile").write_text("FROM drillmaster-test/busybox:latest\nRUN exit 7\n")
    watch.wait_for_line("failed after")
    assert container_of(spec.group, "app")["id"] == second
    assert container_of(spec.group, "app")["state"] == "running"
    assert read(spec.group, "app", "/message.txt") == "v2"
    # The next save that fixes it recovers.
    (app / "message.txt").write_text("v3")
    (app / "Dockerfile").write_text(DOCKERFILE)
    watch.wait_for(lambda: read(spec.group, "app", "/message.txt") == "v3", "the fixed build")
    end(watch)


def test_a_storm_of_saves_is_coalesced(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    spec.write(SYNCED)
    watch = watching(spec)
    storm = site / "storm"
    storm.mkdir()
    for i in range(500):
        (storm / f"f{i:03}.txt").write_text(str(i))
    watch.wait_for(lambda: read(spec.group, "web", "/www/storm/f499.txt") == "499", "the storm")
    count = subprocess.run(
        [
            "docker",
            "exec",
            container_of(spec.group, "web")["name"],
            "sh",
            "-c",
            "ls /www/storm | wc -l",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert count == "500", watch.output
    syncs = [line for line in watch.lines["stdout"] if line.startswith("web: sync of ")]
    # Saves that come while an action runs wait for it and go together.
    assert 1 <= len(syncs) <= 3, syncs
    assert any(" files in " in line for line in syncs), syncs
    end(watch)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_the_watch_and_leaves_the_services_running(spec, signum):
    (spec.directory / "site" / "conf").mkdir(parents=True)
    spec.write(SYNCED)
    watch = watching(spec)
    container = container_of(spec.group, "web")
    end(watch, signum)
    assert container_of(spec.group, "web") == container
    assert container["state"] == "running"
    # Nothing holds the group: another command runs at once.
    assert spec.run("status").returncode == 0


def test_status_and_stop_from_another_terminal_during_a_watch(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    spec.write(SYNCED)
    watch = watching(spec)
    assert spec.run("status", timeout=60).returncode == 0
    stopped = spec.run("stop", "--timeout", "1", timeout=60)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    # A save now finds no running container: said, and the watch goes on.
    (site / "late.html").write_text("late")
    line = watch.wait_for_line("web: sync of ")
    assert "failed" in line and "start" in line, line
    end(watch)


def test_a_watch_path_that_does_not_exist_is_a_definition_error(spec):
    spec.write(SYNCED)  # no site/ directory
    done = spec.run("watch", timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "web" in done.stderr and "site" in done.stderr, done.stderr
    assert containers(spec.group) == []


def test_a_spec_without_watch_rules_says_there_is_nothing_to_watch(spec):
    spec.write(
        """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
"""
    )
    done = spec.run("watch", timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "nothing to watch" in done.stderr
    assert containers(spec.group) == []


SLOW_DOCKERFILE = (
    "FROM drillmaster-test/busybox:latest\n"
    "COPY message.txt /message.txt\n"
    "RUN if grep -q slow /message.txt; then sleep 60; fi\n"
)


def building_slowly() -> bool:
    """The engine runs the slow build step now (the classic builder runs
    each RUN step in a container of its own)."""
    running = subprocess.run(
        ["docker", "ps", "--no-trunc", "--format", "{{.Command}}"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return "sleep 60" in running


def test_ctrl_c_cancels_a_rebuild_in_progress_and_leaves_the_old_container(spec):
    app = spec.directory / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(SLOW_DOCKERFILE)
    (app / "message.txt").write_text("fast")
    spec.write(BUILT)
    watch = watching(spec)
    before = container_of(spec.group, "app")
    (app / "message.txt").write_text("slow")
    watch.wait_for(building_slowly, "the slow build step")
    watch.process.send_signal(signal.SIGINT)
    # Well before the step's 60 s: the build was cancelled, not waited for.
    assert watch.finish(timeout=40) == 130, watch.output
    assert "stopped watching; the services keep running" in watch.output
    assert container_of(spec.group, "app") == before
    assert read(spec.group, "app", "/message.txt") == "fast"


def test_a_killed_watch_leaves_the_old_container_and_no_lock_behind(spec):
    app = spec.directory / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(SLOW_DOCKERFILE)
    (app / "message.txt").write_text("fast")
    spec.write(BUILT)
    watch = watching(spec)
    before = container_of(spec.group, "app")
    (app / "message.txt").write_text("slow")
    watch.wait_for(building_slowly, "the slow build step")
    watch.process.kill()  # kill -9 in the middle of the rebuild, group lock held
    watch.finish()
    assert container_of(spec.group, "app") == before
    assert read(spec.group, "app", "/message.txt") == "fast"
    # Nothing holds the group: the next command runs, and a fixed save rebuilds.
    (app / "message.txt").write_text("after")
    again = spec.run("reload", "app", timeout=180)
    assert again.returncode == 0, again.stdout + again.stderr
    assert read(spec.group, "app", "/message.txt") == "after"
    assert container_of(spec.group, "worker")["state"] == "running"


def test_two_watches_of_one_spec_take_turns(spec):
    site = spec.directory / "site"
    (site / "conf").mkdir(parents=True)
    spec.write(SYNCED)
    first = watching(spec)
    second = watching(spec)
    (site / "both.html").write_text("both")
    for watch in (first, second):
        line = watch.wait_for_line("web: sync of site/both.html")
        assert "failed" not in line, watch.output
    assert read(spec.group, "web", "/www/both.html") == "both"
    assert len(containers(spec.group)) == 1
    end(first)
    end(second)
