"""run and exec against the real engine: a one-off container of a service
(its exit status, stdin, output, Ctrl-C, --keep, what it publishes and what
status and start make of it), and commands in a running container from the
command line and from hooks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
from conftest import Spec

import drillmaster

SPEC = """
class Db(drillmaster.Service):
    image = IMAGE
    cmd = LOOP

class App(drillmaster.Service):
    image = IMAGE
    dependencies = ["db"]
    cmd = ["sh", "-c", "echo its own command"]
    ports = {80: None}
"""


def _docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _one_offs(spec: Spec) -> list[str]:
    """The group's one-off containers, by label."""
    return _docker(
        "ps",
        "-a",
        "--filter",
        f"label=io.drillmaster.group={spec.group}",
        "--filter",
        "label=io.drillmaster.oneoff=true",
        "--format",
        "{{.Names}}",
    ).split()


def test_run_passes_the_exit_status_and_the_output_through(spec: Spec) -> None:
    spec.write(SPEC)
    result = spec.run("run", "app", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout == "out\n"
    assert "err\n" in result.stderr
    # Its dependency was started first, as start starts it; the one-off is gone.
    assert spec.status()["db"]["state"] == "running"
    assert _one_offs(spec) == []


def test_run_without_a_command_runs_the_services_own(spec: Spec) -> None:
    spec.write(SPEC)
    result = spec.run("run", "app")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "its own command\n"


def test_a_one_off_that_cannot_start_is_reported_and_removed(spec: Spec) -> None:
    spec.write(SPEC)
    result = spec.run("run", "app", "--", "no-such-program")
    assert result.returncode == 1
    assert "service 'app': its one-off container" in result.stderr
    assert "did not start" in result.stderr and "no-such-program" in result.stderr
    assert _one_offs(spec) == []


def test_run_copies_stdin_to_the_container(spec: Spec) -> None:
    spec.write(SPEC)
    result = subprocess.run(
        [*_command(spec), "run", "app", "--", "cat"],
        input="piped data\nsecond line\n",
        capture_output=True,
        text=True,
        cwd=spec.directory,
        env=spec.env(),
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "piped data\nsecond line\n"


def _command(spec: Spec) -> list[str]:
    import sys

    return [sys.executable, str(spec.path)]


def test_ctrl_c_stops_and_removes_the_one_off(spec: Spec) -> None:
    spec.write(SPEC)
    run = spec.popen("run", "--stop-timeout", "1", "app", "--", "sh", "-c", "echo ready; sleep 60")
    assert run.stdout is not None
    assert run.stdout.readline() == "ready\n"  # it runs: now press Ctrl-C
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert _one_offs(spec) == []


def test_sigterm_stops_and_removes_the_one_off_and_exits_143(spec: Spec) -> None:
    spec.write(SPEC)
    run = spec.popen("run", "--stop-timeout", "1", "app", "--", "sh", "-c", "echo ready; sleep 60")
    assert run.stdout is not None
    assert run.stdout.readline() == "ready\n"
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 143, err
    assert _one_offs(spec) == []
    assert spec.status()["db"]["state"] == "running"  # what it started stays


def test_a_killed_run_leaves_its_one_off_to_stop_remove(spec: Spec) -> None:
    spec.write(SPEC.replace('["sh", "-c", "echo its own command"]', "LOOP"))
    run = spec.popen("run", "app", "--", "sh", "-c", "echo ready; sleep 60")
    assert run.stdout is not None
    assert run.stdout.readline() == "ready\n"
    run.kill()  # kill -9: nothing of drillmaster's runs any more
    run.communicate(timeout=60)
    [left] = _one_offs(spec)
    # Never taken for the service's container; the next start is not confused.
    assert spec.status()["app"]["state"] == "missing"
    assert spec.run("start").returncode == 0
    assert spec.status()["app"]["container_name"] == f"{spec.group}-app-1"
    stopped = spec.run("stop", "--remove", "--timeout", "1")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert left not in _docker("ps", "-a", "--format", "{{.Names}}").split()


def test_two_runs_at_once_get_their_own_one_offs(spec: Spec) -> None:
    spec.write(SPEC)
    script = "echo {}; sleep 1; echo done-{}"
    first = spec.popen("run", "app", "--", "sh", "-c", script.format("first", "first"))
    second = spec.popen("run", "app", "--", "sh", "-c", script.format("second", "second"))
    out_first, err_first = first.communicate(timeout=180)
    out_second, err_second = second.communicate(timeout=180)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert out_first == "first\ndone-first\n"
    assert out_second == "second\ndone-second\n"
    assert _one_offs(spec) == []
    assert spec.status()["db"]["state"] == "running"


def test_a_kept_one_off_is_never_taken_for_the_services_container(spec: Spec) -> None:
    spec.write(SPEC.replace('["sh", "-c", "echo its own command"]', "LOOP"))
    result = spec.run("run", "--keep", "app", "--", "true")
    assert result.returncode == 0, result.stderr
    [kept] = _one_offs(spec)
    assert kept.startswith(f"{spec.group}-app-run-")
    # status does not show it as the service's container...
    assert spec.status()["app"]["state"] == "missing"
    # ...start makes the service's own container beside it...
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert spec.status()["app"]["container_name"] == f"{spec.group}-app-1"
    assert _one_offs(spec) == [kept]
    # ...and stop --remove removes it with the group (the fixture checks).


def test_a_one_off_publishes_nothing_has_no_alias_and_no_restart_policy(spec: Spec) -> None:
    spec.write(SPEC)
    assert spec.run("run", "--keep", "app", "--", "true").returncode == 0
    [name] = _one_offs(spec)
    [info] = json.loads(_docker("inspect", name))
    assert not info["HostConfig"]["PortBindings"]
    assert info["HostConfig"]["RestartPolicy"]["Name"] == "no"
    network = f"drillmaster-{spec.group}"
    assert "app" not in (info["NetworkSettings"]["Networks"][network]["Aliases"] or [])
    assert info["Config"]["Labels"]["io.drillmaster.oneoff"] == "true"
    # --publish publishes the service's ports.
    _docker("rm", "-f", name)
    assert spec.run("run", "--keep", "--publish", "app", "--", "true").returncode == 0
    [published] = _one_offs(spec)
    [info] = json.loads(_docker("inspect", published))
    assert "80/tcp" in info["HostConfig"]["PortBindings"]


def test_exec_runs_in_the_running_container_with_its_exit_status(spec: Spec) -> None:
    spec.write(SPEC)
    assert spec.run("start", "--exclude", "app").returncode == 0
    result = spec.run("exec", "db", "--", "sh", "-c", "echo hi; echo bad >&2; exit 5")
    assert result.returncode == 5
    assert (result.stdout, result.stderr) == ("hi\n", "bad\n")
    piped = subprocess.run(
        [*_command(spec), "exec", "db", "--", "cat"],
        input="to the command\n",
        capture_output=True,
        text=True,
        cwd=spec.directory,
        env=spec.env(),
        timeout=120,
    )
    assert (piped.returncode, piped.stdout) == (0, "to the command\n"), piped.stderr


def test_exec_on_a_service_that_does_not_run_says_to_start_it(spec: Spec) -> None:
    spec.write(SPEC)
    never = spec.run("exec", "db", "--", "true")
    assert never.returncode == 1
    assert "service 'db'" in never.stderr and "has no container" in never.stderr
    assert "start" in never.stderr
    assert spec.run("start", "--exclude", "app").returncode == 0
    assert spec.run("stop").returncode == 0
    stopped = spec.run("exec", "db", "--", "true")
    assert stopped.returncode == 1
    assert "is not running" in stopped.stderr and "exited" in stopped.stderr
    assert "start db" in stopped.stderr


def test_hooks_run_commands_in_their_container(spec: Spec) -> None:
    spec.write("""
        class Db(drillmaster.Service):
            image = IMAGE
            cmd = ["sh", "-c", "echo -n seeded > /seed; " + LOOP[2]]

            def ping(self):
                return self.exec(["test", "-f", "/seed"]).ok

            def post_start_init(self):
                seed = self.exec(["cat", "/seed"])
                record("seed", seed.exit_code, seed.stdout)
                failing = self.exec(["sh", "-c", "echo oops >&2; exit 7"], text=False)
                record("failing", failing.exit_code, failing.stdout, failing.stderr)
    """)
    result = spec.run("start")
    assert result.returncode == 0, result.stdout + result.stderr
    assert spec.records() == ["seed 0 seeded", "failing 7 b'' b'oops\\n'"]


def test_pre_stop_runs_commands_in_the_container_before_it_stops(spec: Spec) -> None:
    spec.write("""
        class Db(drillmaster.Service):
            image = IMAGE
            cmd = ["sh", "-c", "echo -n rows > /data; " + LOOP[2]]

            def pre_stop(self):
                dump = self.exec(["cat", "/data"])
                record("dump", dump.exit_code, dump.stdout)
    """)
    started = spec.run("start")
    assert started.returncode == 0, started.stdout + started.stderr
    stopped = spec.run("stop", "--remove")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert spec.records() == ["dump 0 rows"]


def test_exec_timeout_names_the_service_and_the_command(spec: Spec) -> None:
    spec.write("""
        class Db(drillmaster.Service):
            image = IMAGE
            cmd = LOOP

            def post_start_init(self):
                try:
                    self.exec(["sleep", "30"], timeout=0.5)
                except drillmaster.Timeout as exc:
                    record(str(exc))
    """)
    assert spec.run("start").returncode == 0
    [said] = spec.records()
    assert "service 'db'" in said and "'sleep 30'" in said and "0.5 s" in said


# ---- without an engine ----


def test_exec_outside_a_hook_points_to_the_session(registry: None) -> None:
    class Db(drillmaster.Service):
        image = "x"

    with pytest.raises(drillmaster.InvalidArgument, match=r"Session\.exec\('db'"):
        Db().exec(["true"])


@pytest.mark.parametrize("argv", ["psql -c 'select 1'", [], ["ok", 3]])
def test_exec_wants_a_list_of_strings(registry: None, argv: object) -> None:
    class Db(drillmaster.Service):
        image = "x"

    with pytest.raises(drillmaster.InvalidArgument, match="non-empty list of strings"):
        Db().exec(argv)  # type: ignore[arg-type]


def test_exec_result_decodes_text_as_subprocess_does() -> None:
    r = drillmaster.ExecResult.from_core((0, b"caf\xc3\xa9", b"\xff"), text=True)
    assert (r.stdout, r.stderr, r.ok) == ("café", "\ufffd", True)
    raw = drillmaster.ExecResult.from_core((2, b"x", b""), text=False)
    assert (raw.stdout, raw.ok) == (b"x", False)


def _set_size(fd: int, rows: int, columns: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _in_a_terminal(spec: Spec, *args: str, resize_after: str = "") -> tuple[int, str]:
    """Runs the spec with a pseudo-terminal as its stdin, stdout and stderr,
    sized 30x100 (then 40x120 once ``resize_after`` was printed); returns
    its exit status and what the terminal showed."""
    import os
    import select
    import time

    master, slave = os.openpty()
    _set_size(slave, 30, 100)
    process = subprocess.Popen(
        [sys.executable, str(spec.path), *args],
        cwd=spec.directory,
        env=spec.env(None),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # the terminal becomes its controlling one
    )
    os.close(slave)
    shown, resized = b"", False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal's other end closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
        if resize_after and not resized and resize_after.encode() in shown:
            _set_size(master, 40, 120)
            resized = True
        if process.poll() is not None and not ready:
            break
    os.close(master)
    return process.wait(timeout=60), shown.decode(errors="replace").replace("\r\n", "\n")


def test_run_and_exec_give_a_terminal_sized_as_the_users(spec: Spec) -> None:
    spec.write(SPEC)
    status, shown = _in_a_terminal(
        spec,
        "run",
        "app",
        "--",
        "sh",
        "-c",
        # The size reaches the container just after it starts (the engine
        # takes a size at create only from API 1.42): stty waits for it.
        "tty; sleep 0.5; stty size; echo resize now; sleep 2; stty size; exit 5",
        resize_after="resize now",
    )
    assert status == 5, shown
    assert "/dev/pts/" in shown
    assert "30 100\n" in shown  # the user's terminal's size...
    assert "40 120\n" in shown  # ...followed when it changes
    assert _one_offs(spec) == []

    command = "tty; sleep 0.5; stty size; exit 6"
    status, shown = _in_a_terminal(spec, "exec", "db", "--", "sh", "-c", command)
    assert status == 6, shown
    assert "/dev/pts/" in shown and "30 100\n" in shown
