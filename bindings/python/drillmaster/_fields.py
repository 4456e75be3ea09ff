"""The attributes of a service class: one :class:`Field` each, in one table.

The table is the class :class:`Attributes`, which ``drillmaster.Service``
derives from: each attribute is written there once, as ``name: type =
field(...)``. The annotation is for type checkers; the :class:`Field` says,
as click's ``Parameter`` and ``ParamType`` do for an option, everything the
rest of the package needs to know:

- its type: which values it takes and the phrase the error uses
  (``Application.ports: expected a dict of int to int or a list of str, got int``);
- its normaliser: the value turned into what the C library takes (a command
  string split like a shell, a signal made a name, numbers made text);
- its C setter: the call on the ``_core.Service`` that hands it over;
- its default, its documentation, and the Docker Compose key it corresponds to.

The class check, the normalised :class:`~drillmaster._service.Definition`,
the ``Session``'s C group and ``Service.__doc__`` loop over :data:`FIELDS`.
Every string a value holds is also checked for NUL characters here, by one
walk whatever the value's shape (:func:`check_text`): the C library takes
NUL-terminated strings, so a NUL would cut a value silently.

Adding an attribute: its C setter (``service.h``, ``src/capi``, the pybind11
``Service``), one ``field(...)`` line below, its tests; see
``docs/adding-a-field.md``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import textwrap
from typing import (
    Any,
    Callable,
    ClassVar,
    Mapping,
    NoReturn,
    Sequence,
    TypeVar,
    Union,
    cast,
)

from . import _placeholders
from ._errors import ServiceDefinitionError
from ._healthcheck import DURATION, Healthcheck, seconds
from ._watch import Watch

__all__ = ["FIELDS", "Attributes", "Field", "FieldType", "check_text", "field"]

T = TypeVar("T")

PortKey = Union[int, str]
EnvValue = Union[str, int, float]
Volumes = Union[Sequence[str], Mapping[str, Union[str, Mapping[str, str]]]]
Command = Union[str, Sequence[str]]

#: A C setter: ``setter(core_service, normalised_value, all_normalised_values)``.
Setter = Callable[[Any, Any, Mapping[str, Any]], None]


# ---- types: which values an attribute takes -------------------------------------------


class Invalid(Exception):
    """Raised by :meth:`FieldType.fail`; :meth:`Field.check` turns it into
    the ServiceDefinitionError that names the class and the attribute."""

    def __init__(self, got: str, expected: str) -> None:
        super().__init__(got)
        self.got = got
        self.expected = expected


class Unusable(Exception):
    """Raised by a :meth:`FieldType.check` for a value of the right type that
    cannot be used; the message follows ``Class.attribute``."""


def _type_name(value: Any) -> str:
    return type(value).__name__


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class FieldType:
    """Which values an attribute takes (the role of click's ``ParamType``).

    ``expected`` is what the error says is expected; :meth:`check` calls
    :meth:`fail` on a wrong value; :meth:`normalise` returns what the C
    library takes (called only on a checked value other than None).
    """

    expected = ""

    def check(self, value: Any) -> None:
        raise NotImplementedError

    def normalise(self, value: Any) -> Any:
        return value

    def fail(self, value: Any, detail: str = "", expected: str = "") -> NoReturn:
        """Rejects ``value``: the error says ``got <detail>``, or the
        value's type when there is no detail."""
        raise Invalid(detail or _type_name(value), expected or self.expected)

    def fail_item(self, value: Any, item: Any) -> NoReturn:
        """Rejects a list for one of its items."""
        self.fail(value, f"{_type_name(value)} containing {_type_name(item)} {item!r}")


class Text(FieldType):
    """A str; ``non_empty``: and not ''."""

    expected = "a str"

    def __init__(self, *, non_empty: bool = False) -> None:
        self.non_empty = non_empty

    def check(self, value: Any) -> None:
        if not isinstance(value, str):
            self.fail(value)
        if self.non_empty and not value:
            self.fail(value, "''", "a non-empty str")


class Path(FieldType):
    """A str or an ``os.PathLike``, handed over as a str; ``empty``: what
    to say when it is '' (None: '' is a path like another)."""

    def __init__(self, expected: str, *, empty: str | None = None) -> None:
        self.expected = expected
        self.empty = empty

    def check(self, value: Any) -> None:
        if not isinstance(value, (str, os.PathLike)):
            self.fail(value)
        if self.empty is not None and os.fspath(value) == "":
            raise Unusable(f" is empty: {self.empty}")

    def normalise(self, value: Any) -> str:
        return os.fspath(value)


class Names(FieldType):
    """A list (or tuple) of str."""

    expected = "a list of str"

    def check(self, value: Any) -> None:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not isinstance(item, str):
                self.fail_item(value, item)

    def normalise(self, value: Any) -> list[str]:
        return list(value)


_PORT_KEY = re.compile(r"^[0-9]+(/(tcp|udp|sctp))?$")


class Ports(FieldType):
    """container port (an int, or "53/udp") -> host port (an int; None or 0:
    a free port the engine picks); handed over as (container port text, host
    port) pairs, None made 0. Or a list of Compose port strings
    ("127.0.0.1:5433:5432"), handed over as they are. The C library checks
    the numbers' ranges and parses the strings."""

    expected = "a dict of int to int or a list of str"

    def check(self, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                if not isinstance(item, str):
                    self.fail_item(value, item)
            return
        if not isinstance(value, Mapping):
            self.fail(value)
        for key, host in value.items():
            if not (_is_int(key) or (isinstance(key, str) and _PORT_KEY.match(key))):
                self.fail(value, f"key {key!r} ({_type_name(key)})")
            if host is not None and not _is_int(host):
                self.fail(value, f"value {host!r} ({_type_name(host)}) for key {key!r}")

    def normalise(self, value: Any) -> list[tuple[str, int] | str]:
        if not isinstance(value, Mapping):
            return list(value)
        return [(str(key), 0 if host is None else host) for key, host in value.items()]


class Environment(FieldType):
    """str -> str, or a number made text."""

    expected = "a dict of str to str"

    def check(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            self.fail(value)
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail(value, f"key {key!r} ({_type_name(key)})")
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.fail(value, f"value {item!r} ({_type_name(item)}) for {key!r}")
        for key, item in value.items():
            if isinstance(item, str):
                try:
                    _placeholders.check(item)
                except _placeholders.PlaceholderError as exc:
                    raise Unusable(f"[{key!r}] = {item!r}: {exc}") from None

    def normalise(self, value: Any) -> dict[str, str]:
        return {key: str(item) for key, item in value.items()}


class VolumeList(FieldType):
    """Docker's short form ``["host:container[:mode]", ...]``, or
    ``{host: container}`` / ``{host: {"bind": container, "mode": mode}}``.
    Handed over as a list whose items are a short-form str (the library
    parses it) or a (host, container, mode or None) bind."""

    expected = "a list of str or a dict of host path to {'bind': path, 'mode': 'ro'}"

    def check(self, value: Any) -> None:
        if isinstance(value, Mapping):
            for host, spec in value.items():
                self._check_bind(value, host, spec)
            return
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not isinstance(item, str):
                self.fail_item(value, item)

    def _check_bind(self, value: Any, host: Any, spec: Any) -> None:
        if not isinstance(host, str):
            self.fail(value, f"key {host!r} ({_type_name(host)})")
        if isinstance(spec, str):
            return
        if (
            not isinstance(spec, Mapping)
            or not isinstance(spec.get("bind"), str)
            or not isinstance(spec.get("mode", "rw"), str)
        ):
            self.fail(value, f"{spec!r} for {host!r}")

    def normalise(self, value: Any) -> list[str | tuple[str, str, str | None]]:
        if not isinstance(value, Mapping):
            return list(value)
        return [
            (host, spec, None) if isinstance(spec, str) else (host, spec["bind"], spec.get("mode"))
            for host, spec in value.items()
        ]


class Flag(FieldType):
    expected = "a bool"

    def check(self, value: Any) -> None:
        if not isinstance(value, bool):
            self.fail(value)


class SignalName(FieldType):
    """A name such as "SIGINT", or a ``signal.Signals``, handed over as its name."""

    expected = "a signal name such as 'SIGTERM'"

    def check(self, value: Any) -> None:
        if not isinstance(value, (str, signal.Signals)):
            self.fail(value)

    def normalise(self, value: Any) -> str:
        return value.name if isinstance(value, signal.Signals) else value


class Argv(FieldType):
    """A list of str, or a str split like a shell."""

    expected = "a str or a list of str"

    def check(self, value: Any) -> None:
        if isinstance(value, str):
            return
        if not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not isinstance(item, str):
                self.fail_item(value, item)

    def normalise(self, value: Any) -> list[str]:
        if not isinstance(value, str):
            return list(value)
        import shlex  # only for a command given as one string

        return shlex.split(value)


class User(FieldType):
    """A name, a uid, or "uid:gid", handed over as text."""

    expected = "a str or an int"

    def check(self, value: Any) -> None:
        if not isinstance(value, str) and not _is_int(value):
            self.fail(value)

    def normalise(self, value: Any) -> str:
        return str(value)


class Seconds(FieldType):
    expected = "a number of seconds"

    def check(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(value)

    def normalise(self, value: Any) -> float:
        return float(value)


class TextOrNames(Names):
    """A str, or a list (or tuple) of str; handed over as a list."""

    expected = "a str or a list of str"

    def check(self, value: Any) -> None:
        if not isinstance(value, str):
            super().check(value)

    def normalise(self, value: Any) -> list[str]:
        return [value] if isinstance(value, str) else list(value)


class ByteSize(FieldType):
    """Compose's byte value: an int of bytes or a str such as "64m", handed
    over as text (the library parses it and says what is wrong with it)."""

    expected = "an int of bytes or a str such as '64m' or '1g'"

    def check(self, value: Any) -> None:
        if not isinstance(value, str) and not _is_int(value):
            self.fail(value)

    def normalise(self, value: Any) -> str:
        return str(value)


class Number(FieldType):
    """An int or a float, or a str holding one (Compose writes ``cpus: "0.5"``);
    handed over as a float."""

    expected = "a number"

    def check(self, value: Any) -> None:
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                self.fail(value, repr(value))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(value)

    def normalise(self, value: Any) -> float:
        return float(value)


class Whole(FieldType):
    """An int (not a bool); the library checks its range."""

    expected = "an int"

    def check(self, value: Any) -> None:
        if not _is_int(value):
            self.fail(value)


class Ulimits(FieldType):
    """Compose's ulimits: name -> an int (soft and hard alike) or
    ``{"soft": int, "hard": int}``; handed over as (name, soft, hard)."""

    expected = "a dict of ulimit name to an int or {'soft': int, 'hard': int}"

    def check(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            self.fail(value)
        for name, limit in value.items():
            if not isinstance(name, str):
                self.fail(value, f"key {name!r} ({_type_name(name)})")
            if _is_int(limit):
                continue
            if (
                not isinstance(limit, Mapping)
                or set(limit) != {"soft", "hard"}
                or not all(_is_int(limit[k]) for k in ("soft", "hard"))
            ):
                self.fail(value, f"{limit!r} for {name!r}")

    def normalise(self, value: Any) -> list[tuple[str, int, int]]:
        return [
            (name, limit, limit) if _is_int(limit) else (name, limit["soft"], limit["hard"])
            for name, limit in value.items()
        ]


class ExtraHosts(FieldType):
    """Compose's extra_hosts: ``["host:ip", "host=ip", ...]`` or ``{host:
    ip}``; handed over as (host, ip) pairs (the library checks the address)."""

    expected = "a list of 'host:ip' or a dict of host to IP address"

    def check(self, value: Any) -> None:
        if isinstance(value, Mapping):
            for host, ip in value.items():
                if not isinstance(host, str) or not isinstance(ip, str):
                    self.fail(value, f"{host!r}: {ip!r}")
            return
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not isinstance(item, str):
                self.fail_item(value, item)
            if ":" not in item and "=" not in item:
                self.fail(value, f"{item!r}", "'host:ip' (or 'host=ip') items")

    def normalise(self, value: Any) -> list[tuple[str, str]]:
        if isinstance(value, Mapping):
            return list(value.items())
        # "host=ip" first: an IPv6 address has colons of its own.
        pairs = [item.split("=" if "=" in item else ":", 1) for item in value]
        return [(host, ip) for host, ip in pairs]


class Duration(FieldType):
    """Seconds, or Compose's duration ("1m30s"); handed over in seconds."""

    expected = DURATION

    def check(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(value)
        try:
            seconds(value)
        except ValueError:
            self.fail(value, repr(value))

    def normalise(self, value: Any) -> float:
        return seconds(value)


def _is_test(test: Any) -> bool:
    """None, a str, or a list (or tuple) of str."""
    if test is None or isinstance(test, str):
        return True
    return isinstance(test, (list, tuple)) and all(isinstance(t, str) for t in test)


class HealthcheckSpec(FieldType):
    """A :class:`~drillmaster.Healthcheck`, or Compose's mapping of the same
    keys; handed over as the C setter's arguments. The library checks the
    values (the test's form, the durations' range)."""

    expected = "a drillmaster.Healthcheck or a dict of its keys"

    def check(self, value: Any) -> None:
        check = self._healthcheck(value)
        test = check.test
        if not _is_test(test):
            self.fail(value, f"test {test!r}", "test as a str or a list of str")
        for name in ("interval", "timeout", "start_period"):
            self._check_duration(value, name, getattr(check, name))
        if check.retries is not None and not _is_int(check.retries):
            self.fail(value, f"retries {check.retries!r}", "retries as an int")
        if not isinstance(check.disable, bool):
            self.fail(value, f"disable {check.disable!r}", "disable as a bool")
        if check.disable and test is not None:
            raise Unusable(
                f": disable=True turns the health check off, but test {test!r} is given too; "
                "keep one"
            )

    def _healthcheck(self, value: Any) -> Healthcheck:
        if isinstance(value, Healthcheck):
            return value
        if not isinstance(value, Mapping):
            self.fail(value)
        try:
            return Healthcheck.from_compose(value)
        except TypeError:
            known = ", ".join(Healthcheck.__dataclass_fields__)
            unknown = sorted(str(k) for k in value if k not in Healthcheck.__dataclass_fields__)
            got = f"key {unknown[0] if unknown else value!r}"
            self.fail(value, got, f"a dict whose keys are among {known}")

    def _check_duration(self, value: Any, name: str, duration: Any) -> None:
        if duration is None:
            return
        if isinstance(duration, bool) or not isinstance(duration, (int, float, str)):
            self.fail(value, f"{name} {duration!r}", f"{name} as {DURATION}")
        try:
            seconds(duration)
        except ValueError:
            self.fail(value, f"{name} {duration!r}", f"{name} as {DURATION}")

    def normalise(self, value: Any) -> tuple[list[str], float, float, int, float]:
        return self._healthcheck(value).arguments()


class TextMap(FieldType):
    """str -> str (a number made text), or a list of "name=value" (Compose's
    list form); handed over as a dict."""

    expected = 'a dict of str to str or a list of "name=value"'

    def check(self, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                if not isinstance(item, str):
                    self.fail_item(value, item)
                if "=" not in item:
                    self.fail(value, f"item {item!r} without '='")
            return
        if not isinstance(value, Mapping):
            self.fail(value)
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail(value, f"key {key!r} ({_type_name(key)})")
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.fail(value, f"value {item!r} ({_type_name(item)}) for {key!r}")

    def normalise(self, value: Any) -> dict[str, str]:
        if isinstance(value, Mapping):
            return {key: str(item) for key, item in value.items()}
        return dict(item.split("=", 1) for item in value)


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike))


class PathList(FieldType):
    """One path (a str or an ``os.PathLike``) or a list of them; handed over
    as a list of str."""

    expected = "a path (str) or a list of paths"

    def check(self, value: Any) -> None:
        if _is_path(value):
            return
        if not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not _is_path(item):
                self.fail_item(value, item)

    def normalise(self, value: Any) -> list[str]:
        items = [value] if _is_path(value) else value
        return [os.fspath(item) for item in items]


class Secrets(FieldType):
    """name -> file path, or a list of file paths (each named by its file
    name), as Compose's file secrets; handed over as (name, path) pairs."""

    expected = "a dict of secret name to file path or a list of file paths"

    def check(self, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    self.fail(value, f"key {key!r} ({_type_name(key)})")
                if not _is_path(item):
                    self.fail(value, f"value {item!r} ({_type_name(item)}) for {key!r}")
            return
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not _is_path(item):
                self.fail_item(value, item)

    def normalise(self, value: Any) -> list[tuple[str, str]]:
        if isinstance(value, Mapping):
            return [(key, os.fspath(path)) for key, path in value.items()]
        return [(os.path.basename(os.fspath(path)), os.fspath(path)) for path in value]


class JsonObject(FieldType):
    """A dict that JSON can write (a JSON object); handed over as its JSON
    text."""

    expected = "a dict (a JSON object)"

    def check(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            self.fail(value)
        import json  # only for a service that has create_options

        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise Unusable(f": {value!r} cannot be written as JSON: {exc}") from None

    def normalise(self, value: Any) -> str:
        import json

        return json.dumps(value)


class WatchRules(FieldType):
    """A list of :class:`~drillmaster.Watch`; handed over as the C setter's
    arguments, one rule each. The library checks the values (the path, the
    target, the action against the service)."""

    expected = "a list of drillmaster.Watch"

    def check(self, value: Any) -> None:
        if isinstance(value, (str, bytes, Watch)) or not isinstance(value, (list, tuple)):
            self.fail(value)
        for item in value:
            if not isinstance(item, Watch):
                self.fail_item(value, item)
            if not _is_path(item.path):
                self.fail(value, f"Watch path {item.path!r}", "a Watch path as a str")
            if item.target is not None and not isinstance(item.target, str):
                self.fail(value, f"Watch target {item.target!r}", "a Watch target as a str")
            ignore = item.ignore
            if isinstance(ignore, (str, bytes)) or not isinstance(ignore, (list, tuple)):
                self.fail(value, f"Watch ignore {ignore!r}", "Watch ignore as a list of str")
            if not all(isinstance(pattern, str) for pattern in ignore):
                self.fail(value, f"Watch ignore {ignore!r}", "Watch ignore as a list of str")

    def normalise(self, value: Any) -> list[tuple[str, int, str | None, list[str]]]:
        return [item.arguments() for item in value]


# ---- C setters ------------------------------------------------------------------------------


def _call(method: str) -> Setter:
    """``service.<method>(value)``."""

    def setter(service: Any, value: Any, values: Mapping[str, Any]) -> None:
        getattr(service, method)(value)

    return setter


def _spread(method: str) -> Setter:
    """``service.<method>(*value)``: a value that is the setter's arguments."""

    def setter(service: Any, value: Any, values: Mapping[str, Any]) -> None:
        getattr(service, method)(*value)

    return setter


def _each(method: str) -> Setter:
    """``service.<method>(item)`` for each item of a list, or
    ``service.<method>(*item)`` for a tuple item."""

    def setter(service: Any, value: Any, values: Mapping[str, Any]) -> None:
        call = getattr(service, method)
        for item in value:
            if isinstance(item, tuple):
                call(*item)
            else:
                call(item)

    return setter


def _each_item(method: str) -> Setter:
    """``service.<method>(key, value)`` for each entry of a dict."""

    def setter(service: Any, value: Any, values: Mapping[str, Any]) -> None:
        for key, item in value.items():
            getattr(service, method)(key, item)

    return setter


def _ports(service: Any, value: Any, values: Mapping[str, Any]) -> None:
    for item in value:
        if isinstance(item, str):
            service.add_port_spec(item)
        else:
            service.add_port(*item)


def _volumes(service: Any, value: Any, values: Mapping[str, Any]) -> None:
    for item in value:
        if isinstance(item, str):
            service.add_volume(item)
        else:
            service.add_bind(*item)


def _build(service: Any, value: Any, values: Mapping[str, Any]) -> None:
    service.set_build(value, values["dockerfile"])


# ---- the field --------------------------------------------------------------------------------


class Field:
    """One attribute of a service class (see the module's docstring)."""

    def __init__(
        self, type: FieldType, default: Any, doc: str, setter: Setter | None, compose: str | None
    ) -> None:
        self.name = ""  # set by __set_name__: the attribute the field is assigned to
        self.type = type
        self.default = default
        self.doc = doc
        self.setter = setter
        self.compose = compose

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<Field {self.name}>"

    def check(self, owner: str, value: Any) -> None:
        """Raises ServiceDefinitionError naming ``owner.<name>`` when
        ``value`` is of the wrong type or a string in it holds a NUL. None
        is accepted where it is the default: it means "not set"."""
        if value is None and self.default is None:
            return
        try:
            self.type.check(value)
        except Invalid as bad:
            raise ServiceDefinitionError(
                f"{owner}.{self.name}: expected {bad.expected}, got {bad.got}"
            ) from None
        except Unusable as bad:
            raise ServiceDefinitionError(f"{owner}.{self.name}{bad}") from None
        check_text(owner, self.name, value)

    def normalise(self, value: Any) -> Any:
        """What the C library takes for a checked value (None: not set)."""
        return None if value is None else self.type.normalise(value)

    def apply(self, service: Any, values: Mapping[str, Any]) -> None:
        """Hands the normalised value in ``values`` to the C service
        (nothing when it is not set or the field has no setter of its own)."""
        value = values[self.name]
        if self.setter is not None and value is not None:
            self.setter(service, value, values)

    def describe(self) -> str:
        """A line of the attributes' documentation."""
        compose = f" (Compose: ``{self.compose}``)" if self.compose else ""
        return f"``{self.name}`` = ``{self.default!r}``: {self.doc}{compose}"


def field(
    type: FieldType,
    *,
    default: T,
    doc: str,
    setter: Setter | None = None,
    compose: str | None = None,
) -> T:
    """A :class:`Field`, typed as its default for the class body it is
    assigned in (as ``dataclasses.field``): the annotation beside it stays
    what type checkers see."""
    return cast(T, Field(type, default, doc, setter, compose))


# ---- the table ------------------------------------------------------------------------------


class Attributes:
    """The attributes of a service class, with their defaults (the table:
    ``drillmaster.Service`` derives from this class). ``name`` and ``image``
    have no setter: the session gives them to ``Group.add_service``;
    ``dockerfile`` is handed over with ``build_from``."""

    name: ClassVar[str] = field(
        Text(non_empty=True),
        default="",
        doc="The service's name: a DNS label, unique in the group, and the container's host "
        "name on the group network. Default: the class name, lower-cased. "
        "(Compose: the key under ``services``.)",
    )
    image: ClassVar[str | None] = field(
        Text(),
        default=None,
        compose="image",
        doc='The image to run, e.g. ``"postgres:16"``; with ``build_from``, the tag the image '
        "is built under (default ``drillmaster-<group>-<name>:latest``).",
    )
    dependencies: ClassVar[Sequence[str]] = field(
        Names(),
        default=(),
        setter=_each("add_dependency"),
        compose="depends_on",
        doc="Names of services that must be running before this one starts.",
    )
    ports: ClassVar[Mapping[PortKey, int | None] | Sequence[str]] = field(
        Ports(),
        default={},
        setter=_ports,
        compose="ports",
        doc="Published ports, container port -> host port. A container port may be "
        '``"53/udp"``; tcp is the default. A host port of ``None`` (or ``0``) publishes on a '
        "free port the engine picks each time the container starts, so groups started at once "
        "never clash: ``self.host_port(5432)`` in a hook, ``Session.host_port`` and "
        "``status --json`` say which; a ``post_start_init`` that stores it "
        '(``Context["db_port"] = self.host_port(5432)``) lets a dependant\'s ``env`` use '
        '``"{db_port}"``. Or a list of Compose port strings, host before container: '
        '``["127.0.0.1:5433:5432", "53:53/udp", "8000-8002:8000-8002", "5432"]`` (an address '
        "to publish on, udp, ranges; a container port alone takes a free host port), or in the "
        'long form ``"published=8080,target=80,mode=host"`` (``protocol``, ``host_ip`` too), '
        "whose ``mode`` says how a swarm publishes it (README, Swarm).",
    )
    env: ClassVar[Mapping[str, EnvValue]] = field(
        Environment(),
        default={},
        setter=_each_item("set_env"),
        compose="environment",
        doc="Environment variables. Values may be numbers; ``{key}`` in a string is replaced by "
        "``drillmaster.Context[key]`` when the service starts (``{{key}}`` stands for a "
        "literal ``{key}``).",
    )
    volumes: ClassVar[Volumes] = field(
        VolumeList(),
        default=(),
        setter=_volumes,
        compose="volumes",
        doc='Volumes: ``["host:container[:ro|rw]", ...]`` (Docker\'s short form; a host path '
        "starting with ``.`` is relative to the spec's directory), or "
        '``{host: {"bind": container, "mode": "ro"}}``.',
    )
    always_start_new: ClassVar[bool] = field(
        Flag(),
        default=False,
        setter=_call("set_always_start_new"),
        doc="True: every start creates a new container, never reusing one.",
    )
    stop_signal: ClassVar[str | signal.Signals] = field(
        SignalName(),
        default="SIGTERM",
        setter=_call("set_stop_signal"),
        compose="stop_signal",
        doc='The signal that stops the container, e.g. ``"SIGINT"``.',
    )
    build_from: ClassVar[str | os.PathLike[str] | None] = field(
        Path(
            "a directory path (str)",
            empty='name the directory that holds the Dockerfile ("." for the spec\'s own), '
            "or leave build_from unset to run image",
        ),
        default=None,
        setter=_build,
        compose="build",
        doc="A directory to build the image from, relative to the spec's directory.",
    )
    dockerfile: ClassVar[str | os.PathLike[str]] = field(
        Path("a str"),
        default="Dockerfile",
        compose="build.dockerfile",
        doc="The Dockerfile inside ``build_from`` (handed over with it).",
    )
    entrypoint: ClassVar[Command | None] = field(
        Argv(),
        default=None,
        setter=_call("set_entrypoint"),
        compose="entrypoint",
        doc="Overrides the image's entrypoint: a list, or a string split like a shell.",
    )
    cmd: ClassVar[Command | None] = field(
        Argv(),
        default=None,
        setter=_call("set_cmd"),
        compose="command",
        doc="Overrides the image's command: a list, or a string split like a shell.",
    )
    user: ClassVar[str | int | None] = field(
        User(),
        default=None,
        setter=_call("set_user"),
        compose="user",
        doc='The user the container runs as: a name, a uid, or ``"uid:gid"``.',
    )
    healthcheck: ClassVar[Healthcheck | Mapping[str, Any] | None] = field(
        HealthcheckSpec(),
        default=None,
        setter=_spread("set_healthcheck"),
        compose="healthcheck",
        doc="A health check the engine runs in the container: "
        '``drillmaster.Healthcheck(test=["CMD", "pg_isready"], interval=1, retries=30)`` (or '
        "Compose's dict of the same keys; a ``test`` string runs in the shell; durations in "
        'seconds or as ``"1m30s"``). A service whose container has a health check (this one or '
        "its image's ``HEALTHCHECK``) is ready once the engine reports it healthy, and fails "
        "with the last check's output when it reports it unhealthy; its ``ping`` runs after "
        "that. ``Healthcheck(disable=True)`` turns off the image's check.",
    )
    restart: ClassVar[str | None] = field(
        Text(),
        default=None,
        setter=_call("set_restart"),
        compose="restart",
        doc='When the engine restarts the container: ``"no"`` (never), ``"always"``, '
        '``"unless-stopped"``, ``"on-failure"`` or ``"on-failure:N"`` (at most N times). '
        "``stop`` stops it whatever the policy.",
    )
    tmpfs: ClassVar[str | Sequence[str]] = field(
        TextOrNames(),
        default=(),
        setter=_each("add_tmpfs"),
        compose="tmpfs",
        doc="File systems in memory: absolute paths in the container, each optionally with "
        'mount options (``["/run", "/tmp:size=64m"]``).',
    )
    read_only: ClassVar[bool | None] = field(
        Flag(),
        default=None,
        setter=_call("set_read_only"),
        compose="read_only",
        doc="True: the container's root file system is read-only.",
    )
    init: ClassVar[bool | None] = field(
        Flag(),
        default=None,
        setter=_call("set_init"),
        compose="init",
        doc="True: an init process runs as PID 1, forwards signals and reaps zombies.",
    )
    privileged: ClassVar[bool | None] = field(
        Flag(),
        default=None,
        setter=_call("set_privileged"),
        compose="privileged",
        doc="True: the container runs privileged (every capability, every device).",
    )
    cap_add: ClassVar[Sequence[str]] = field(
        Names(),
        default=(),
        setter=_each("add_cap_add"),
        compose="cap_add",
        doc='Linux capabilities added to the default set: ``["NET_ADMIN"]`` (or '
        '``"CAP_NET_ADMIN"``; ``"ALL"`` for every one).',
    )
    cap_drop: ClassVar[Sequence[str]] = field(
        Names(),
        default=(),
        setter=_each("add_cap_drop"),
        compose="cap_drop",
        doc='Linux capabilities dropped from the default set: ``["CHOWN"]``, ``["ALL"]``.',
    )
    shm_size: ClassVar[int | str | None] = field(
        ByteSize(),
        default=None,
        setter=_call("set_shm_size"),
        compose="shm_size",
        doc='The size of ``/dev/shm``: bytes, or ``"64m"``, ``"1g"`` (powers of 1024).',
    )
    mem_limit: ClassVar[int | str | None] = field(
        ByteSize(),
        default=None,
        setter=_call("set_mem_limit"),
        compose="mem_limit",
        doc='The container\'s memory limit: bytes, or ``"512m"``, ``"1.5g"`` (powers of 1024).',
    )
    cpus: ClassVar[float | str | None] = field(
        Number(),
        default=None,
        setter=_call("set_cpus"),
        compose="cpus",
        doc="The CPUs the container may use, above 0: ``0.5`` is half of one.",
    )
    ulimits: ClassVar[Mapping[str, int | Mapping[str, int]]] = field(
        Ulimits(),
        default={},
        setter=_each("set_ulimit"),
        compose="ulimits",
        doc='Resource limits: ``{"nofile": 1024}`` (soft and hard) or '
        '``{"nofile": {"soft": 1024, "hard": 2048}}``; -1 is unlimited.',
    )
    extra_hosts: ClassVar[Sequence[str] | Mapping[str, str]] = field(
        ExtraHosts(),
        default=(),
        setter=_each("add_extra_host"),
        compose="extra_hosts",
        doc='Lines of the container\'s ``/etc/hosts``: ``["db.local:10.0.0.5"]`` (or '
        '``"host=ip"``) or ``{"db.local": "10.0.0.5"}``; ``"host-gateway"`` is the host.',
    )
    stop_grace_period: ClassVar[float | str | None] = field(
        Duration(),
        default=None,
        setter=_call("set_stop_grace_period"),
        compose="stop_grace_period",
        doc='Seconds (or ``"1m30s"``) the container gets between its stop signal and SIGKILL '
        "whenever drillmaster stops it (``stop``, ``reload``, a replaced container); default: the "
        "operation's (``stop --timeout``, 10 s).",
    )
    oneshot: ClassVar[bool] = field(
        Flag(),
        default=False,
        setter=_call("set_oneshot"),
        doc="True: a job (a migration, a seed) whose container runs to completion; it is ready "
        "when it exits with 0 (then its ``post_start_init`` runs and its dependants start), and "
        "fails with its exit code and last log lines otherwise. A job that completed is not run "
        "again by the next ``start`` unless its definition or image changed, one of its "
        "dependencies got a new container, or ``--run-new-containers``; one that failed runs "
        "again. ``stop`` leaves it alone; ``status`` shows ``completed (0)`` / ``failed (3)``. "
        "A job takes no ``ping`` (Compose: a dependant's ``service_completed_successfully``).",
    )
    timeout: ClassVar[float | None] = field(
        Seconds(),
        default=None,
        setter=_call("set_timeout"),
        doc="Seconds this service may take to become ready (ping loop and init); default: the "
        "``--timeout`` of ``start``.",
    )
    hostname: ClassVar[str | None] = field(
        Text(),
        default=None,
        setter=_call("set_hostname"),
        compose="hostname",
        doc="The container's own host name (its name on the group network stays the service's "
        "name).",
    )
    working_dir: ClassVar[str | None] = field(
        Text(),
        default=None,
        setter=_call("set_working_dir"),
        compose="working_dir",
        doc="The directory the command runs in: an absolute path in the container, e.g. "
        '``"/app"``.',
    )
    aliases: ClassVar[Sequence[str] | None] = field(
        Names(),
        default=None,
        setter=_each("add_alias"),
        compose="networks.aliases",
        doc='More DNS names of the container on the group network, e.g. ``["db.local"]``.',
    )
    labels: ClassVar[Mapping[str, str] | Sequence[str] | None] = field(
        TextMap(),
        default=None,
        setter=_each_item("set_label"),
        compose="labels",
        doc='Labels of the container, ``{"name": "value"}`` or ``["name=value"]``, beside '
        "drillmaster's own (names starting ``io.drillmaster.`` are drillmaster's).",
    )
    build_args: ClassVar[Mapping[str, str] | Sequence[str] | None] = field(
        TextMap(),
        default=None,
        setter=_each_item("set_build_arg"),
        compose="build.args",
        doc="Values of the Dockerfile's ``ARG``s for the build of ``build_from``. Changing them "
        "builds the image again on the next start.",
    )
    build_target: ClassVar[str | None] = field(
        Text(),
        default=None,
        setter=_call("set_build_target"),
        compose="build.target",
        doc="The stage of a Dockerfile with several stages to build (default: the last). "
        "Changing it builds the image again on the next start.",
    )
    env_file: ClassVar[str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None] = field(
        PathList(),
        default=None,
        setter=_each("add_env_file"),
        compose="env_file",
        doc="A file of ``NAME=value`` lines (Compose's env file format), or a list of them, "
        "relative to the spec's directory; read at each start (a missing file is an error "
        "then), its values under ``env``'s. An edited file recreates the container.",
    )
    secrets: ClassVar[Mapping[str, str] | Sequence[str] | None] = field(
        Secrets(),
        default=None,
        setter=_each("add_secret"),
        compose="secrets",
        doc='Files mounted read only at ``/run/secrets/NAME``: ``{"NAME": "path"}``, or a list '
        "of paths (NAME: the file's name), relative to the spec's directory; a missing file is "
        "an error at start.",
    )
    create_options: ClassVar[Mapping[str, Any] | None] = field(
        JsonObject(),
        default=None,
        setter=_call("set_create_options"),
        doc="More of the engine's container create request, deep-merged into what drillmaster "
        'sends (objects key by key, lists replaced), e.g. ``{"HostConfig": {"OomScoreAdj": '
        "100}}``: fields of Engine API 1.41 are known to work. A key another attribute sets, or "
        "that drillmaster manages (labels, networking, the name), is an error.",
    )
    replicas: ClassVar[int] = field(
        Whole(),
        default=1,
        setter=_call("set_replicas"),
        compose="deploy.replicas",
        doc="Copies of the service run at once, 1 to 1000. More than 1 runs on a swarm target "
        "only (``--target swarm``): the swarm service is scaled to that many tasks and the "
        "service is ready when all of them run and its ping answers; the local target runs one "
        "container per service and refuses more before anything is made.",
    )
    profiles: ClassVar[Sequence[str]] = field(
        Names(),
        default=(),
        setter=_each("add_profile"),
        compose="profiles",
        doc='Profiles (``["debug"]``): the service starts only when one of them is enabled '
        "(``start --profile debug``, or ``DRILLMASTER_PROFILES=debug,x``), or when it is named "
        "(``start SERVICE``). Without profiles a service always starts.",
    )
    watch: ClassVar[Sequence[Watch]] = field(
        WatchRules(),
        default=(),
        setter=_each("add_watch"),
        compose="develop.watch",
        doc='What a saved file does to the running service (``./spec.py watch``): ``[Watch("site", '
        'action="sync", target="/www"), Watch("src", action="rebuild")]``; actions ``sync``, '
        "``sync+restart``, ``rebuild``. A service built from a context and without rules is "
        "rebuilt when a file of its context changes.",
    )


def _collect(table: type) -> tuple[Field, ...]:
    """The Fields of the table's body, in order; each becomes its default
    there, so the attributes read as plain values on every service class."""
    fields = tuple(value for value in vars(table).values() if isinstance(value, Field))
    for f in fields:
        setattr(table, f.name, f.default)
    return fields


#: Every attribute of a service class, in the order they are checked.
FIELDS: tuple[Field, ...] = _collect(Attributes)


def documentation() -> str:
    """The attributes, one paragraph each, for ``Service.__doc__``."""
    return "\n\n".join(
        textwrap.fill(f.describe(), 76, initial_indent="    ", subsequent_indent="        ")
        for f in FIELDS
    )


# ---- text the C library gets ----------------------------------------------------------------


def _nul_at(value: Any) -> str | None:
    """Where a NUL is in ``value`` (a str, path, sequence or mapping of
    them): "" for the value itself, "the value of 'PW' " etc.; None if none."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        return "" if "\0" in value else None
    if isinstance(value, bytes):
        return "" if b"\0" in value else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _nul_in_mapping(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return _nul_in_mapping(value)
    if isinstance(value, (list, tuple)):
        return _nul_in_items(value)
    return None


def _nul_in_mapping(value: Mapping[Any, Any]) -> str | None:
    for key, item in value.items():
        if _nul_at(key) is not None:
            return f"the key {key!r} "
        inner = _nul_at(item)
        if inner is not None:
            return f"{inner}in the value of {key!r} " if inner else f"the value of {key!r} "
    return None


def _nul_in_items(value: Sequence[Any]) -> str | None:
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
            f"to Docker (it would cut the text there); remove it"
        )
