"""Every default of the Python face is the C library's, read through
dm_*_options_init(): a service's 300 s to be ready, one grace period of
10 s wherever a container is stopped, no parallelism cap, every log line."""

from __future__ import annotations

import inspect

import drillmaster
from drillmaster import Session, _core


def default(method, name: str):
    return inspect.signature(method).parameters[name].default


def test_the_library_gives_each_operations_defaults():
    d = _core.defaults()
    assert d["start"]["timeout"] == d["reload"]["timeout"] == 300.0
    assert d["stop"]["timeout"] == d["start"]["stop_timeout"] == d["reload"]["stop_timeout"] == 10.0
    assert d["start"]["parallelism"] == 0
    assert d["start"]["run_new_containers"] is d["reload"]["run_new_containers"] is False
    assert d["reload"]["keep_dependants"] is False  # the seed's: restart them
    assert d["logs"] == {"follow": False, "tail": -1}
    assert d["client"] == {"timeout": 0.0, "tls_verify": -1}
    assert d["status"] == {}


def test_the_session_waits_as_the_library_does():
    d = _core.defaults()
    assert default(Session.start, "timeout") == d["start"]["timeout"]
    assert default(Session.start, "stop_timeout") == d["start"]["stop_timeout"]
    assert default(Session.start, "parallelism") == d["start"]["parallelism"]
    assert default(Session.stop, "timeout") == d["stop"]["timeout"]
    assert default(Session.reload, "timeout") == d["reload"]["timeout"]
    assert default(Session.reload, "stop_timeout") == d["reload"]["stop_timeout"]
    assert default(Session.reload, "run_new_containers") is d["reload"]["run_new_containers"]
    assert default(Session.reload, "keep_dependants") is d["reload"]["keep_dependants"]
    assert default(Session.logs, "tail") == d["logs"]["tail"]


def test_up_and_its_environment_wait_as_the_library_does():
    d = _core.defaults()
    assert default(drillmaster.up, "timeout") == d["start"]["timeout"]
    assert default(drillmaster.up, "stop_timeout") == d["stop"]["timeout"]
    assert default(drillmaster.up, "parallelism") == d["start"]["parallelism"]
    assert default(drillmaster.Environment, "stop_timeout") == d["stop"]["timeout"]
    assert default(drillmaster.Environment.logs, "tail") == d["logs"]["tail"]
