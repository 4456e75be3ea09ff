"""The field table is the one list of a service class's attributes: the class,
its documentation, the check, the definition and the C setters all come from
it. (test_service_definition.py has each attribute's check messages.)"""

from __future__ import annotations

import signal

import pytest

import drillmaster
from drillmaster._fields import FIELDS
from drillmaster._service import Definition, definition

pytestmark = pytest.mark.usefixtures("registry")

NAMES = [
    "name",
    "image",
    "dependencies",
    "ports",
    "env",
    "volumes",
    "always_start_new",
    "stop_signal",
    "build_from",
    "dockerfile",
    "entrypoint",
    "cmd",
    "user",
    "healthcheck",
    "restart",
    "tmpfs",
    "read_only",
    "init",
    "privileged",
    "cap_add",
    "cap_drop",
    "shm_size",
    "mem_limit",
    "cpus",
    "ulimits",
    "extra_hosts",
    "stop_grace_period",
    "oneshot",
    "timeout",
    "hostname",
    "working_dir",
    "aliases",
    "labels",
    "build_args",
    "build_target",
    "env_file",
    "secrets",
    "create_options",
    "replicas",
    "profiles",
    "watch",
]


def test_the_table_lists_every_attribute_once_in_checking_order():
    assert [f.name for f in FIELDS] == NAMES


def test_each_attribute_is_readable_on_the_class_with_its_default():
    for f in FIELDS:
        assert getattr(drillmaster.Service, f.name) == f.default, f.name
    assert drillmaster.Service.image is None
    assert drillmaster.Service.stop_signal == "SIGTERM"
    assert drillmaster.Service.dockerfile == "Dockerfile"
    assert drillmaster.Service.restart is None
    assert drillmaster.Service.cpus is None


def test_the_class_documentation_describes_every_attribute():
    doc = " ".join(drillmaster.Service.__doc__.split())
    for f in FIELDS:
        assert f"``{f.name}`` = ``{f.default!r}``: {f.doc}" in doc


def test_each_attribute_names_its_compose_key():
    assert {f.name: f.compose for f in FIELDS} == {
        "name": None,
        "image": "image",
        "dependencies": "depends_on",
        "ports": "ports",
        "env": "environment",
        "volumes": "volumes",
        "always_start_new": None,
        "stop_signal": "stop_signal",
        "build_from": "build",
        "dockerfile": "build.dockerfile",
        "entrypoint": "entrypoint",
        "cmd": "command",
        "user": "user",
        "healthcheck": "healthcheck",
        "restart": "restart",
        "tmpfs": "tmpfs",
        "read_only": "read_only",
        "init": "init",
        "privileged": "privileged",
        "cap_add": "cap_add",
        "cap_drop": "cap_drop",
        "shm_size": "shm_size",
        "mem_limit": "mem_limit",
        "cpus": "cpus",
        "ulimits": "ulimits",
        "extra_hosts": "extra_hosts",
        "stop_grace_period": "stop_grace_period",
        "oneshot": None,
        "timeout": None,
        "hostname": "hostname",
        "working_dir": "working_dir",
        "aliases": "networks.aliases",
        "labels": "labels",
        "build_args": "build.args",
        "build_target": "build.target",
        "env_file": "env_file",
        "secrets": "secrets",
        "create_options": None,
        "replicas": "deploy.replicas",
        "profiles": "profiles",
        "watch": "develop.watch",
    }


