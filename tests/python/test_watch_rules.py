"""Watch rules in Python: ``drillmaster.Watch``, the ``watch`` attribute's
checks, and ``_core.Watcher`` routing changed paths without an engine."""

from __future__ import annotations

import os

import pytest

import drillmaster
from drillmaster import ServiceDefinitionError, Watch, _core
from drillmaster._fields import FIELDS
from drillmaster._service import definition
from drillmaster._watch import ACTIONS

pytestmark = pytest.mark.usefixtures("registry")


def define(**attrs):
    return type("Application", (drillmaster.Service,), {"image": "busybox", **attrs})


def error_of(**attrs) -> str:
    with pytest.raises(ServiceDefinitionError) as info:
        define(**attrs)
    return str(info.value)


def test_a_watch_takes_one_of_three_actions():
    assert Watch("site").action == "sync"
    assert Watch("src", action="rebuild").arguments() == ("src", _core.WATCH_REBUILD, None, [])
    with pytest.raises(ValueError) as info:
        Watch("site", action="copy")
    assert str(info.value) == (
        "Watch 'site': action 'copy' is unknown; use one of 'sync', 'sync+restart', 'rebuild'"
    )


def test_the_action_names_are_the_librarys():
    assert list(ACTIONS) == ["sync", "sync+restart", "rebuild"]
    for name, number in ACTIONS.items():
        assert _core.watch_action_name(number) == name
    assert _core.watch_action_name(0) == "unknown"


def test_a_watch_is_frozen():
    with pytest.raises(AttributeError):
        Watch("site").path = "other"  # type: ignore[misc]


def test_watch_must_be_a_list_of_watch():
    expected = "Application.watch: expected a list of drillmaster.Watch, got "
    assert error_of(watch=Watch("site")) == expected + "Watch"
    assert error_of(watch="site") == expected + "str"
    assert error_of(watch=["site"]) == expected + "list containing str 'site'"
    assert error_of(watch=[Watch("site", target=3)]) == (
        "Application.watch: expected a Watch target as a str, got Watch target 3"
    )
    assert error_of(watch=[Watch("site", target="/www", ignore="*.log")]) == (
        "Application.watch: expected Watch ignore as a list of str, got Watch ignore '*.log'"
    )


def core_group(tmp_path, **attrs):
    """A _core.Group in tmp_path holding the class `web` with the attributes."""
    cls = type("Web", (drillmaster.Service,), {"image": "busybox", **attrs})
    group = _core.Group("watch-rules-py")
    group.directory = str(tmp_path)
    service = group.add_service("web", "busybox")
    values = definition(cls).values
    for f in FIELDS:
        if f.name not in ("name", "image"):
            f.apply(service, values)
    return group


def test_the_watcher_routes_paths_to_the_most_specific_rule(tmp_path):
    (tmp_path / "app" / "static").mkdir(parents=True)
    (tmp_path / "app" / "static" / "a.css").write_text("a")
    (tmp_path / "app" / "main.py").write_text("m")
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    group = core_group(
        tmp_path,
        build_from="app",
        watch=[
            Watch("app", action="rebuild"),
            Watch("app/static", target="/srv/static", ignore=["*.map"]),
        ],
    )
    watcher = _core.Watcher(group)
    assert watcher.roots() == [str(tmp_path / "app")]
    css = str(tmp_path / "app" / "static" / "a.css")
    gone = str(tmp_path / "app" / "static" / "old.css")
    ignored = str(tmp_path / "app" / "static" / "a.css.map")
    batch = watcher.route([css, gone, ignored, css])
    assert batch.entries() == [
        (
            "web",
            _core.WATCH_SYNC,
            [(css, "/srv/static/a.css", False), (gone, "/srv/static/old.css", True)],
        )
    ]
    assert batch.skipped() == []
    main = str(tmp_path / "app" / "main.py")
    batch = watcher.route([main, css])
    assert [(s, a) for s, a, _ in batch.entries()] == [("web", _core.WATCH_REBUILD)]
    assert batch.entries()[0][2] == [(main, "", False), (css, "/srv/static/a.css", False)]


def test_the_watcher_refuses_links_out_and_parent_components(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret").write_text("s")
    os.symlink(tmp_path / "secret", tmp_path / "site" / "link")
    group = core_group(tmp_path, watch=[Watch("site", target="/www")])
    watcher = _core.Watcher(group, ["web"])
    sneaky = str(tmp_path / "site" / ".." / "secret")
    batch = watcher.route([str(tmp_path / "site" / "link"), sneaky])
    assert batch.entries() == []
    assert batch.skipped() == [
        (str(tmp_path / "site" / "link"), "a symbolic link that leads out of 'site'"),
        (sneaky, "a path with a '..' component"),
    ]


def test_the_initial_sync_lists_the_files(tmp_path):
    (tmp_path / "site" / "sub").mkdir(parents=True)
    (tmp_path / "site" / "sub" / "b.txt").write_text("b")
    (tmp_path / "site" / "a.txt").write_text("a")
    group = core_group(tmp_path, watch=[Watch("site", action="sync+restart", target="/www")])
    batch = _core.Watcher(group).initial()
    assert len(batch) == 1
    assert batch.entries() == [
        (
            "web",
            _core.WATCH_SYNC,
            [
                (str(tmp_path / "site" / "a.txt"), "/www/a.txt", False),
                (str(tmp_path / "site" / "sub" / "b.txt"), "/www/sub/b.txt", False),
            ],
        )
    ]


def test_the_watcher_validates_the_group(tmp_path):
    group = core_group(tmp_path, watch=[Watch("missing", target="/www")])
    with pytest.raises(drillmaster.InvalidArgument) as info:
        _core.Watcher(group)
    assert str(info.value) == (
        f"service 'web': watch 'missing' path '{tmp_path}/missing' does not exist; create it, "
        f"or give a path relative to the group's directory '{tmp_path}'"
    )
    with pytest.raises(drillmaster.NotFound):
        _core.Watcher(core_group(tmp_path), ["nope"])
    with pytest.raises(TypeError):
        _core.Watcher("not a group")  # type: ignore[arg-type]


def test_the_library_refuses_bad_values_when_the_class_is_defined():
    assert error_of(watch=[Watch("site", target="www")]) == (
        "service 'application' (class Application): watch 'site' target 'www' is not "
        "absolute; give the absolute path in the container (e.g. '/www')"
    )
    assert error_of(read_only=True, watch=[Watch("site", target="/www")]) == (
        "service 'application' (class Application): watch 'site' (sync) cannot copy into a "
        "read_only service: the engine refuses to copy into a read-only container; use action "
        "rebuild, or drop read_only"
    )
    assert error_of(watch=[Watch("src", action="rebuild")]) == (
        "service 'application' (class Application): watch 'src' (rebuild) needs a build "
        "context, and the service has none; set build_from, or use action sync"
    )


def test_an_unknown_action_in_a_spec_is_one_line_and_status_2(offline_spec):
    offline_spec.write(
        """
class Web(drillmaster.Service):
    image = IMAGE
    watch = [drillmaster.Watch("site", action="copy", target="/www")]
"""
    )
    done = offline_spec.run("watch", timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: Watch 'site': action 'copy' is unknown"), done.stderr
    assert f"(at {offline_spec.path}:" in done.stderr, done.stderr
