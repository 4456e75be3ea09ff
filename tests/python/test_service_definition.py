"""A Service subclass is checked when its class statement runs: every
attribute of the wrong type is a ServiceDefinitionError naming the class and
the attribute."""

from __future__ import annotations

import signal

import pytest

import drillmaster
from drillmaster import ServiceDefinitionError

pytestmark = pytest.mark.usefixtures("registry")


def define(**attrs):
    """Defines `class Application(drillmaster.Service)` with the attributes."""
    return type("Application", (drillmaster.Service,), dict(attrs))


def error_of(**attrs) -> str:
    with pytest.raises(ServiceDefinitionError) as info:
        define(**attrs)
    return str(info.value)


def test_the_seed_classes_are_valid_and_registered_in_order():
    DB_PORT = 5433

    class Database(drillmaster.Service):
        image = "postgres:10.6"
        name = "appdb"
        env = {
            "POSTGRES_PASSWORD": "dbpwd",
            "POSTGRES_USER": "dbuser",
            "POSTGRES_DB": "appdb",
            "PGPORT": DB_PORT,
        }
        ports = {DB_PORT: DB_PORT}

    class Application(drillmaster.Service):
        dependencies = ["appdb"]

    assert drillmaster.services() == [Database, Application]
    assert Application.name == "application"  # default: the class name, lower-cased
    assert Application.image is None  # an error only when it is started


def test_name_must_be_a_str():
    assert error_of(name=5) == "Application.name: expected a str, got int"


def test_name_must_not_be_empty():
    assert error_of(name="") == "Application.name: expected a non-empty str, got ''"


def test_image_must_be_a_str():
    assert error_of(image=["busybox"]) == "Application.image: expected a str, got list"


def test_dependencies_must_be_a_list():
    assert (
        error_of(dependencies="appdb")
        == "Application.dependencies: expected a list of str, got str"
    )


def test_dependencies_must_hold_str():
    assert (
        error_of(dependencies=["appdb", 3])
        == "Application.dependencies: expected a list of str, got list containing int 3"
    )


def test_ports_must_be_a_dict():
    assert (
        error_of(ports=[80]) == "Application.ports: "
        "expected a dict of int to int or a list of str, got list containing int 80"
    )


def test_ports_keys_must_be_ports():
    assert (
        error_of(ports={"http": 80})
        == "Application.ports: expected a dict of int to int or a list of str, got key 'http' (str)"
    )


def test_ports_values_must_be_int():
    assert (
        error_of(ports={80: "8080"}) == "Application.ports: "
        "expected a dict of int to int or a list of str, got value '8080' (str) for key 80"
    )


def test_ports_accept_protocols():
    define(ports={80: 8080, "53/udp": 5353, "443/tcp": 8443})


def test_env_must_be_a_dict():
    assert error_of(env=["A=1"]) == "Application.env: expected a dict of str to str, got list"


def test_env_keys_must_be_str():
    assert (
        error_of(env={1: "a"}) == "Application.env: expected a dict of str to str, got key 1 (int)"
    )


def test_env_values_must_be_str_or_numbers():
    assert (
        error_of(env={"A": None})
        == "Application.env: expected a dict of str to str, got value None (NoneType) for 'A'"
    )
    define(env={"A": "x", "PORT": 5433, "RATIO": 0.5})


def test_volumes_must_be_a_list_or_dict():
    assert error_of(volumes="./data:/data") == (
        "Application.volumes: expected a list of str or a dict of host path to "
        "{'bind': path, 'mode': 'ro'}, got str"
    )


def test_volumes_mapping_form():
    define(volumes={"./data": {"bind": "/data", "mode": "ro"}})
    assert "got {'mode': 'ro'} for './data'" in error_of(volumes={"./data": {"mode": "ro"}})


def test_always_start_new_must_be_a_bool():
    assert error_of(always_start_new=1) == "Application.always_start_new: expected a bool, got int"


def test_oneshot_must_be_a_bool():
    assert error_of(oneshot="yes") == "Application.oneshot: expected a bool, got str"


