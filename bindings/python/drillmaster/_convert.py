"""``drillmaster convert compose.yaml > spec.py``: a compose file as a spec.

One class per service, every key a drillmaster attribute maps (read from the
field table through :mod:`drillmaster._compose_keys`) written as that
attribute, and every other key kept as a ``# not converted: key: value``
comment on its class with the reason, so nothing is dropped silently.
``${VAR...}`` interpolation becomes ``os.environ.get(...)`` (the ``.env``
beside the spec is read first, as Compose reads it); ``${VAR:?message}``
becomes a check in the service's ``pre_start``, so the spec imports without
the variable. Mappings merged from YAML anchors (``<<: *common``) become
shared base classes with ``abstract = True``.

Exit status: 0; 1 with ``--check`` when something would not convert; 2 for
a file that is not YAML or not a compose file, or whose ``extends`` names a
missing file (the message names the file and line).
"""

from __future__ import annotations

import dataclasses
import json
import keyword
import os
import re
import sys
import textwrap
from typing import Any, Sequence

import yaml

from . import _compose_keys, _interpolation
from ._compose_file import MAPPING_LIKE, ComposeError, Node, as_mapping, load_project
from ._errors import ServiceDefinitionError
from ._fields import FIELDS, Field

__all__ = ["convert", "main"]

_FIELDS = {f.name: f for f in FIELDS}


# ---- interpolated values -----------------------------------------------------------------


