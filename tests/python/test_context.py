"""drillmaster.Context fills {key} placeholders and is saved beside the spec."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest

from drillmaster import ContextDict, ContextFileError, InvalidArgument, _context_file


def test_placeholders_are_filled():
    ctx = ContextDict(user="app", port=5433)
    assert ctx.interpolate("postgres://{user}@db:{port}/x") == "postgres://app@db:5433/x"


def test_double_braces_are_literal_and_json_is_left_alone():
    ctx = ContextDict(a="1")
    assert ctx.interpolate("{{a}} {a}") == "{a} 1"
    assert ctx.interpolate('{"a": {"b": 1}}') == '{"a": {"b": 1}}'


def test_missing_keys_are_named():
    ctx = ContextDict(a="1")
    assert ctx.missing("{a}{b}{c}{b}{{d}}") == ["b", "c"]
    with pytest.raises(KeyError, match="b"):
        ctx.interpolate("{b}")


def test_saved_atomically_with_mode_0600(tmp_path):
    ctx = ContextDict(token="abc", n=1)
    ctx.save(tmp_path)
    path = tmp_path / ".drillmaster-context"
    assert json.loads(path.read_text()) == {"token": "abc", "n": 1}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [".drillmaster-context"]  # no temporary left


def test_load_keeps_values_set_in_code(tmp_path):
    ContextDict(a="saved", b="saved").save(tmp_path)
    ctx = ContextDict(a="code")
    ctx.load(tmp_path)
    assert ctx == {"a": "code", "b": "saved"}


def test_load_without_a_file_and_remove(tmp_path):
    ctx = ContextDict()
    ctx.load(tmp_path)
    assert ctx == {}
    ContextDict(a=1).save(tmp_path)
    ctx.remove_file(tmp_path)
    ctx.remove_file(tmp_path)  # twice is fine
    assert not (tmp_path / ".drillmaster-context").exists()


def test_a_broken_file_says_what_to_do(tmp_path):
    (tmp_path / ".drillmaster-context").write_text("{not json")
    with pytest.raises(ValueError, match="delete it"):
        ContextDict().load(tmp_path)


# ---- merged, never replaced ----------------------------------------------------------


def saved(directory):
    return json.loads((directory / ".drillmaster-context").read_text())


def test_saves_of_two_processes_merge(tmp_path):
    """Two Contexts that each loaded nothing (as two processes starting at
    once would) both keep their keys: a save merges, it never replaces."""
    first, second = ContextDict(), ContextDict()
    first["a"] = 1
    second["b"] = 2
    first.save(tmp_path)
    second.save(tmp_path)
    assert saved(tmp_path) == {"a": 1, "b": 2}
    assert second == {"a": 1, "b": 2}  # a save also takes the others' values
    first.load(tmp_path)
    assert first == {"a": 1, "b": 2}


def test_only_keys_this_process_changed_are_written(tmp_path):
    mine, other = ContextDict(), ContextDict()
    mine["shared"] = "old"
    mine.save(tmp_path)
    other.load(tmp_path)
    other["shared"] = "new"
    other.save(tmp_path)
    mine["mine"] = "x"  # "shared" is unchanged here since the last save
    mine.save(tmp_path)
    assert saved(tmp_path) == {"shared": "new", "mine": "x"}
    assert mine == {"shared": "new", "mine": "x"}
    other["shared"] = "newest"
    other.save(tmp_path)
    assert other == {"shared": "newest", "mine": "x"}  # its own value, not the one it replaced


def test_a_deletion_is_merged_too(tmp_path):
    ContextDict(a=1, b=2).save(tmp_path)
    ctx = ContextDict()
    ctx.load(tmp_path)
    del ctx["a"]
    assert ctx.pop("missing", None) is None
    ctx.save(tmp_path)
    assert saved(tmp_path) == {"b": 2}


def test_an_empty_context_never_deletes_the_file(tmp_path):
    ContextDict(a=1).save(tmp_path)
    ContextDict().save(tmp_path)
    assert saved(tmp_path) == {"a": 1}
    emptied = ContextDict()
    emptied.load(tmp_path)
    emptied.clear()
    emptied.save(tmp_path)
    assert saved(tmp_path) == {}  # every key deleted on purpose: the file stays
    assert not list(tmp_path.glob("*.tmp"))


def test_every_way_of_setting_a_key_counts(tmp_path):
    ctx = ContextDict()
    ctx["a"] = 1
    ctx.update(b=2)
    ctx.setdefault("c", 3)
    ctx |= {"d": 4}
    ctx.save(tmp_path)
    assert saved(tmp_path) == {"a": 1, "b": 2, "c": 3, "d": 4}


def test_the_save_lock_leaves_nothing_behind(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    ContextDict(a=1).save(spec_dir)
    assert [p.name for p in spec_dir.iterdir()] == [".drillmaster-context"]
    lock_dir = runtime / "drillmaster"
    assert stat.S_IMODE(os.stat(lock_dir).st_mode) == 0o700
    assert list(lock_dir.iterdir()) == []  # the holder unlinks it before letting go


@pytest.mark.parametrize(
    "planted, problem",
    [
        ("writable", "it is writable by other users (mode 0777)"),
        ("symlink", "it is not a directory but a symbolic link"),
    ],
)
def test_a_lock_directory_others_could_swap_is_refused(tmp_path, monkeypatch, planted, problem):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    where = tmp_path / f"drillmaster-{os.geteuid()}"
    if planted == "writable":
        where.mkdir()
        where.chmod(0o777)  # anyone could put their own lock file there
    else:
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        where.symlink_to(tmp_path / "elsewhere")
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    # The library's rule and message: dm_runtime_directory() checks it.
    with pytest.raises(InvalidArgument, match=re.escape(f"lock files in {where}: {problem}")):
        ContextDict(a=1).save(spec_dir)
    assert not (spec_dir / ".drillmaster-context").exists()


# ---- a file that cannot be used ---------------------------------------------------------


@pytest.mark.parametrize(
    "content, problem",
    [
        (b'{"a":', "not valid JSON"),
        (bytes(range(256)) * 4, "not UTF-8 text (byte 0x80 at offset 128)"),
        (b'{"a": "\xff"}', "not UTF-8 text (byte 0xff at offset 7)"),
        (b'["a", "b"]', "holds an array, not a JSON object"),
        (b"", "not valid JSON"),
    ],
)
def test_an_unreadable_file_is_named_and_left_as_it_is(tmp_path, content, problem):
    path = tmp_path / ".drillmaster-context"
    path.write_bytes(content)
    ctx = ContextDict(a="mine")
    with pytest.raises(ContextFileError) as caught:
        ctx.load(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
    with pytest.raises(ContextFileError):
        ctx.save(tmp_path)  # never written over
    assert path.read_bytes() == content


def test_a_symlink_is_never_followed(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text('{"a": 1}')
    link = tmp_path / "spec"
    link.mkdir()
    (link / ".drillmaster-context").symlink_to(target)
    with pytest.raises(ContextFileError, match="is a symbolic link, not a regular file"):
        ContextDict().load(link)
    with pytest.raises(ContextFileError, match="is a symbolic link"):
        ContextDict(b=2).save(link)
    assert target.read_text() == '{"a": 1}'
    assert (link / ".drillmaster-context").is_symlink()


def test_a_fifo_or_a_directory_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / ".drillmaster-context")
    with pytest.raises(ContextFileError, match="is a named pipe"):
        ContextDict().load(tmp_path)
    os.unlink(tmp_path / ".drillmaster-context")
    (tmp_path / ".drillmaster-context").mkdir()
    with pytest.raises(ContextFileError, match="is a directory"):
        ContextDict(a=1).save(tmp_path)


def test_remove_moves_an_unreadable_file_aside(tmp_path):
    path = tmp_path / ".drillmaster-context"
    path.write_bytes(b'{"a":')
    note = _context_file.discard(tmp_path, path.read_bytes())
    assert not path.exists()
    [aside] = tmp_path.glob(".drillmaster-context.corrupt-*")
    assert aside.read_bytes() == b'{"a":'
    assert re.fullmatch(r"\.drillmaster-context\.corrupt-\d{8}T\d{6}Z", aside.name)
    assert (
        note == f"{path}: not valid JSON (Expecting value: line 1 column 6 (char 5)): "
        f"moved aside to {aside.name}"
    )
    path.write_bytes(b"\xff")  # a second one within the same second: a name of its own
    _context_file.discard(tmp_path, path.read_bytes())
    assert len(list(tmp_path.glob(".drillmaster-context.corrupt-*"))) == 2


def test_remove_keeps_values_saved_since_the_stop_began(tmp_path):
    ContextDict(old="1").save(tmp_path)
    before = _context_file.read_raw(tmp_path)
    ContextDict(new="2").save(tmp_path)  # another process's start, meanwhile
    _context_file.discard(tmp_path, before)
    assert saved(tmp_path) == {"new": "2"}
    _context_file.discard(tmp_path, _context_file.read_raw(tmp_path))
    assert not (tmp_path / ".drillmaster-context").exists()
