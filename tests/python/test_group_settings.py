"""Group name and group-level hooks, and loading a spec's services into a
group (graph errors come from the C library, before anything starts)."""

from __future__ import annotations

import pytest

import drillmaster
from drillmaster import ServiceDefinitionError, ServiceLoadError, Session
from drillmaster._group import default_group_name, settings

pytestmark = pytest.mark.usefixtures("registry")


@pytest.mark.parametrize(
    "directory,name",
    [
        ("/home/me/my-project", "my-project"),
        ("/home/me/My Project", "my-project"),
        ("/srv/__tests__", "tests__"),
        ("/srv/ünïcode app", "n-code-app"),
        ("/", "drillmaster"),
    ],
)
def test_default_group_name_is_the_directory_made_valid(directory, name):
    assert default_group_name(directory) == name


def test_group_name_is_checked():
    drillmaster.group_name("readme-demo")
    assert settings.name == "readme-demo"
    with pytest.raises(ServiceDefinitionError, match="not a valid Docker name"):
        drillmaster.group_name("has space")


def test_session_uses_the_group_name_or_the_directory(tmp_path):
    (tmp_path / "Some Dir").mkdir()
    assert Session([], directory=tmp_path / "Some Dir").group_name == "some-dir"
    drillmaster.group_name("chosen")
    assert Session([], directory=tmp_path).group_name == "chosen"


def test_group_hooks_are_decorators():
    @drillmaster.on_start_services
    def started(names):
        pass

    @drillmaster.on_stop_services
    def stopped(names):
        pass

    @drillmaster.on_reload_service
    def reloaded(name):
        pass

    assert (settings.on_start, settings.on_stop, settings.on_reload) == (started, stopped, reloaded)


def busybox(class_name, **attrs):
    attrs.setdefault("image", "busybox")
    attrs.setdefault("name", class_name.lower())
    return type(class_name, (drillmaster.Service,), attrs)


def test_unknown_dependency_names_both_sides(tmp_path):
    busybox("AppDb")
    busybox("App", dependencies=["dbb"])
    with pytest.raises(ServiceLoadError) as info:
        Session(directory=tmp_path).check()
    message = str(info.value)
    assert "'app'" in message and "'dbb'" in message and "appdb" in message


def test_cycle_is_shown(tmp_path):
    busybox("A", dependencies=["b"])
    busybox("B", dependencies=["a"])
    with pytest.raises(ServiceLoadError, match=r"a -> b -> a|b -> a -> b"):
        Session(directory=tmp_path).check()


def test_duplicate_names(tmp_path):
    busybox("One", name="same")
    busybox("Two", name="same")
    with pytest.raises(ServiceLoadError, match="same"):
        Session(directory=tmp_path).check()


def test_every_problem_is_reported_at_once(tmp_path):
    busybox("A", dependencies=["nope"])
    busybox("B", dependencies=["a", "b"])  # itself: a second problem
    with pytest.raises(ServiceLoadError) as info:
        Session(directory=tmp_path).check()
    assert len(str(info.value).splitlines()) >= 2


def test_missing_image_is_a_load_error_naming_the_service(tmp_path):
    type("Application", (drillmaster.Service,), {})
    with pytest.raises(
        ServiceLoadError, match=r"service 'application' \(class Application\): no image"
    ):
        Session(directory=tmp_path).check()
    Session(directory=tmp_path).check(exclude=["application"])  # excluded: no image needed
    Session(directory=tmp_path).check(images=False)  # stop and status need none


def test_excluding_an_unknown_service(tmp_path):
    busybox("A")
    with pytest.raises(ServiceLoadError, match="unknown"):
        Session(directory=tmp_path).check(exclude=["unknown"])


def test_stop_may_keep_a_dependency_running_but_not_exclude_an_unknown_one(tmp_path):
    busybox("Db")
    busybox("Api", dependencies=["db"])
    session = Session(directory=tmp_path)
    session.check_stop(["db"])  # the library's rule: db keeps running, api stops
    with pytest.raises(ServiceLoadError, match="needs 'db', which is excluded"):
        session.check(["db"])  # starting api without db is refused
    with pytest.raises(ServiceLoadError) as info:
        session.check_stop(["db", "dbb"])
    assert str(info.value) == (
        "cannot exclude 'dbb': no such service; defined: api, db (did you mean 'db'?)"
    )


def test_dependants_are_transitive(tmp_path):
    busybox("Db")
    busybox("Api", dependencies=["db"])
    busybox("Web", dependencies=["api"])
    busybox("Other")
    assert sorted(Session(directory=tmp_path).dependants("db")) == ["api", "web"]