class Expr:
    """A string with ``${VAR}``s, written as Python that reads the environment."""

    def __init__(self, parts: Sequence[_interpolation.Part]) -> None:
        self.parts = tuple(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and other.parts == self.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def source(self) -> str:
        return " + ".join(_part_source(part) for part in self.parts) or '""'

    def sample(self) -> str:
        """Its value with no variable set (defaults only)."""
        try:
            return _interpolation.evaluate(self.parts, lambda name: None)
        except _interpolation.InterpolationError:
            return ""

    def required(self) -> dict[str, str]:
        return _required(self.parts)

    def compose(self) -> str:
        """As Compose writes it (for a comment)."""
        return "".join(_part_compose(part) for part in self.parts)


class Cast(Expr):
    """An interpolated number: ``int(...)`` or ``float(...)`` of the text,
    as Compose converts a value after interpolating it."""

    def __init__(self, expr: Expr, kind: type) -> None:
        super().__init__(expr.parts)
        self.kind = kind

    def source(self) -> str:
        return f"{self.kind.__name__}({super().source()})"

    def sample(self) -> Any:  # type: ignore[override]
        try:
            return self.kind(super().sample())
        except ValueError:
            return super().sample()


def _part_compose(part: _interpolation.Part) -> str:
    if isinstance(part, str):
        return part.replace("$", "$$")
    return f"${{{part.name}{part.operator}{Expr(part.argument).compose()}}}"


def _part_source(part: _interpolation.Part) -> str:
    if isinstance(part, str):
        return _text(part)
    name = _text(part.name)
    argument = Expr(part.argument).source()
    if part.operator == ":-":
        return f"(os.environ.get({name}) or {argument})"
    if part.operator == "-":
        return f"os.environ.get({name}, {argument})"
    if part.operator == ":+":
        return f'({argument} if os.environ.get({name}) else "")'
    if part.operator == "+":
        return f'({argument} if {name} in os.environ else "")'
    return f'os.environ.get({name}, "")'


def _required(parts: Sequence[_interpolation.Part]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in parts:
        if isinstance(part, _interpolation.Var):
            if part.operator in (":?", "?"):
                out[part.name] = part.operator + Expr(part.argument).sample()
            out.update(_required(part.argument))
    return out


def interpolated(value: Any, where: tuple[str, int]) -> Any:
    """``value`` with each string holding a variable made an :class:`Expr`
    (``$$`` made ``$``)."""
    if isinstance(value, str):
        if "$" not in value:
            return value
        try:
            parts = _interpolation.parse(value)
        except _interpolation.InterpolationError as exc:
            raise ComposeError(where[0], where[1], str(exc)) from None
        if all(isinstance(p, str) for p in parts):
            return "".join(parts)  # type: ignore[arg-type]
        return Expr(parts)
    if isinstance(value, dict):
        return {k: interpolated(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolated(v, where) for v in value]
    return value


def sample(value: Any) -> Any:
    """``value`` with each Expr made its value with no variable set."""
    if isinstance(value, Expr):
        return value.sample()
    if isinstance(value, dict):
        return {k: sample(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sample(v) for v in value]
    return value


def required(value: Any) -> dict[str, str]:
    if isinstance(value, Expr):
        return value.required()
    out: dict[str, str] = {}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        out.update(required(item))
    return out


def python(value: Any, indent: int = 4) -> str:
    """``value`` as Python source; a long dict or list one item a line."""
    flat = _flat(value)
    if len(flat) + indent < 92 or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{pad}{_flat(k)}: {python(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{python(v, indent + 4)}," for v in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _flat(value: Any) -> str:
    if isinstance(value, Expr):
        return value.source()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flat(k)}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return _text(value) if isinstance(value, str) else repr(value)


def _text(text: str) -> str:
    """A str literal in double quotes (JSON's escapes are Python's)."""
    return json.dumps(text, ensure_ascii=False)


def uses_environment(value: Any) -> bool:
    if isinstance(value, Expr):
        return True
    if isinstance(value, dict):
        return any(uses_environment(v) for v in value.values())
    if isinstance(value, list):
        return any(uses_environment(v) for v in value)
    return False


# ---- one class per service ----------------------------------------------------------------


@dataclasses.dataclass
class Lost:
    """A key (or part of one) that has no place in the spec."""

    where: tuple[str, int]
    key: str
    value: Any
    reason: str

    def comment(self) -> list[str]:
        shown = yaml.safe_dump(_plain(self.value), default_flow_style=True, width=10**6).strip()
        shown = shown[:-4] if shown.endswith("\n...") else shown
        reason = textwrap.wrap(
            f"({self.reason})", 92, initial_indent="#   ", subsequent_indent="#    "
        )
        return [f"# not converted: {self.key}: {shown}", *reason]


def _plain(value: Any) -> Any:
    if isinstance(value, Expr):
        return value.compose()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclasses.dataclass
class ServiceClass:
    service: str  # '' for an abstract base
    name: str  # the class's name
    where: tuple[str, int]
    bases: list[str] = dataclasses.field(default_factory=list)
    attrs: dict[str, Any] = dataclasses.field(default_factory=dict)
    lost: list[Lost] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    depends: dict[str, Any] = dataclasses.field(default_factory=dict)


def _class_name(name: str, taken: set[str]) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    base = "".join(w[:1].upper() + w[1:] for w in words) or "Service"
    if base[0].isdigit() or keyword.iskeyword(base):
        base = "Service" + base
    out, n = base, 2
    while out in taken:
        out, n = f"{base}{n}", n + 1
    taken.add(out)
    return out


class _Converter:
    def __init__(self, project: Node) -> None:
        self.project = project
        self.taken: set[str] = set()
        self.bases: dict[str, ServiceClass] = {}

    # -- a key at a time

    def set(self, out: ServiceClass, f: Field, key: str, value: Any) -> None:
        """Sets the field when the value passes its check, or keeps the key as lost."""
        self.set_interpolated(out, f, key, interpolated(value, out.where))

    def set_interpolated(self, out: ServiceClass, f: Field, key: str, value: Any) -> None:
        # Compose takes "0.5" for a number: a field of numbers (one that
        # takes no word) gets the number, so the spec reads as what it is.
        numeric = not _takes(f, "word")
        if (
            isinstance(value, str)
            and (numeric or not _takes(f, value))
            and _takes(f, _number(value))
        ):
            value = _number(value)
        if isinstance(value, Expr) and (numeric or not _takes(f, value.sample())):
            number = _number(value.sample())
            if not isinstance(number, str) and _takes(f, number):
                value = Cast(value, type(number))
        try:
            f.check(out.name, sample(value))
        except ServiceDefinitionError as exc:
            out.lost.append(Lost(out.where, key, value, f"{f.name}: {_after_owner(exc)}"))
            return
        out.attrs[f.name] = value

    def key(self, out: ServiceClass, key: str, value: Any, node: Node) -> None:
        out.where = (node.path, node.line_of(key))
        handler = getattr(self, "key_" + key, None)
        if handler is not None:
            handler(out, value)
            return
        f = _compose_keys.field_for(key)
        if f is not None:
            self.set(out, f, key, _form(f, key, value, out.where))
            return
        row = _compose_keys.key(key)
        if row is None:
            out.lost.append(Lost(out.where, key, value, "not a key of a Compose service"))
        elif not self.create_option(out, row, value):
            out.lost.append(Lost(out.where, key, value, row.reason()))

    def create_option(self, out: ServiceClass, row: _compose_keys.Key, value: Any) -> bool:
        """A key whose value is the engine's own, into ``create_options``
        (when the attribute exists)."""
        f = _FIELDS.get("create_options")
        if f is None or row.instead or not (row.host_config or row.config):
            return False
        if row.compose in ("dns", "dns_search") and isinstance(value, str):
            value = [value]
        if row.compose == "sysctls":
            value = as_mapping(value)
        options = dict(out.attrs.get("create_options") or {})
        if row.host_config:
            options["HostConfig"] = {**options.get("HostConfig", {}), row.host_config: value}
        else:
            options[row.config] = value
        before = out.attrs.get("create_options")
        self.set(out, f, "create_options", options)
        if out.attrs.get("create_options") is before:
            out.lost.pop()
            return False
        return True

    def key_build(self, out: ServiceClass, value: Any) -> None:
        spec = {"context": value} if isinstance(value, str) else dict(value or {})
        context = _compose_keys.field_for("build")
        subs = _compose_keys.mapped_sub_keys("build")
        for sub, item in spec.items():
            if sub == "context" and context is not None:
                self.set(out, context, "build.context", item)
            elif sub in subs:
                item = _form(subs[sub], f"build.{sub}", item, out.where)
                self.set(out, subs[sub], f"build.{sub}", item)
            else:
                out.lost.append(Lost(out.where, f"build.{sub}", item, "no drillmaster attribute"))
        if "context" not in spec and context is not None and spec:
            self.set(out, context, "build.context", ".")

    def key_depends_on(self, out: ServiceClass, value: Any) -> None:
        edges = value if isinstance(value, dict) else {str(v): {} for v in value or ()}
        for name, spec in edges.items():
            spec = spec or {}
            out.depends[name] = spec.get("condition", "service_started")
            for sub, item in spec.items():
                if sub != "condition":
                    out.lost.append(
                        Lost(out.where, f"depends_on.{name}.{sub}", item, _DEPENDS_ON.get(sub, ""))
                    )
        f = _compose_keys.field_for("depends_on")
        if f is not None:
            self.set(out, f, "depends_on", list(edges))

    def key_environment(self, out: ServiceClass, value: Any) -> None:
        env = {}
        for name, item in (as_mapping(value) or {}).items():
            if item is None:
                item = "${" + str(name) + "}"  # Compose passes the host's value on
            elif isinstance(item, bool):
                item = "true" if item else "false"
            env[str(name)] = _braces_kept(interpolated(item, out.where))
        f = _compose_keys.field_for("environment")
        if f is not None:
            self.set_interpolated(out, f, "environment", env)

    def key_volumes(self, out: ServiceClass, value: Any) -> None:
        f = _compose_keys.field_for("volumes")
        kept = []
        for item in value or ():
            short = _short_volume(item)
            if short is None:
                out.lost.append(Lost(out.where, "volumes", [item], _LONG_VOLUME))
            else:
                kept.append(short)
        if f is not None and kept:
            self.set(out, f, "volumes", kept)

    def key_ports(self, out: ServiceClass, value: Any) -> None:
        f = _compose_keys.field_for("ports")
        if f is None:
            return
        strings = [_port_string(item) for item in value or ()]
        if _takes(f, ["80"]):
            self.set(out, f, "ports", strings)
            return
        ports: dict[Any, Any] = {}
        for item, text in zip(value or (), strings):
            pair = _port_pair(text)
            if pair is None:
                out.lost.append(Lost(out.where, "ports", [item], _PORTS))
            else:
                ports[pair[0]] = pair[1]
        if ports:
            self.set(out, f, "ports", ports)

    def key_deploy(self, out: ServiceClass, value: Any) -> None:
        """The parts of ``deploy`` a field maps (unless the service sets
        that field itself); the rest is lost."""
        subs = _compose_keys.mapped_sub_keys("deploy")
        row = _compose_keys.key("deploy")
        for path, item in _leaves(value or {}, set(subs)):
            f = subs.get(path)
            if path == "replicas" and item == 1:
                continue
            if f is None:
                out.lost.append(
                    Lost(out.where, f"deploy.{path}", item, row.reason() if row else "")
                )
            elif f.name in out.attrs:
                out.lost.append(Lost(out.where, f"deploy.{path}", item, f"{f.name} is set too"))
            elif path == "restart_policy":
                self.restart_policy(out, f, item)
            else:
                self.set(out, f, f"deploy.{path}", item)

    def restart_policy(self, out: ServiceClass, f: Field, policy: Any) -> None:
        """``deploy.restart_policy`` as a ``restart``."""
        policy = dict(policy or {})
        condition = policy.pop("condition", "any")
        attempts = policy.pop("max_attempts", None)
        restart = {"none": "no", "any": "always", "on-failure": "on-failure"}.get(condition)
        if restart == "on-failure" and attempts:
            restart += f":{attempts}"
        for sub, item in policy.items():
            out.lost.append(Lost(out.where, f"deploy.restart_policy.{sub}", item, _POLICY))
        if restart is None:
            out.lost.append(Lost(out.where, "deploy.restart_policy", condition, _POLICY))
        else:
            self.set(out, f, "deploy.restart_policy", restart)

    def key_networks(self, out: ServiceClass, value: Any) -> None:
        """The group has one network: each network's ``aliases`` (when a
        field maps ``networks.aliases``) become the service's; the rest is lost."""
        subs = _compose_keys.mapped_sub_keys("networks")
        row = _compose_keys.key("networks")
        networks = value if isinstance(value, dict) else {str(n): None for n in value or ()}
        found: dict[str, list] = {}
        rest: dict[str, Any] = {}
        for network, spec in networks.items():
            for sub, item in (spec or {}).items():
                if sub in subs:
                    found.setdefault(sub, []).extend(i for i in item or () if i not in found[sub])
                else:
                    rest.setdefault(network, {})[sub] = item
            rest.setdefault(network, None)
        for sub, items in found.items():
            self.set(out, subs[sub], f"networks.{sub}", items)
        if list(rest) != ["default"] or rest["default"]:
            reason = row.reason() if row else ""
            out.lost.append(Lost(out.where, "networks", rest, reason))

    def key_secrets(self, out: ServiceClass, value: Any) -> None:
        """Compose's file secrets as NAME -> the file the top level names."""
        f = _compose_keys.field_for("secrets")
        row = _compose_keys.key("secrets")
        if f is None:
            out.lost.append(Lost(out.where, "secrets", value, row.reason() if row else ""))
            return
        defined = self.project.get("secrets") or {}
        files = {}
        for item in value or ():
            spec = item if isinstance(item, dict) else {"source": item}
            source = str(spec.get("source", ""))
            target = str(spec.get("target") or source)
            path = (defined.get(source) or {}).get("file")
            if path is None or "/" in target or set(spec) - {"source", "target"}:
                out.lost.append(Lost(out.where, "secrets", [item], _SECRETS))
            else:
                files[target] = path
        if files:
            self.set(out, f, "secrets", files)

    def key_env_file(self, out: ServiceClass, value: Any) -> None:
        f = _compose_keys.field_for("env_file")
        row = _compose_keys.key("env_file")
        if f is None:
            out.lost.append(Lost(out.where, "env_file", value, row.reason() if row else ""))
            return
        paths = []
        for item in [value] if isinstance(value, (str, dict)) else value or ():
            if isinstance(item, dict):
                if item.get("required", True) is False:
                    out.lost.append(Lost(out.where, "env_file.required", False, _ENV_FILE))
                item = item.get("path")
            paths.append(item)
        self.set(out, f, "env_file", paths[0] if isinstance(value, str) else paths)

    def key_healthcheck(self, out: ServiceClass, value: Any) -> None:
        from ._healthcheck import Healthcheck

        known = set(Healthcheck.__dataclass_fields__)
        check = {}
        for sub, item in (value or {}).items():
            if sub in known:
                check[sub] = item
            else:
                out.lost.append(Lost(out.where, f"healthcheck.{sub}", item, _HEALTHCHECK))
        if check.get("test") in (["NONE"], "NONE"):
            check = {"disable": True}
        f = _compose_keys.field_for("healthcheck")
        if f is not None:
            self.set(out, f, "healthcheck", check)

    # -- whole classes

    def service(self, name: str, node: Node) -> ServiceClass:
        out = ServiceClass(name, _class_name(name, self.taken), (node.path, node.line))
        for anchor, mapping in node.merged:
            out.bases.append(self.base(anchor, mapping).name)
        self.keys(out, node)
        out.attrs = {"name": name, **out.attrs}
        self.inherit(out)
        return out

    def keys(self, out: ServiceClass, node: Node) -> None:
        """Every key of a service; ``deploy`` last, so that a field's own key
        wins over deploy's part."""
        keys = sorted((str(k) for k in node if not str(k).startswith("x-")), key="deploy".__eq__)
        for key in keys:
            self.key(out, key, node[key], node)

    def base(self, anchor: str, mapping: Node) -> ServiceClass:
        if anchor not in self.bases:
            out = ServiceClass("", _class_name(anchor, self.taken), (mapping.path, mapping.line))
            self.keys(out, mapping)
            out.depends = {}
            self.bases[anchor] = out
        return self.bases[anchor]

    def inherit(self, out: ServiceClass) -> None:
        """What a base class already says is not repeated in the service's."""
        for base in (b for b in self.bases.values() if b.name in out.bases):
            for attr, value in base.attrs.items():
                if attr in out.attrs and _flat(out.attrs[attr]) == _flat(value):
                    del out.attrs[attr]
            lost = {tuple(x.comment()) for x in base.lost}
            out.lost = [x for x in out.lost if tuple(x.comment()) not in lost]


_DEPENDS_ON = {
    "restart": "drillmaster restarts a dependant when its dependency gets a new container "
    "on `reload` of both; `restart` of an edge has no equivalent",
    "required": "every dependency is required: a missing service is an error at start",
}
_LONG_VOLUME = "only bind and volume mounts convert; the others go in create_options"
_PORTS = "a host IP or a port range needs a ports list of Compose strings"
_HEALTHCHECK = "not a key of drillmaster.Healthcheck"
_POLICY = "restart takes no, always, unless-stopped or on-failure[:N]"
_SECRETS = "only file secrets of the top level mounted at /run/secrets/NAME convert"
_ENV_FILE = "drillmaster requires every env file: a missing one is an error at start"


def _braces_kept(value: Any) -> Any:
    """Literal braces of an env value doubled: drillmaster's env takes
    ``{key}`` for a Context value, Compose's does not."""
    if isinstance(value, str):
        return value.replace("{", "{{").replace("}", "}}")
    if isinstance(value, Expr):
        return Expr([_braces_kept(p) if isinstance(p, str) else p for p in value.parts])
    return value


def _after_owner(exc: Exception) -> str:
    return str(exc).split(": ", 1)[-1]


def _leaves(value: Any, stops: set, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value) of each leaf of a mapping, not going below ``stops``."""
    if not isinstance(value, dict) or prefix.rstrip(".") in stops:
        return [(prefix.rstrip("."), value)]
    out = []
    for key, item in value.items():
        out += _leaves(item, stops, f"{prefix}{key}.")
    return out


def _form(f: Field, key: str, value: Any, where: tuple[str, int]) -> Any:
    """The value as written when the field takes it, else a "KEY=value"
    list as a mapping."""
    taken = _takes(f, sample(interpolated(value, where)))
    if key in MAPPING_LIKE and isinstance(value, list) and not taken:
        return as_mapping(value, colon=key == "extra_hosts")
    return value


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _takes(f: Field, value: Any) -> bool:
    try:
        f.check("X", value)
    except ServiceDefinitionError:
        return False
    return True


def _short_volume(item: Any) -> Any:
    """A volume in Docker's short form; None for a mount it cannot say."""
    if not isinstance(item, dict):
        return item
    if item.get("type", "volume") not in ("bind", "volume") or "target" not in item:
        return None
    if set(item) - {"type", "source", "target", "read_only"}:
        return None
    if not item.get("source"):
        return item["target"]
    mode = ":ro" if item.get("read_only") else ""
    return f"{item['source']}:{item['target']}{mode}"


def _port_string(item: Any) -> Any:
    """A port in Compose's short form ("[ip:][host:]container[/proto]"), or
    the long one ("published=8080,target=80,mode=host") when it says a mode."""
    if not isinstance(item, dict):
        return str(item) if isinstance(item, int) else item
    if item.get("mode"):
        keys = ("published", "target", "protocol", "mode", "host_ip")
        return ",".join(f"{k}={item[k]}" for k in keys if item.get(k) not in (None, ""))
    text = str(item.get("target", ""))
    if item.get("published") not in (None, ""):
        text = f"{item['published']}:{text}"
        if item.get("host_ip"):
            text = f"{item['host_ip']}:{text}"
    if item.get("protocol") and item["protocol"] != "tcp":
        text += f"/{item['protocol']}"
    return text


_SIMPLE_PORT = re.compile(r"^(?:([0-9]+):)?([0-9]+)(/(?:tcp|udp|sctp))?$")


def _port_pair(text: Any) -> tuple[Any, Any] | None:
    """(container port, host port or None) of a plain "host:container/proto"."""
    match = _SIMPLE_PORT.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    host, container, proto = match.groups()
    key: Any = int(container) if not proto or proto == "/tcp" else container + proto
    return key, int(host) if host else None


# ---- across services -----------------------------------------------------------------------


def _edges(classes: dict[str, ServiceClass]) -> None:
    """``depends_on`` conditions: one-shot jobs, and where readiness differs."""
    conditions: dict[str, dict[str, str]] = {}
    for out in classes.values():
        for dep, condition in out.depends.items():
            conditions.setdefault(dep, {})[out.service] = condition
            if condition == "service_healthy" and dep in classes:
                out.notes.append(
                    f"depends_on {dep}: service_healthy: {out.service} starts once {dep} is "
                    f"ready, which waits for {dep}'s health check"
                )
            if condition == "service_completed_successfully" and "oneshot" in _FIELDS:
                out.notes.append(
                    f"depends_on {dep}: service_completed_successfully: {dep} is a one-shot "
                    f"job; {out.service} starts once it exited with 0"
                )
    for dep, by in conditions.items():
        if dep not in classes:
            continue
        target = classes[dep]
        kinds = set(by.values())
        if "service_completed_successfully" in kinds:
            _oneshot(target, by)
        if "service_healthy" in kinds and "healthcheck" not in target.attrs:
            target.notes.append(
                f"dependants wait for health: the health check is the image's HEALTHCHECK "
                f"({dep} has no healthcheck here)"
            )
        if len(kinds) > 1:
            shown = ", ".join(f"{name}: {cond}" for name, cond in sorted(by.items()))
            target.notes.append(
                f"Compose's conditions differ per dependant ({shown}); drillmaster's readiness "
                f"is per service: every dependant of {dep} waits until it is ready"
            )


def _oneshot(target: ServiceClass, by: dict[str, str]) -> None:
    f = _FIELDS.get("oneshot")
    if f is None:
        names = ", ".join(sorted(n for n, c in by.items() if c == "service_completed_successfully"))
        target.lost.append(
            Lost(
                target.where,
                "depends_on condition",
                "service_completed_successfully",
                f"{names} must wait for {target.service} to complete: this drillmaster has "
                "no one-shot services",
            )
        )
        return
    target.attrs["oneshot"] = True
    restart = target.attrs.get("restart")
    if restart not in (None, "no"):
        del target.attrs["restart"]
        target.notes.append(f"restart {restart!r} dropped: a one-shot job is not restarted")


# ---- the spec -------------------------------------------------------------------------------

_TOP_LEVEL_IGNORED = {"version", "services", "name"}


def _top_level(project: Node) -> list[Lost]:
    lost = []
    for key, value in project.items():
        if key in _TOP_LEVEL_IGNORED or str(key).startswith("x-"):
            continue
        where = (project.path, project.line_of(key))
        if key == "volumes" and all(not v for v in (value or {}).values()):
            continue  # named volumes the engine creates on first use
        if key == "secrets" and _compose_keys.field_for("secrets") is not None:
            value = {k: v for k, v in (value or {}).items() if set(v or {}) != {"file"}}
            if not value:
                continue  # file secrets: the services' secrets name their files
        lost.append(Lost(where, str(key), value, "top-level elements other than services"))
    return lost


@dataclasses.dataclass
class Result:
    spec: str
    lost: list[Lost]
    files: list[str]


def convert(path: str) -> Result:
    """The spec for the compose file at ``path`` (and its override file)."""
    project, files = load_project(path)
    converter = _Converter(project)
    classes = {
        str(name): converter.service(str(name), node) for name, node in project["services"].items()
    }
    _edges(classes)
    top = _top_level(project)
    everything = [*converter.bases.values(), *classes.values()]
    lost = top + [item for out in everything for item in out.lost]
    group = project.get("name")
    spec = _write(files, everything, top, group)
    return Result(spec, lost, files)


def _write(files: list[str], classes: list[ServiceClass], top: list[Lost], group: Any) -> str:
    shown = " and ".join(os.path.basename(f) for f in files)
    group_value = interpolated(group, (files[0], 1)) if group is not None else None
    environ = uses_environment(group_value) or any(uses_environment(c.attrs) for c in classes)
    lines = [
        "#! /usr/bin/env python3",
        f'"""The services of {shown}, converted by `drillmaster convert`.',
        "",
        f"Keep it beside {os.path.basename(files[0])}: paths are relative to the spec's directory,",
        "and the .env file there is read as Compose reads it.",
        '"""',
        "",
    ]
    lines += ["import os", ""] if environ else []
    lines += ["import drillmaster", "import drillmaster.compose", ""]
    lines += ["drillmaster.compose.load_dotenv(__file__)"]
    if group_value is not None:
        lines.append(f"drillmaster.group_name({python(group_value, 0)})")
    for item in top:
        lines += item.comment()
    for out in classes:
        lines += ["", "", *_class_source(out, classes)]
    lines += ["", "", 'if __name__ == "__main__":', "    drillmaster.main()", ""]
    return "\n".join(lines)


def _class_source(out: ServiceClass, classes: list[ServiceClass]) -> list[str]:
    bases = ", ".join(out.bases) or "drillmaster.Service"
    lines = [f"class {out.name}({bases}):"]
    body = ["abstract = True"] if not out.service else []
    body += [f"{attr} = {python(value)}" for attr, value in out.attrs.items()]
    for note in out.notes:
        body += textwrap.wrap(note, 94, initial_indent="# ", subsequent_indent="#   ")
    for item in out.lost:
        body += item.comment()
    needed = _needed(out, classes)
    if needed:
        body += [
            "",
            "def pre_start(self):",
            f"    drillmaster.compose.require(self.name, {python(needed, 8)})",
        ]
    return lines + ["    " + line if line else "" for line in body or ["pass"]]


def _needed(out: ServiceClass, classes: list[ServiceClass]) -> dict[str, str]:
    """The required variables of a service and of its bases."""
    if not out.service:
        return {}
    needed: dict[str, str] = {}
    for c in classes:
        if c.name in out.bases:
            needed.update(required(list(c.attrs.values())))
    needed.update(required(list(out.attrs.values())))
    return needed


# ---- the command --------------------------------------------------------------------------


USAGE = """usage: drillmaster convert [--check] COMPOSE_FILE

Writes a drillmaster spec for COMPOSE_FILE (with its override file,
compose.override.yaml, when there is one) to standard output.

  --check   write nothing; list what would not convert, exit 1 if anything would be lost
"""


def main(args: Sequence[str]) -> int:
    """``drillmaster convert``: the exit status."""
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    if rest and rest[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if len(rest) != 1 or rest[0].startswith("-"):
        sys.stderr.write(USAGE + "\nError: name one compose file\n")
        return 2
    try:
        result = convert(rest[0])
    except ComposeError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 2
    for item in result.lost:
        where = f"{item.where[0]}:{item.where[1]}"
        stream = sys.stdout if check else sys.stderr
        stream.write(f"{where}: not converted: {item.key} ({item.reason})\n")
    if check:
        if not result.lost:
            sys.stdout.write(f"{' and '.join(result.files)}: every key converts\n")
        return 1 if result.lost else 0
    sys.stdout.write(result.spec)
    return 0