def test_profiles_must_be_a_list_of_names():
    define(profiles=["debug"])
    assert error_of(profiles="debug") == "Application.profiles: expected a list of str, got str"
    assert (
        error_of(profiles=["debug", 1])
        == "Application.profiles: expected a list of str, got list containing int 1"
    )


def test_stop_signal_must_be_a_name():
    assert (
        error_of(stop_signal=15)
        == "Application.stop_signal: expected a signal name such as 'SIGTERM', got int"
    )
    define(stop_signal=signal.SIGKILL)


def test_build_from_must_be_a_path():
    assert (
        error_of(build_from=1) == "Application.build_from: expected a directory path (str), got int"
    )


def test_dockerfile_must_be_a_str():
    assert error_of(dockerfile=None) == "Application.dockerfile: expected a str, got NoneType"


def test_entrypoint_must_be_a_str_or_list():
    assert (
        error_of(entrypoint=1) == "Application.entrypoint: expected a str or a list of str, got int"
    )


def test_cmd_must_be_a_str_or_list_of_str():
    assert (
        error_of(cmd=["sleep", 1])
        == "Application.cmd: expected a str or a list of str, got list containing int 1"
    )


def test_user_must_be_a_str_or_int():
    assert error_of(user=1.5) == "Application.user: expected a str or an int, got float"
    define(user=1000)


def test_healthcheck_must_be_a_healthcheck_or_a_dict_of_its_keys():
    assert error_of(healthcheck="true") == (
        "Application.healthcheck: expected a drillmaster.Healthcheck or a dict of its keys, got str"
    )
    assert error_of(healthcheck={"test": "true", "intervall": 1}) == (
        "Application.healthcheck: expected a dict whose keys are among test, interval, timeout, "
        "retries, start_period, disable, got key 'intervall'"
    )
    define(healthcheck={"test": ["CMD", "true"], "interval": "2s"})
    define(healthcheck=drillmaster.Healthcheck(test="true", interval=0.5, retries=2))


def test_healthcheck_members_have_their_types():
    assert error_of(healthcheck=drillmaster.Healthcheck(test=["CMD", 1])) == (
        "Application.healthcheck: expected test as a str or a list of str, got test ['CMD', 1]"
    )
    assert error_of(healthcheck={"interval": "soon"}) == (
        "Application.healthcheck: expected interval as a number of seconds or a duration "
        "such as '1m30s' or '500ms', got interval 'soon'"
    )
    assert error_of(healthcheck={"timeout": True}) == (
        "Application.healthcheck: expected timeout as a number of seconds or a duration "
        "such as '1m30s' or '500ms', got timeout True"
    )
    assert error_of(healthcheck={"retries": 2.5}) == (
        "Application.healthcheck: expected retries as an int, got retries 2.5"
    )


def test_healthcheck_disable_and_a_test_do_not_go_together():
    assert error_of(healthcheck={"disable": True, "test": "true"}) == (
        "Application.healthcheck: disable=True turns the health check off, but test 'true' is "
        "given too; keep one"
    )


def test_a_nul_in_a_healthcheck_test_is_an_error():
    assert "contains a NUL character" in error_of(
        healthcheck=drillmaster.Healthcheck(test="true\0")
    )


def test_timeout_must_be_a_number():
    assert error_of(timeout="5") == "Application.timeout: expected a number of seconds, got str"
    assert error_of(timeout=True) == "Application.timeout: expected a number of seconds, got bool"


def test_ports_may_be_a_list_of_compose_strings():
    define(ports=["127.0.0.1:5433:5432", "53:53/udp", "8000-8002:8000-8002", "5432"])
    assert error_of(ports=["80", 443]) == (
        "Application.ports: expected a dict of int to int or a list of str, "
        "got list containing int 443"
    )


def test_hostname_working_dir_and_build_target_must_be_str():
    assert error_of(hostname=1) == "Application.hostname: expected a str, got int"
    assert error_of(working_dir=["/app"]) == "Application.working_dir: expected a str, got list"
    assert error_of(build_target=2) == "Application.build_target: expected a str, got int"


def test_aliases_must_be_a_list_of_str():
    assert error_of(aliases="db") == "Application.aliases: expected a list of str, got str"


