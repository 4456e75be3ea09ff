"""drillmaster.Context fills {key} placeholders and is saved beside the spec."""

from __future__ import annotations

import json
import os
import stat

import pytest

from drillmaster import ContextDict


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
