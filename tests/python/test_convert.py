"""``drillmaster convert``: compose files written for these tests (in
tests/data/compose) become specs that import, validate through the C
library, carry the mapped keys over unchanged and keep the rest as
comments; bad files exit 2 with the file and line; two stacks are converted
and started for real."""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PACKAGE_DIRS, REPO, Spec, _docker

import drillmaster
import drillmaster.compose
from drillmaster import ServiceDefinitionError, _compose_keys, _service
from drillmaster._fields import FIELDS

DATA = REPO / "tests" / "data" / "compose"
README = REPO / "README.md"
FIELD_NAMES = {f.name for f in FIELDS}


def drillmaster_command(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m drillmaster ARGS``, as the ``drillmaster`` command runs it."""
    environ = dict(os.environ, **(env or {}))
    if PACKAGE_DIRS:
        environ["PYTHONPATH"] = os.pathsep.join(PACKAGE_DIRS)
    return subprocess.run(
        [sys.executable, "-m", "drillmaster", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )


def converted(compose: Path, target: Path) -> Path:
    """The compose file's directory copied to ``target``, its spec written
    there as spec.py (as a user would: beside the compose file)."""
    shutil.copytree(compose.parent, target, dirs_exist_ok=True)
    result = drillmaster_command("convert", str(target / compose.name))
    assert result.returncode == 0, result.stderr
    spec = target / "spec.py"
    spec.write_text(result.stdout)
    spec.chmod(0o755)
    return spec


def load(spec: Path, env: dict | None = None) -> dict:
    """The spec run as a module (not as __main__), in the environment
    ``env`` adds to; its registered services by name."""
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        runpy.run_path(str(spec))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {cls.name: cls for cls in drillmaster.services()}


def service_keys(compose: Path) -> dict:
    return yaml.safe_load(compose.read_text())["services"]


# ---- the table -----------------------------------------------------------------------------


def test_every_key_of_the_table_has_a_field_or_says_why_not():
    for row in _compose_keys.KEYS:
        field = _compose_keys.field_for(row.compose)
        if field is None:
            assert row.reason(), f"{row.compose}: no field maps it, and no reason is given"
        else:
            assert not (row.instead or row.create_options), (
                f"{row.compose}: the field {field.name} maps it; the row must not say otherwise"
            )


def test_every_compose_key_of_a_field_is_in_the_table():
    keys = {row.compose for row in _compose_keys.KEYS}
    for f in FIELDS:
        if f.compose:
            assert f.compose.split(".")[0] in keys, f"{f.name}: {f.compose} is not in KEYS"


def test_the_readme_table_is_the_table():
    text = README.read_text()
    start = text.index("| Compose | drillmaster |")
    end = text.index("\n\n", start)
    assert text[start : end + 1] == _compose_keys.markdown_table(), (
        "README.md's Coming from Compose table differs from drillmaster._compose_keys: "
        "paste drillmaster._compose_keys.markdown_table() there"
    )


# ---- advice on Compose's names --------------------------------------------------------------

UNSUPPORTED = [
    row.compose
    for row in _compose_keys.KEYS
    if _compose_keys.field_for(row.compose) is None and row.compose not in FIELD_NAMES
]


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("key", UNSUPPORTED)
def test_a_compose_key_drillmaster_lacks_is_a_definition_error_saying_what_to_use(key):
    with pytest.raises(ServiceDefinitionError) as info:
        type("Application", (drillmaster.Service,), {"image": "x", key: ["a value"]})
    message = str(info.value)
    if key in _service._HOOKS or key in _service._ALIASES:
        assert message.startswith(f"Application.{key}: expected a method, got list (Compose's")
    else:
        assert message.startswith(f"Application.{key}: not an attribute drillmaster knows")
    assert _compose_keys.key(key).reason() in message


@pytest.mark.usefixtures("registry")
def test_container_name_set_in_a_class_is_an_error_though_hooks_read_it():
    with pytest.raises(ServiceDefinitionError, match="container_name.*<group>-<service>-1"):

        class Web(drillmaster.Service):
            image = "x"
            container_name = "my-web"


@pytest.mark.usefixtures("registry")
def test_attributes_near_the_short_field_names_stay_allowed():
    class Web(drillmaster.Service):
        image = "x"
        unit = "s"  # one letter from init
        cpu = 2  # Compose's cpus, singular
        caps = ["a"]
        tables = 3
        exit = 0
        restore = True  # two letters from restart
        initial = 1
        hosts = ["a"]
        secret_key = "k"

    assert Web.unit == "s"


# ---- the converted spec ---------------------------------------------------------------------


@pytest.fixture
def every_key(tmp_path: Path, registry: None) -> tuple[str, dict]:
    spec = converted(DATA / "every-key" / "compose.yaml", tmp_path)
    return spec.read_text(), load(spec)


def test_the_suite_uses_every_key_of_a_compose_service():
    used = set()
    for compose in DATA.rglob("*.yaml"):
        try:
            services = yaml.safe_load(compose.read_text()).get("services") or {}
        except (yaml.YAMLError, AttributeError):
            continue
        for service in services.values():
            if isinstance(service, dict):
                used |= set(service)
    missing = {row.compose for row in _compose_keys.KEYS} - used
    assert not missing, f"no compose file of the suite uses {sorted(missing)}"


def test_every_key_converts_to_a_spec_that_validates(every_key, tmp_path):
    _, classes = every_key
    assert set(classes) == {"web", "worker", "base"}
    # It imported though what it names is missing: errors at start only.
    for missing in ("app", "web.env", "db_password.txt", "web.labels"):
        assert not (tmp_path / missing).exists()
    session = drillmaster.Session(list(classes.values()), directory=tmp_path)
    session.check(images=False)  # dm_group_validate: the graph and every value


def _expected(key: str, value, attr_value):
    """The compose value as drillmaster's attribute holds it."""
    if key == "depends_on":
        return list(value)
    if key == "ports" and isinstance(attr_value, dict):
        host, container = value[0].split(":")
        return {int(container): int(host)}
    if key == "secrets":  # a file secret of the top level, by its name
        files = yaml.safe_load((DATA / "every-key" / "compose.yaml").read_text())["secrets"]
        return {name: files[name]["file"] for name in value}
    return value


def test_the_mapped_keys_round_trip(every_key):
    _, classes = every_key
    web = service_keys(DATA / "every-key" / "compose.yaml")["web"]
    checked = []
    for key, value in web.items():
        f = _compose_keys.field_for(key)
        if f is None or key == "build":
            continue
        got = getattr(classes["web"], f.name)
        assert got == _expected(key, value, got), key
        checked.append(key)
    for sub, f in _compose_keys.mapped_sub_keys("build").items():
        assert getattr(classes["web"], f.name) == web["build"][sub], f"build.{sub}"
    assert classes["web"].build_from == web["build"]["context"]
    base = service_keys(DATA / "every-key" / "compose.yaml")["base"]
    for sub, f in _compose_keys.mapped_sub_keys("networks").items():
        assert getattr(classes["base"], f.name) == base["networks"]["default"][sub]
    assert {"image", "environment", "command", "healthcheck", "depends_on"} <= set(checked)


def test_every_key_without_a_field_is_a_comment_on_its_class(every_key):
    text, classes = every_key
    web = text[text.index("class Web(") : text.index("class Worker(")]
    options = getattr(classes["web"], "create_options", None) or {}
    carried = {*options, *options.get("HostConfig", {})}
    for key in service_keys(DATA / "every-key" / "compose.yaml")["web"]:
        row = _compose_keys.key(key)
        if _compose_keys.field_for(key) is None:
            # A key whose value is the engine's own goes to create_options when it exists.
            kept = row.host_config in carried or row.config in carried
            assert kept or re.search(rf"# not converted: {key}[:.]", web), key
    for key in ("networks", "configs"):
        assert f"# not converted: {key}: " in text  # top-level elements
    # The top level's file secrets are what the secrets attribute names.
    secrets = _compose_keys.field_for("secrets") is None
    assert ("# not converted: secrets: {db_password: {file:" in text) == secrets


def test_check_lists_what_would_be_lost_and_exits_1():
    result = drillmaster_command("convert", "--check", str(DATA / "every-key" / "compose.yaml"))
    assert result.returncode == 1, result.stderr
    assert "compose.yaml:23: not converted: container_name (drillmaster names" in result.stdout
    assert "compose.yaml:128: not converted: network_mode (every service joins" in result.stdout


def test_check_of_a_file_that_converts_whole_exits_0():
    result = drillmaster_command("convert", "--check", str(DATA / "override" / "compose.yaml"))
    assert (result.returncode, result.stdout.split(": ")[-1]) == (0, "every key converts\n")


@pytest.mark.parametrize(
    "name, line, says",
    [
        ("not-yaml.yaml", 4, "not YAML"),
        ("not-compose.yaml", 1, "not a compose file: expected a mapping with 'services'"),
        ("no-services.yaml", 1, "not a compose file: it has no 'services'"),
        ("service-not-mapping.yaml", 4, "service 'db': expected a mapping"),
        ("extends-missing.yaml", 4, "extends from 'missing.yaml', which does not exist"),
        ("bad-interpolation.yaml", 3, "invalid interpolation"),
    ],
)
def test_a_file_convert_cannot_read_exits_2_with_file_and_line(name, line, says):
    path = DATA / "bad" / name
    for args in (("convert", str(path)), ("convert", "--check", str(path))):
        result = drillmaster_command(*args)
        assert result.returncode == 2, result.stdout
        assert result.stderr.startswith(f"Error: {path}:{line}: "), result.stderr
        assert says in result.stderr
        assert result.stdout == ""


def test_a_missing_file_exits_2_and_no_argument_keeps_the_version_output():
    result = drillmaster_command("convert", "/nonexistent/compose.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: /nonexistent/compose.yaml:1: cannot read it")
    plain = drillmaster_command()
    assert plain.returncode == 0 and plain.stdout.startswith("drillmaster ")


@pytest.mark.usefixtures("registry")
def test_interpolation_reads_the_environment_then_the_dotenv_beside_the_spec(tmp_path):
    spec = converted(DATA / "interpolation" / "compose.yaml", tmp_path)
    env = load(spec, {"UNSET_OR_EMPTY": "", "INNER": "inner", "PASSED_ON": "host"})["app"].env
    assert env == {
        "PLAIN": "from-dotenv",
        "BRACED_DEFAULT": "fallback",  # :- takes the default for empty too
        "DASH_DEFAULT": "fallback",
        "NESTED": "inner",
        "DOLLARS": "cost $5",
        "SHORT": "from-dotenv/x",
        "ALTERNATIVE": "plain is set",
        "REQUIRED": "",  # missing: an error at start, not at import
        "FROM_DOTENV": "dotenv value",
        "QUOTED": "two\nlines",
        "PASSED_ON": "host",
    }
    drillmaster._service._registry.clear()
    app = load(spec, {"PLAIN": "shell", "ONLY_UNSET": "", "NEEDED": "eu", "CPUS": "1.5"})["app"]
    assert app.cpus == 1.5  # a number after interpolation, as Compose makes it
    env = app.env
    assert (env["PLAIN"], env["DASH_DEFAULT"], env["REQUIRED"]) == ("shell", "", "eu")
    assert env["ALTERNATIVE"] == "plain is set"


def test_a_required_variable_is_checked_when_the_service_starts(monkeypatch):
    monkeypatch.delenv("NEEDED", raising=False)
    with pytest.raises(ServiceDefinitionError, match=r"'app'.*NEEDED \(NEEDED names the region\)"):
        drillmaster.compose.require("app", {"NEEDED": ":?NEEDED names the region"})
    monkeypatch.setenv("NEEDED", "")
    drillmaster.compose.require("app", {"NEEDED": "?set"})  # ? accepts empty, :? does not
    with pytest.raises(ServiceDefinitionError):
        drillmaster.compose.require("app", {"NEEDED": ":?set"})


@pytest.mark.usefixtures("registry")
def test_the_override_file_is_merged_by_composes_rules(tmp_path):
    classes = load(converted(DATA / "override" / "compose.yaml", tmp_path))
    app = classes["app"]
    assert app.cmd == ["sh", "-c", "override"]  # replaced
    assert app.env == {"A": "1", "B": "20", "C": "3"}  # merged by name
    assert app.volumes == ["./b:/other", "./c:/data"]  # merged by target
    assert app.stop_signal == "SIGTERM"  # !reset: the default again
    assert set(classes) == {"app", "extra"}
    ports = app.ports
    assert ports == ({80: 8001, 81: 8002} if isinstance(ports, dict) else ["8001:80", "8002:81"])


@pytest.mark.usefixtures("registry")
def test_extends_from_another_file_and_the_same_one(tmp_path):
    classes = load(converted(DATA / "extends" / "compose.yaml", tmp_path))
    assert (classes["web"].image, classes["web"].env) == ("base-image", {"BASE": "1", "OWN": "1"})
    assert classes["web"].cmd == ["sh"]
    assert (classes["local"].image, classes["local"].env) == (
        "drillmaster-test/busybox:latest",
        {"BASE": "1", "OWN": "1"},
    )


@pytest.mark.usefixtures("registry")
def test_yaml_anchors_become_an_abstract_base_class(tmp_path):
    spec = converted(DATA / "anchors" / "compose.yaml", tmp_path)
    text = spec.read_text()
    assert "class Defaults(drillmaster.Service):\n    abstract = True\n" in text
    assert "class One(Defaults):" in text and "class Two(Defaults):" in text
    classes = load(spec)
    assert set(classes) == {"one", "two"}
    assert (classes["one"].env, classes["one"].stop_signal) == ({"SHARED": "1"}, "SIGINT")
    assert (classes["two"].env, classes["two"].cmd) == ({"OWN": "2"}, None)


# ---- started for real -----------------------------------------------------------------------


def _inspect(container: str) -> dict:
    return json.loads(_docker("inspect", container))[0]


@pytest.mark.engine
def test_a_converted_stack_starts_as_it_is(spec: Spec):
    converted(DATA / "shop" / "compose.yaml", spec.directory)
    result = spec.run("start", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = spec.status()
    assert set(rows) == {"db", "worker", "app"}
    prefix = f"{spec.group}-"
    db = _inspect(prefix + "db-1")
    assert "DB_NAME=from-dotenv" in db["Config"]["Env"]  # .env beside the spec
    assert db["State"]["Health"]["Status"] == "healthy"
    worker = _inspect(prefix + "worker-1")["Config"]["Env"]
    assert {"DB_URL=db://db/from-dotenv", "QUEUE=fast"} <= set(worker)  # the override file
    app = _inspect(prefix + "app-1")
    assert app["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"] in ("", "0")
    stage = _docker("exec", prefix + "app-1", "cat", "/stage").strip()
    assert stage == "debug"  # no target: the last stage
    stopped = spec.run("stop", "--remove", "--timeout", "2")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr


TYPICAL_NEEDS = {"restart", "build_target", "oneshot"}


@pytest.mark.engine
@pytest.mark.skipif(
    not TYPICAL_NEEDS <= FIELD_NAMES,
    reason=f"needs the attributes {sorted(TYPICAL_NEEDS - FIELD_NAMES)}",
)
def test_the_typical_stack_converts_whole_and_starts(spec: Spec):
    check = drillmaster_command("convert", "--check", str(DATA / "typical" / "compose.yaml"))
    assert check.returncode == 0, check.stdout + check.stderr
    converted(DATA / "typical" / "compose.yaml", spec.directory)
    result = spec.run("start", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    prefix = f"{spec.group}-"
    migrate = _inspect(prefix + "migrate-1")["State"]
    assert (migrate["Status"], migrate["ExitCode"]) == ("exited", 0)
    app = _inspect(prefix + "app-1")
    assert app["HostConfig"]["RestartPolicy"]["Name"] == "always"
    worker = _inspect(prefix + "worker-1")["HostConfig"]["RestartPolicy"]
    assert (worker["Name"], worker["MaximumRetryCount"]) == ("on-failure", 3)
    assert _inspect(prefix + "db-1")["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"
    assert _docker("exec", prefix + "app-1", "cat", "/stage").strip() == "runtime"
    stopped = spec.run("stop", "--remove", "--timeout", "2")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr


def test_dotenv_is_read_as_compose_reads_it(tmp_path):
    values = drillmaster.compose.read_dotenv(DATA / "interpolation" / ".env", environ={})
    assert values == {
        "PLAIN": "from-dotenv",
        "FROM_DOTENV": "dotenv value",  # an inline comment is not the value's
        "QUOTED": "two\nlines",  # export, double quotes and their escapes
        "LITERAL": "${PLAIN} stays",  # single quotes: as written
    }
    assert drillmaster.compose.read_dotenv(tmp_path / "none") == {}


def test_an_unknown_command_exits_2():
    result = drillmaster_command("konvert", "compose.yaml")
    assert result.returncode == 2
    assert "no command 'konvert'" in result.stderr


@pytest.mark.usefixtures("registry")
def test_deploy_limits_and_restart_policy_become_their_attributes(tmp_path):
    spec = converted(DATA / "deploy" / "compose.yaml", tmp_path)
    classes = load(spec)
    a, b, c = classes["a"], classes["b"], classes["c"]
    assert (a.mem_limit, a.cpus, a.restart) == ("50M", 0.5, "on-failure:3")
    assert (a.replicas, b.replicas, c.replicas) == (1, 1, 3)
    assert b.mem_limit == "1g"  # its own key, over deploy's
    text = spec.read_text()
    for lost in ("deploy.resources.reservations.memory", "deploy.restart_policy.delay"):
        assert f"# not converted: {lost}: " in text
    assert (
        "# not converted: deploy.resources.limits.memory: 50M\n    #   (mem_limit is set too)"
        in text
    )


GOOD = sorted(p.parent.name for p in DATA.glob("*/compose.yaml") if p.parent.name not in ("bad",))


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("name", GOOD)
def test_each_converted_spec_validates(name, tmp_path):
    classes = load(converted(DATA / name / "compose.yaml", tmp_path), {"NEEDED": "x"})
    assert classes
    drillmaster.Session(list(classes.values()), directory=tmp_path).check(images=False)


@pytest.mark.usefixtures("registry")
def test_a_long_port_that_says_a_mode_keeps_it(tmp_path):
    # mode: host is how a swarm publishes on the task's node (README, Swarm);
    # a long port without a mode reads as the short form.
    source = tmp_path / "src"
    source.mkdir()
    (source / "compose.yaml").write_text(
        "services:\n"
        "  web:\n"
        "    image: busybox\n"
        "    ports:\n"
        "      - {target: 80, published: '8080', mode: host}\n"
        "      - {target: 53, published: 5353, protocol: udp}\n"
    )
    classes = load(converted(source / "compose.yaml", tmp_path / "out"))
    assert classes["web"].ports == ["published=8080,target=80,mode=host", "5353:53/udp"]