def test_labels_and_build_args_are_a_dict_or_a_list_of_name_value():
    define(labels={"team": "data", "tier": 2}, build_args=["VERSION=1"], build_from="ctx")
    expected = 'expected a dict of str to str or a list of "name=value"'
    assert error_of(labels="team=data") == f"Application.labels: {expected}, got str"
    assert (
        error_of(labels=["team"]) == f"Application.labels: {expected}, got item 'team' without '='"
    )
    assert error_of(build_args={"V": None}) == (
        f"Application.build_args: {expected}, got value None (NoneType) for 'V'"
    )


def test_env_file_is_a_path_or_a_list_of_paths():
    define(env_file="app.env")
    define(env_file=["a.env", "b.env"])
    assert error_of(env_file=3) == (
        "Application.env_file: expected a path (str) or a list of paths, got int"
    )
    assert error_of(env_file=["a.env", 3]) == (
        "Application.env_file: expected a path (str) or a list of paths, got list containing int 3"
    )


def test_secrets_are_a_dict_of_name_to_path_or_a_list_of_paths():
    define(secrets={"pw": "pw.txt"})
    define(secrets=["pw.txt"])
    expected = "expected a dict of secret name to file path or a list of file paths"
    assert error_of(secrets="pw.txt") == f"Application.secrets: {expected}, got str"
    assert error_of(secrets={"pw": 1}) == (
        f"Application.secrets: {expected}, got value 1 (int) for 'pw'"
    )


def test_create_options_must_be_a_json_object():
    define(create_options={"HostConfig": {"OomScoreAdj": 100}})
    assert error_of(create_options="{}") == (
        "Application.create_options: expected a dict (a JSON object), got str"
    )
    assert error_of(create_options={"A": {1, 2}}).startswith(
        "Application.create_options: {'A': {1, 2}} cannot be written as JSON: "
    )


def test_restart_must_be_a_str():
    assert error_of(restart=True) == "Application.restart: expected a str, got bool"
    define(restart="on-failure:3")


def test_tmpfs_must_be_a_str_or_a_list_of_str():
    assert error_of(tmpfs=1) == "Application.tmpfs: expected a str or a list of str, got int"
    assert error_of(tmpfs=["/run", 1]) == (
        "Application.tmpfs: expected a str or a list of str, got list containing int 1"
    )
    define(tmpfs="/run")
    define(tmpfs=["/run", "/tmp:size=64m"])


@pytest.mark.parametrize("attr", ["read_only", "init", "privileged"])
def test_flags_must_be_bools(attr):
    assert error_of(**{attr: 1}) == f"Application.{attr}: expected a bool, got int"
    define(**{attr: True})


@pytest.mark.parametrize("attr", ["cap_add", "cap_drop"])
def test_capabilities_must_be_a_list_of_str(attr):
    assert error_of(**{attr: "NET_ADMIN"}) == f"Application.{attr}: expected a list of str, got str"
    define(**{attr: ["NET_ADMIN"]})


@pytest.mark.parametrize("attr", ["shm_size", "mem_limit"])
def test_byte_sizes_must_be_an_int_or_a_str(attr):
    assert error_of(**{attr: 1.5}) == (
        f"Application.{attr}: expected an int of bytes or a str such as '64m' or '1g', got float"
    )
    define(**{attr: "64m"})
    define(**{attr: 1 << 30})


def test_cpus_must_be_a_number():
    assert error_of(cpus="two") == "Application.cpus: expected a number, got 'two'"
    assert error_of(cpus=True) == "Application.cpus: expected a number, got bool"
    assert error_of(cpus=[1]) == "Application.cpus: expected a number, got list"
    define(cpus=1)
    define(cpus=0.5)
    define(cpus="0.5")  # as Compose files often write it