class Recorder:
    """Stands for a _core.Service: records each setter call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, method):
        return lambda *args: self.calls.append((method, *args))


def applied(d: Definition):
    service = Recorder()
    for f in FIELDS:
        f.apply(service, d.values)
    return service.calls


def test_every_attribute_reaches_its_c_setter_normalised():
    cls = type(
        "Application",
        (drillmaster.Service,),
        {
            "image": "busybox",
            "dependencies": ("db",),
            "ports": {80: 8080, "53/udp": 5353},
            "env": {"A": "x", "PORT": 5433},
            "volumes": {"./data": {"bind": "/data", "mode": "ro"}, "/tmp": "/scratch"},
            "always_start_new": True,
            "stop_signal": signal.SIGINT,
            "build_from": "ctx",
            "dockerfile": "Dockerfile.dev",
            "entrypoint": "sh -c",
            "cmd": ["echo", "hi there"],
            "user": 1000,
            "healthcheck": drillmaster.Healthcheck(test="pg_isready", interval=1, retries=30),
            "restart": "unless-stopped",
            "tmpfs": "/run",
            "read_only": True,
            "init": False,
            "privileged": True,
            "cap_add": ["NET_ADMIN"],
            "cap_drop": ("ALL",),
            "shm_size": 1 << 26,
            "mem_limit": "1.5g",
            "cpus": "2",
            "ulimits": {"nofile": 1024, "nproc": {"soft": 10, "hard": 20}},
            "extra_hosts": ["db.local:10.0.0.5", "v6=::1", "gw:host-gateway"],
            "stop_grace_period": "1m30s",
            "oneshot": False,  # a job takes no restart policy
            "timeout": 5,
            "hostname": "box",
            "working_dir": "/srv",
            "aliases": ["db.local"],
            "labels": ["team=data"],
            "build_args": {"VERSION": 2},
            "build_target": "dev",
            "env_file": "app.env",
            "secrets": ["./secrets/pw.txt"],
            "create_options": {"HostConfig": {"OomScoreAdj": 100}},
            "replicas": 3,
            "profiles": ["debug", "tools"],
            "watch": [
                drillmaster.Watch("ctx", action="rebuild"),
                drillmaster.Watch("ctx/src", action="rebuild", ignore=["*.tmp"]),
            ],
        },
    )
    assert applied(definition(cls)) == [
        ("add_dependency", "db"),
        ("add_port", "80", 8080),
        ("add_port", "53/udp", 5353),
        ("set_env", "A", "x"),
        ("set_env", "PORT", "5433"),
        ("add_bind", "./data", "/data", "ro"),
        ("add_bind", "/tmp", "/scratch", None),
        ("set_always_start_new", True),
        ("set_stop_signal", "SIGINT"),
        ("set_build", "ctx", "Dockerfile.dev"),
        ("set_entrypoint", ["sh", "-c"]),
        ("set_cmd", ["echo", "hi there"]),
        ("set_user", "1000"),
        ("set_healthcheck", ["CMD-SHELL", "pg_isready"], 1.0, 0.0, 30, 0.0),
        ("set_restart", "unless-stopped"),
        ("add_tmpfs", "/run"),
        ("set_read_only", True),
        ("set_init", False),
        ("set_privileged", True),
        ("add_cap_add", "NET_ADMIN"),
        ("add_cap_drop", "ALL"),
        ("set_shm_size", "67108864"),
        ("set_mem_limit", "1.5g"),
        ("set_cpus", 2.0),
        ("set_ulimit", "nofile", 1024, 1024),
        ("set_ulimit", "nproc", 10, 20),
        ("add_extra_host", "db.local", "10.0.0.5"),
        ("add_extra_host", "v6", "::1"),
        ("add_extra_host", "gw", "host-gateway"),
        ("set_stop_grace_period", 90.0),
        ("set_oneshot", False),
        ("set_timeout", 5.0),
        ("set_hostname", "box"),
        ("set_working_dir", "/srv"),
        ("add_alias", "db.local"),
        ("set_label", "team", "data"),
        ("set_build_arg", "VERSION", "2"),
        ("set_build_target", "dev"),
        ("add_env_file", "app.env"),
        ("add_secret", "pw.txt", "./secrets/pw.txt"),
        ("set_create_options", '{"HostConfig": {"OomScoreAdj": 100}}'),
        ("set_replicas", 3),
        ("add_profile", "debug"),
        ("add_profile", "tools"),
        ("add_watch", "ctx", drillmaster._core.WATCH_REBUILD, None, []),
        ("add_watch", "ctx/src", drillmaster._core.WATCH_REBUILD, None, ["*.tmp"]),
    ]


def test_ports_as_compose_strings_reach_their_own_setter():
    cls = type("Application", (drillmaster.Service,), {"ports": ["127.0.0.1:5433:5432", "53/udp"]})
    assert applied(definition(cls))[:2] == [
        ("add_port_spec", "127.0.0.1:5433:5432"),
        ("add_port_spec", "53/udp"),
    ]


def test_the_dict_forms_of_labels_and_secrets():
    cls = type(
        "Application",
        (drillmaster.Service,),
        {
            "labels": {"team": "data", "tier": 2},
            "secrets": {"pw": "pw.txt"},
            "env_file": ["a", "b"],
        },
    )
    calls = applied(definition(cls))
    assert ("set_label", "team", "data") in calls
    assert ("set_label", "tier", "2") in calls
    assert ("add_secret", "pw", "pw.txt") in calls
    assert [c for c in calls if c[0] == "add_env_file"] == [
        ("add_env_file", "a"),
        ("add_env_file", "b"),
    ]


@pytest.mark.parametrize(
    ("healthcheck", "arguments"),
    [
        (drillmaster.Healthcheck(), ([], 0.0, 0.0, 0, 0.0)),
        (
            drillmaster.Healthcheck(test=["CMD", "pg_isready", "-q"], timeout=2.5),
            (["CMD", "pg_isready", "-q"], 0.0, 2.5, 0, 0.0),
        ),
        (drillmaster.Healthcheck(disable=True), (["NONE"], 0.0, 0.0, 0, 0.0)),
        (
            {"test": ["CMD-SHELL", "curl -f localhost"], "interval": "1m30s", "timeout": "500ms"},
            (["CMD-SHELL", "curl -f localhost"], 90.0, 0.5, 0, 0.0),
        ),
        ({"start_period": "1h2m", "retries": 5}, ([], 0.0, 0.0, 5, 3720.0)),
        ({"disable": True}, (["NONE"], 0.0, 0.0, 0, 0.0)),
    ],
)
def test_a_healthcheck_reaches_its_setter_as_the_engine_takes_it(healthcheck, arguments):
    """A test string runs in the shell; Compose's durations are read; what
    is not set is 0 (the image's, else the engine's default)."""
    cls = type("Application", (drillmaster.Service,), {"healthcheck": healthcheck})
    assert ("set_healthcheck", *arguments) in applied(definition(cls))


def test_the_short_volume_form_is_left_to_the_library():
    cls = type("Application", (drillmaster.Service,), {"volumes": ["./a:/a:ro", "/b:/b"]})
    assert applied(definition(cls)) == [
        ("add_volume", "./a:/a:ro"),
        ("add_volume", "/b:/b"),
        ("set_always_start_new", False),
        ("set_stop_signal", "SIGTERM"),
        ("set_oneshot", False),
        ("set_replicas", 1),
    ]


def test_attributes_left_unset_call_no_setter_but_the_stop_signal():
    """As 0.1 did: the stop signal is always given (it is part of the
    definition hash), and the flags and counts with their defaults (which the
    library sends nothing for); a None, an empty list or dict gives nothing."""
    cls = type("Application", (drillmaster.Service,), {"image": "busybox"})
    assert applied(definition(cls)) == [
        ("set_always_start_new", False),
        ("set_stop_signal", "SIGTERM"),
        ("set_oneshot", False),
        ("set_replicas", 1),
    ]


def test_the_definition_has_every_attribute_normalised():
    cls = type("Application", (drillmaster.Service,), {"image": "busybox", "user": 0})
    d = definition(cls)
    assert set(d.values) == set(NAMES)
    assert (d.name, d.image, d.user, d.cmd, d.env) == ("application", "busybox", "0", None, {})
    with pytest.raises(AttributeError):
        d.nonexistent  # noqa: B018 - the attribute access is the test
