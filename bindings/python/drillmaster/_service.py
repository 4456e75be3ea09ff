"""``drillmaster.Service``: a service described by a class.

A spec subclasses :class:`Service` and sets class attributes; the subclass is
checked and registered the moment Python executes its ``class`` statement, so
a wrong type is an error at import that names the class and the attribute.
Whether the services form a valid group (names, dependencies, ports in range)
is checked later, by the C library, before anything starts.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Type, Union

from ._errors import ServiceDefinitionError

__all__ = ["Service", "services", "check_text"]

#: Every registered Service subclass, in definition order.
_registry: List[Type["Service"]] = []

_PORT_KEY = re.compile(r"^[0-9]+(/(tcp|udp|sctp))?$")

PortKey = Union[int, str]
EnvValue = Union[str, int, float]
Volumes = Union[Sequence[str], Mapping[str, Union[str, Mapping[str, str]]]]
Command = Union[str, Sequence[str]]

# Hooks a subclass may override, and the alias accepted for one of them.
_HOOKS = ("ping", "pre_start", "post_start_init")
_ALIASES = {"post_start": "post_start_init"}


class Service:
    """Base class of a service definition.

    Subclass it and set the class attributes; every subclass is registered
    when it is defined (set ``abstract = True`` in a class body to make a base
    class that is not a service itself)::

        class Database(drillmaster.Service):
            image = "postgres:16"
            name = "appdb"
            env = {"POSTGRES_PASSWORD": "dbpwd"}
            ports = {5433: 5433}

    Hooks run in the spec's process, on worker threads, with ``self`` an
    instance of the class whose ``container_id``, ``container_name``,
    ``network`` and ``group`` describe the container at hand.
    """

    #: The service's name: a DNS label, unique in the group, and the
    #: container's host name on the group network. Default: the class name,
    #: lower-cased.
    name: ClassVar[str] = ""
    #: The image to run, e.g. ``"postgres:16"``; with ``build_from``, the tag
    #: the image is built under (default ``drillmaster-<group>-<name>:latest``).
    image: ClassVar[Optional[str]] = None
    #: Names of services that must be running before this one starts.
    dependencies: ClassVar[Sequence[str]] = ()
    #: Published ports, container port -> host port. A container port may be
    #: ``"53/udp"``; tcp is the default.
    ports: ClassVar[Mapping[PortKey, int]] = {}
    #: Environment variables. Values may be numbers; ``{key}`` in a string is
    #: replaced by ``drillmaster.Context[key]`` when the service starts
    #: (``{{key}}`` stands for a literal ``{key}``).
    env: ClassVar[Mapping[str, EnvValue]] = {}
    #: Volumes: ``["host:container[:ro|rw]", ...]`` (Docker's short form; a
    #: host path starting with ``.`` is relative to the spec's directory), or
    #: ``{host: {"bind": container, "mode": "ro"}}``.
    volumes: ClassVar[Volumes] = ()
    #: True: every start creates a new container, never reusing one.
    always_start_new: ClassVar[bool] = False
    #: The signal that stops the container, e.g. ``"SIGINT"``.
    stop_signal: ClassVar[str] = "SIGTERM"
    #: A directory to build the image from, relative to the spec's directory.
    build_from: ClassVar[Optional[Union[str, "os.PathLike[str]"]]] = None
    #: The Dockerfile inside ``build_from``.
    dockerfile: ClassVar[str] = "Dockerfile"
    #: Overrides the image's entrypoint: a list, or a string split like a shell.
    entrypoint: ClassVar[Optional[Command]] = None
    #: Overrides the image's command: a list, or a string split like a shell.
    cmd: ClassVar[Optional[Command]] = None
    #: The user the container runs as: a name, a uid, or ``"uid:gid"``.
    user: ClassVar[Optional[Union[str, int]]] = None
    #: Seconds this service may take to become ready (ping loop and init);
    #: default: the ``--timeout`` of ``start``.
    timeout: ClassVar[Optional[float]] = None

    # Set on the instance before each hook runs.
    #: The container's id (None in ``pre_start``: there is no container yet).
    container_id: Optional[str] = None
    #: The container's name, e.g. ``"mygroup-appdb-1"`` (None in ``pre_start``).
    container_name: Optional[str] = None
    #: The group's network; the service is reachable there under its name.
    network: Optional[str] = None
    #: The group's name.
    group: Optional[str] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False) is True:
            return
        if "name" not in cls.__dict__:
            cls.name = cls.__name__.lower()
        _validate(cls)
        _registry.append(cls)

    def ping(self) -> bool:
        """Readiness check, polled right after the container starts and then
        every 0.1 s until it returns True or the service's timeout passes.

        Not overriding it means the service is ready as soon as its container
        runs. An ``OSError`` (connection refused or reset, a URL error...)
        counts as "not ready yet" and is shown if the timeout passes; any
        other exception fails the service at once, with its traceback.
        """
        return True

    def pre_start(self) -> None:
        """Runs before a new container is created (never when an existing one
        is reused). An exception fails the service."""

    def post_start_init(self) -> None:
        """Runs once after a new container's first successful ping: create
        schemas, load fixtures. Not run when an existing container is reused.
        ``post_start`` is accepted as another name for it."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} service {self.name!r}>"