def test_ulimits_take_compose_s_shape():
    assert error_of(ulimits=["nofile=1024"]) == (
        "Application.ulimits: expected a dict of ulimit name to an int or "
        "{'soft': int, 'hard': int}, got list"
    )
    assert error_of(ulimits={"nofile": {"soft": 1024}}) == (
        "Application.ulimits: expected a dict of ulimit name to an int or "
        "{'soft': int, 'hard': int}, got {'soft': 1024} for 'nofile'"
    )
    assert error_of(ulimits={"nofile": "1024"}) == (
        "Application.ulimits: expected a dict of ulimit name to an int or "
        "{'soft': int, 'hard': int}, got '1024' for 'nofile'"
    )
    define(ulimits={"nofile": 1024, "nproc": {"soft": 10, "hard": 20}})


def test_extra_hosts_take_a_list_of_host_ip_or_a_dict():
    assert error_of(extra_hosts="db:10.0.0.5") == (
        "Application.extra_hosts: expected a list of 'host:ip' or a dict of host to IP address, "
        "got str"
    )
    assert error_of(extra_hosts=["db"]) == (
        "Application.extra_hosts: expected 'host:ip' (or 'host=ip') items, got 'db'"
    )
    assert error_of(extra_hosts={"db": 5}) == (
        "Application.extra_hosts: expected a list of 'host:ip' or a dict of host to IP address, "
        "got 'db': 5"
    )
    define(extra_hosts=["db:10.0.0.5", "gw=host-gateway"])
    define(extra_hosts={"db": "10.0.0.5"})


def test_stop_grace_period_is_seconds_or_a_compose_duration():
    assert error_of(stop_grace_period="soon") == (
        "Application.stop_grace_period: expected a number of seconds or a duration such as "
        "'1m30s' or '500ms', got 'soon'"
    )
    assert error_of(stop_grace_period=[1]) == (
        "Application.stop_grace_period: expected a number of seconds or a duration such as "
        "'1m30s' or '500ms', got list"
    )
    define(stop_grace_period="1m30s")
    define(stop_grace_period=5)


def test_hooks_must_be_methods():
    assert error_of(ping=True) == "Application.ping: expected a method, got bool"
    assert error_of(pre_start="x") == "Application.pre_start: expected a method, got str"
    assert error_of(post_start_init=1) == "Application.post_start_init: expected a method, got int"


def test_post_start_and_post_start_init_are_one_hook():
    assert "define post_start_init or post_start" in error_of(
        post_start=lambda self: None, post_start_init=lambda self: None
    )


def test_post_start_is_another_name_for_post_start_init():
    from drillmaster._service import definition

    cls = define(image="x", post_start=lambda self: None)
    assert definition(cls).hooks == {"post_start_init": "post_start"}


def test_a_failed_class_is_not_registered():
    error_of(ports=[80])
    assert drillmaster.services() == []


def test_abstract_base_classes_are_not_services():
    class Busybox(drillmaster.Service):
        abstract = True
        image = "busybox"

    class Web(Busybox):
        pass

    assert drillmaster.services() == [Web]
    assert Web.image == "busybox" and Web.name == "web"


def test_subclasses_are_checked_with_inherited_values():
    class Base(drillmaster.Service):
        abstract = True
        ports = {80: 80}

    with pytest.raises(ServiceDefinitionError, match=r"^Child\.env:"):

        class Child(Base):
            env = [1]


def test_commands_given_as_strings_are_split_like_a_shell():
    from drillmaster._service import definition

    cls = define(image="x", cmd="sh -c 'echo hi; sleep 1'")
    assert definition(cls).cmd == ["sh", "-c", "echo hi; sleep 1"]


# ---- NUL characters ----------------------------------------------------------------
#
# The C library takes NUL-terminated strings: a NUL would cut a value there,
# silently. Every string attribute is checked by the same walk.

NUL_TAIL = (
    "contains a NUL character (\\x00), which cannot be passed to Docker "
    "(it would cut the text there); remove it"
)


