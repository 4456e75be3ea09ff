"""A .drillmaster-context that cannot be used (not JSON, not UTF-8, not an
object, a link, not a file): one line naming the file and the problem, exit
status 2, the file left exactly as it was; stop needs no context, and stop
--remove moves an unreadable file aside instead of deleting it."""

from __future__ import annotations

import os

import pytest
from conftest import IMAGE, leftovers

SPEC = """
class Db(drillmaster.Service):
    name = "db"
    cmd = LOOP
    build_from = "db"  # reload needs one; tagged drillmaster-<group>-db

    def post_start_init(self):
        drillmaster.Context["token"] = "t"

class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    cmd = LOOP
    dependencies = ["db"]
    env = {"TOKEN": "{token}"}
"""

CORRUPT = {
    "truncated": b'{"a":',
    "random-bytes": bytes([0xFF, 0x13, 0x9C, 0x00, 0x7B, 0xE2, 0x41, 0x80, 0x0A, 0xFE]) * 8,
    "invalid-utf8": b'{"token": "\xc3\x28"}',
    "an-array": b'["token"]',
}

PROBLEMS = {
    "truncated": "not valid JSON",
    "random-bytes": "not UTF-8 text (byte 0xff at offset 0)",
    "invalid-utf8": "not UTF-8 text (byte 0xc3 at offset 11)",
    "an-array": "holds an array, not a JSON object",
}


def one_error_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_a_corrupt_context_stops_start_reload_and_status(spec, kind):
    spec.write(SPEC)
    (spec.directory / "db").mkdir()
    (spec.directory / "db" / "Dockerfile").write_text(
        f"FROM {IMAGE}\nLABEL dmpy.group={spec.group}\n"
    )
    path = spec.directory / ".drillmaster-context"
    content = CORRUPT[kind]
    path.write_bytes(content)
    for args in (["start"], ["reload", "db"], ["status"]):
        result = spec.run(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        line = one_error_line(result)
        assert line.startswith(f"Error: {path}: ") and PROBLEMS[kind] in line, line
        assert path.read_bytes() == content
    assert leftovers(spec.group)["containers"] == []

    stopped = spec.run("stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert path.read_bytes() == content

    removed = spec.run("stop", "--remove")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not path.exists()
    [aside] = spec.directory.glob(".drillmaster-context.corrupt-*")
    assert aside.read_bytes() == content
    [note] = [line for line in removed.stdout.splitlines() if "moved aside" in line]
    assert note.startswith(f"{path}: {PROBLEMS[kind].split(' (')[0]}")
    assert note.endswith(f"moved aside to {aside.name}")

    started = spec.run("start")  # and the group is usable again
    assert started.returncode == 0, started.stdout + started.stderr


LINKED = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP

    def post_start_init(self):
        drillmaster.Context["token"] = "t"
"""


@pytest.mark.parametrize("kind", ["symlink", "dangling-symlink", "directory", "fifo"])
def test_a_context_that_is_not_a_regular_file_is_refused(spec, tmp_path, kind):
    spec.write(LINKED)
    path = spec.directory / ".drillmaster-context"
    target = tmp_path / "victim"
    if kind == "symlink":
        target.write_text('{"owned": true}')
        path.symlink_to(target)
    elif kind == "dangling-symlink":
        path.symlink_to(target)
    elif kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)
    words = {
        "symlink": "a symbolic link",
        "dangling-symlink": "a symbolic link",
        "directory": "a directory",
        "fifo": "a named pipe",
    }[kind]

    for args in (["start"], ["status"]):
        result = spec.run(*args, timeout=60)
        assert result.returncode == 2, result.stdout + result.stderr
        line = one_error_line(result)
        assert line.startswith(f"Error: {path}: is {words}, not a regular file"), line

    removed = spec.run("stop", "--remove", timeout=60)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert f"{path}: is {words}, not a regular file" in removed.stdout
    assert "left in place" in removed.stdout
    assert os.path.lexists(path)  # refused: neither followed, nor removed, nor moved
    if kind == "symlink":
        assert target.read_text() == '{"owned": true}'
    else:
        assert not target.exists()