def services() -> List[Type[Service]]:
    """The registered Service subclasses, in the order they were defined."""
    return list(_registry)


# ---- class validation -----------------------------------------------------------


def _type_name(value: Any) -> str:
    return type(value).__name__


def _fail(cls: type, attr: str, expected: str, value: Any, detail: str = "") -> None:
    got = detail or _type_name(value)
    raise ServiceDefinitionError(f"{cls.__name__}.{attr}: expected {expected}, got {got}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_name(cls: type, value: Any) -> None:
    if not isinstance(value, str):
        _fail(cls, "name", "a str", value)
    if not value:
        _fail(cls, "name", "a non-empty str", value, "''")


def _check_image(cls: type, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        _fail(cls, "image", "a str", value)


def _check_dependencies(cls: type, value: Any) -> None:
    expected = "a list of str"
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        _fail(cls, "dependencies", expected, value)
    for item in value:
        if not isinstance(item, str):
            _fail(cls, "dependencies", expected, value,
                  f"{_type_name(value)} containing {_type_name(item)} {item!r}")


def _check_ports(cls: type, value: Any) -> None:
    expected = "a dict of int to int"
    if not isinstance(value, Mapping):
        _fail(cls, "ports", expected, value)
    for key, host in value.items():
        if not (_is_int(key) or (isinstance(key, str) and _PORT_KEY.match(key))):
            _fail(cls, "ports", expected, value, f"key {key!r} ({_type_name(key)})")
        if not _is_int(host):
            _fail(cls, "ports", expected, value, f"value {host!r} ({_type_name(host)}) for key {key!r}")


def _check_env(cls: type, value: Any) -> None:
    expected = "a dict of str to str"
    if not isinstance(value, Mapping):
        _fail(cls, "env", expected, value)
    for key, item in value.items():
        if not isinstance(key, str):
            _fail(cls, "env", expected, value, f"key {key!r} ({_type_name(key)})")
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            _fail(cls, "env", expected, value, f"value {item!r} ({_type_name(item)}) for {key!r}")


def _check_volumes(cls: type, value: Any) -> None:
    expected = "a list of str or a dict of host path to {'bind': path, 'mode': 'ro'}"
    if isinstance(value, Mapping):
        for host, spec in value.items():
            if not isinstance(host, str):
                _fail(cls, "volumes", expected, value, f"key {host!r} ({_type_name(host)})")
            if isinstance(spec, str):
                continue
            if not isinstance(spec, Mapping) or not isinstance(spec.get("bind"), str) or \
                    not isinstance(spec.get("mode", "rw"), str):
                _fail(cls, "volumes", expected, value, f"{spec!r} for {host!r}")
        return
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        _fail(cls, "volumes", expected, value)
    for item in value:
        if not isinstance(item, str):
            _fail(cls, "volumes", expected, value,
                  f"{_type_name(value)} containing {_type_name(item)} {item!r}")


def _check_bool(attr: str) -> Callable[[type, Any], None]:
    def check(cls: type, value: Any) -> None:
        if not isinstance(value, bool):
            _fail(cls, attr, "a bool", value)
    return check


def _check_stop_signal(cls: type, value: Any) -> None:
    if not isinstance(value, (str, signal.Signals)):
        _fail(cls, "stop_signal", "a signal name such as 'SIGTERM'", value)


def _check_build_from(cls: type, value: Any) -> None:
    if value is not None and not isinstance(value, (str, os.PathLike)):
        _fail(cls, "build_from", "a directory path (str)", value)


def _check_dockerfile(cls: type, value: Any) -> None:
    if not isinstance(value, (str, os.PathLike)):
        _fail(cls, "dockerfile", "a str", value)


def _check_command(attr: str) -> Callable[[type, Any], None]:
    def check(cls: type, value: Any) -> None:
        if value is None or isinstance(value, str):
            return
        expected = "a str or a list of str"
        if not isinstance(value, (list, tuple)):
            _fail(cls, attr, expected, value)
        for item in value:
            if not isinstance(item, str):
                _fail(cls, attr, expected, value,
                      f"{_type_name(value)} containing {_type_name(item)} {item!r}")
    return check


def _check_user(cls: type, value: Any) -> None:
    if value is not None and not isinstance(value, str) and not _is_int(value):
        _fail(cls, "user", "a str or an int", value)


def _check_timeout(cls: type, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        _fail(cls, "timeout", "a number of seconds", value)


_CHECKS: Dict[str, Callable[[type, Any], None]] = {
    "name": _check_name,
    "image": _check_image,
    "dependencies": _check_dependencies,
    "ports": _check_ports,
    "env": _check_env,
    "volumes": _check_volumes,
    "always_start_new": _check_bool("always_start_new"),
    "stop_signal": _check_stop_signal,
    "build_from": _check_build_from,
    "dockerfile": _check_dockerfile,
    "entrypoint": _check_command("entrypoint"),
    "cmd": _check_command("cmd"),
    "user": _check_user,
    "timeout": _check_timeout,
}


# ---- text the C library gets ---------------------------------------------------
#
# The C library takes NUL-terminated strings: a NUL inside a value would cut
# it there, silently. One walk over every attribute's strings, whatever its
# shape, rejects them all, and says where the NUL is.


def _nul_at(value: Any) -> Optional[str]:
    """Where a NUL is in ``value`` (a str, path, sequence or mapping of
    them): "" for the value itself, "the value of 'PW' " etc.; None if none."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, (str, bytes)):
        return "" if ("\0" if isinstance(value, str) else b"\0") in value else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _nul_at(key) is not None:
                return f"the key {key!r} "
            inner = _nul_at(item)
            if inner is not None:
                return f"{inner}in the value of {key!r} " if inner else f"the value of {key!r} "
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            inner = _nul_at(item)
            if inner is not None:
                return f"{inner}in item {index} " if inner else f"item {index} ({item!r}) "
    return None


def check_text(owner: str, attr: str, value: Any) -> None:
    """Raises ServiceDefinitionError naming ``owner.attr`` and the place
    when a string in ``value`` holds a NUL character."""
    where = _nul_at(value)
    if where is not None:
        shown = f"{value!r} " if where == "" else where
        raise ServiceDefinitionError(
            f"{owner}.{attr}: {shown}contains a NUL character (\\x00), which cannot be passed "
            f"to Docker (it would cut the text there); remove it")


def _validate(cls: Type[Service]) -> None:
    for attr, check in _CHECKS.items():
        value = getattr(cls, attr)
        check(cls, value)
        check_text(cls.__name__, attr, value)
    for hook in (*_HOOKS, *_ALIASES):
        value = getattr(cls, hook, None)
        if value is not None and not callable(value):
            _fail(cls, hook, "a method", value)
    if _overrides(cls, "post_start") and _overrides(cls, "post_start_init"):
        raise ServiceDefinitionError(
            f"{cls.__name__}: define post_start_init or post_start (another name for it), not both")


def _overrides(cls: type, hook: str) -> bool:
    """Whether the class (or a base below Service) defines the hook."""
    for klass in cls.__mro__:
        if klass is Service:
            return False
        if hook in klass.__dict__:
            return True
    return False


# ---- the definition handed to the C library -----------------------------------


@dataclass
class Definition:
    """A service class's attributes, normalised for the C library."""

    cls: Type[Service]
    name: str
    image: Optional[str]
    dependencies: List[str]
    ports: List[Tuple[str, int]]
    env: Dict[str, str]
    volumes: List[str] = field(default_factory=list)
    binds: List[Tuple[str, str, Optional[str]]] = field(default_factory=list)
    always_start_new: bool = False
    stop_signal: str = "SIGTERM"
    build_from: Optional[str] = None
    dockerfile: Optional[str] = None
    entrypoint: Optional[List[str]] = None
    cmd: Optional[List[str]] = None
    user: Optional[str] = None
    timeout: Optional[float] = None
    hooks: Dict[str, str] = field(default_factory=dict)  # C hook -> method name


def _command(value: Optional[Command]) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return shlex.split(value)
    return list(value)


def definition(cls: Type[Service]) -> Definition:
    """The normalised definition of a registered Service subclass, checked
    again (its attributes may have been changed since it was defined)."""
    _validate(cls)
    volumes: List[str] = []
    binds: List[Tuple[str, str, Optional[str]]] = []
    if isinstance(cls.volumes, Mapping):
        for host, spec in cls.volumes.items():
            if isinstance(spec, str):
                binds.append((host, spec, None))
            else:
                binds.append((host, spec["bind"], spec.get("mode")))
    else:
        volumes = list(cls.volumes)
    stop_signal = cls.stop_signal
    if isinstance(stop_signal, signal.Signals):
        stop_signal = stop_signal.name
    hooks: Dict[str, str] = {}
    if _overrides(cls, "ping"):
        hooks["ping"] = "ping"
    if _overrides(cls, "pre_start"):
        hooks["pre_start"] = "pre_start"
    if _overrides(cls, "post_start_init"):
        hooks["post_start_init"] = "post_start_init"
    elif _overrides(cls, "post_start"):
        hooks["post_start_init"] = "post_start"
    return Definition(
        cls=cls,
        name=cls.name,
        image=cls.image,
        dependencies=list(cls.dependencies),
        ports=[(str(k), v) for k, v in cls.ports.items()],
        env={k: str(v) for k, v in cls.env.items()},
        volumes=volumes,
        binds=binds,
        always_start_new=cls.always_start_new,
        stop_signal=stop_signal,
        build_from=os.fspath(cls.build_from) if cls.build_from is not None else None,
        dockerfile=os.fspath(cls.dockerfile) if cls.build_from is not None else None,
        entrypoint=_command(cls.entrypoint),
        cmd=_command(cls.cmd),
        user=str(cls.user) if cls.user is not None else None,
        timeout=float(cls.timeout) if cls.timeout is not None else None,
        hooks=hooks,
    )