@pytest.mark.parametrize(
    "attrs, where",
    [
        (dict(env={"PW": "sec\0ret"}), "env: the value of 'PW' "),
        (dict(env={"P\0W": "x"}), "env: the key 'P\\x00W' "),
        (dict(image="busybox\0:evil"), "image: 'busybox\\x00:evil' "),
        (dict(name="a\0b"), "name: 'a\\x00b' "),
        (dict(cmd=["sh", "-c", "echo\0 hi"]), "cmd: item 2 ('echo\\x00 hi') "),
        (dict(entrypoint="sh -c x\0y"), "entrypoint: 'sh -c x\\x00y' "),
        (dict(volumes=["/a:/b\0"]), "volumes: item 0 ('/a:/b\\x00') "),
        (
            dict(volumes={"/a": {"bind": "/b\0", "mode": "ro"}}),
            "volumes: the value of 'bind' in the value of '/a' ",
        ),
        (dict(user="root\0"), "user: 'root\\x00' "),
        (dict(dependencies=["db\0"]), "dependencies: item 0 ('db\\x00') "),
        (dict(stop_signal="SIGTERM\0"), "stop_signal: 'SIGTERM\\x00' "),
        (dict(build_from="ctx\0"), "build_from: 'ctx\\x00' "),
    ],
)
def test_a_nul_in_any_string_attribute_is_an_error(attrs, where):
    assert error_of(**{"image": "busybox", **attrs}) == f"Application.{where}{NUL_TAIL}"


def test_a_nul_set_after_the_class_is_caught_before_the_library_sees_it(tmp_path):
    App = define(image="busybox", env={"PW": "ok"})
    App.env = {"PW": "not\0ok"}
    with pytest.raises(ServiceDefinitionError, match="Application.env: the value of 'PW' "):
        drillmaster.Session([App], directory=tmp_path)


def test_a_nul_in_the_group_name_is_an_error(tmp_path):
    define(image="busybox")
    with pytest.raises(ServiceDefinitionError, match="Session.group: 'g\\\\x00' contains a NUL"):
        drillmaster.Session(directory=tmp_path, group="g\0")


# ---- misspelled attributes -----------------------------------------------------------


@pytest.mark.parametrize(
    "attr, meant",
    [
        ("enviroment", "env"),
        ("port", "ports"),
        ("dependency", "dependencies"),
        ("volume", "volumes"),
        ("entry_point", "entrypoint"),
        ("stop_signals", "stop_signal"),
        ("buildfrom", "build_from"),
    ],
)
def test_a_misspelled_field_is_an_error_that_says_which_was_meant(attr, meant):
    message = error_of(image="x", **{attr: 1})
    assert message.startswith(f"Application.{attr}: not an attribute drillmaster knows; ")
    assert f"did you mean {meant!r}?" in message


@pytest.mark.parametrize(
    "attr, meant", [("environment", "env"), ("command", "cmd"), ("depends_on", "dependencies")]
)
def test_compose_names_say_what_drillmaster_calls_them(attr, meant):
    message = error_of(image="x", **{attr: 1})
    assert f"(Compose's name for it); did you mean {meant!r}?" in message


def test_attributes_of_ones_own_stay_allowed():
    class Database(drillmaster.Service):
        image = "x"
        db_port = 5432  # far from every field
        password = "pw"
        _port = 1  # private
        PORT = 2  # a constant

        def porting(self):  # a method
            return self._port

        @property
        def imagery(self):
            return 1

    assert Database.db_port == 5432


def test_a_misspelling_in_a_base_class_is_found_in_its_services():
    class Base(drillmaster.Service):
        abstract = True
        enviroment = {"A": "1"}

    with pytest.raises(ServiceDefinitionError, match=r"Base.enviroment: .*did you mean 'env'"):

        class App(Base):
            image = "x"


def test_an_empty_build_from_says_so():
    assert error_of(build_from="") == (
        "Application.build_from is empty: name the directory that holds the Dockerfile "
        '("." for the spec\'s own), or leave build_from unset to run image'
    )


def test_replicas_must_be_an_int_from_1_to_1000():
    define(replicas=3)
    assert error_of(replicas="3") == "Application.replicas: expected an int, got str"
    assert error_of(replicas=True) == "Application.replicas: expected an int, got bool"
    assert error_of(replicas=2.0) == "Application.replicas: expected an int, got float"
    for count in (0, -1, 1001):
        assert error_of(replicas=count) == (
            f"service 'application' (class Application): replicas {count} is not a number of "
            "copies to run; use a whole number from 1 to 1000 (1, the default, runs one; stop "
            "the group to run none)"
        )
