"""``drillmaster.Service``: a service described by a class.

A spec subclasses :class:`Service` and sets class attributes; the subclass is
checked and registered the moment Python executes its ``class`` statement, so
a wrong type is an error at import that names the class and the attribute.
Whether the services form a valid group (names, dependencies, ports in range)
is checked later, by the C library, before anything starts.

The attributes, their defaults, checks and documentation are the field table
of :mod:`drillmaster._fields`; this module adds the hooks, the registry and
the normalised :class:`Definition`.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Sequence, Tuple, Union

from . import _compose_keys, _definition_errors
from ._errors import InvalidArgument, NotFound, ServiceDefinitionError
from ._fields import FIELDS, Attributes, documentation
from ._types import ExecResult

__all__ = ["Definition", "Service", "definition", "services"]

#: Every registered Service subclass, in definition order.
_registry: list[type[Service]] = []

# Hooks a subclass may override, and the alias accepted for one of them.
_HOOKS = ("ping", "pre_start", "post_start_init", "pre_stop")
_ALIASES = {"post_start": "post_start_init"}


class Service(Attributes):
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
    ``network`` and ``group`` describe the container at hand, and whose
    ``address(port)`` and ``host_port(port)`` say where a published port is
    (also a free one the engine picked: ``ports = {5432: None}``).

    The attributes (``name`` = default: what it is):

    """

    # Set on the instance before each hook runs.
    #: The container's id (None in ``pre_start``: there is no container yet).
    container_id: str | None = None
    #: The container's name, e.g. ``"mygroup-appdb-1"`` (None in ``pre_start``).
    container_name: str | None = None
    #: The group's network; the service is reachable there under its name.
    network: str | None = None
    #: The group's name.
    group: str | None = None
    # Set by the session before each hook: (container, container port) ->
    # (host, port), asked through the operation's client (see address()).
    _drillmaster_address: Callable[[str, Union[int, str]], Tuple[str, int]] | None = None
    # Set by the session before each hook: the hook's dm_hook_exec()
    # (argv, timeout, user, working_dir) -> (exit code, stdout, stderr).
    _drillmaster_exec: Callable[..., Tuple[int, bytes, bytes]] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False) is True:
            return
        if "name" not in cls.__dict__:
            cls.name = cls.__name__.lower()
        try:
            _validate(cls)
        except ServiceDefinitionError as error:
            if cls.__module__ == "__main__":
                _definition_errors.end_the_script_on(error)
            raise
        _registry.append(cls)

    def ping(self) -> bool:
        """Readiness check, polled right after the container starts and then
        every 0.1 s until it returns True or the service's timeout passes.

        Not overriding it means the service is ready as soon as its container
        runs. A container with a health check (``healthcheck``, or its
        image's ``HEALTHCHECK``) is pinged only once the engine reports it
        healthy. An ``OSError`` (connection refused or reset, a URL error...)
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

    def pre_stop(self) -> None:
        """Runs before the running container is stopped: by ``stop`` (also
        ``stop --remove``), ``reload``, and a ``start`` that replaces an
        outdated container; dependants' ``pre_stop`` run before their
        dependencies are stopped. Dump data, deregister. An exception (or
        running past the service's timeout) is reported and the stop goes
        on."""

    def address(self, container_port: int | str) -> tuple[str, int]:
        """In a hook (``ping``, ``post_start_init``): where a program on this
        machine connects to ``container_port`` (``5432``, ``"5432/tcp"``,
        ``"53/udp"``) of this service's container, as ``(host, port)``: the
        port the engine published it on (also one it picked, for ``ports =
        {5432: None}``), the host ``"127.0.0.1"`` for a local engine or the
        engine's host name for a ``tcp://`` one. A ping that connects there
        works whatever port the engine picked::

            def ping(self):
                host, port = self.address(80)
                urllib.request.urlopen(f"http://{host}:{port}/", timeout=1)
                return True

        Raises :class:`~drillmaster.NotFound` naming the service when the
        container does not publish that port (or is gone), and in
        ``pre_start`` (there is no container yet); outside a hook use
        ``Session.address(service, port)``."""
        ask = self._drillmaster_address
        cls = type(self).__name__
        if ask is None:
            raise InvalidArgument(
                f"{cls}.address: only known in a hook drillmaster runs (ping, post_start_init); "
                f"elsewhere use Session.address({self.name!r}, {container_port!r})"
            )
        if self.container_id is None:
            raise NotFound(
                f"service {self.name!r}: no container yet (pre_start runs before it is "
                "created), so no port is published; ask in ping or post_start_init"
            )
        return ask(self.container_id, container_port)

    def host_port(self, container_port: int | str) -> int:
        """In a hook: the host port of :meth:`address`, e.g. for the Context
        (``Context["db_port"] = self.host_port(5432)``)."""
        return self.address(container_port)[1]

    def exec(
        self,
        argv: Sequence[str],
        *,
        timeout: float | None = None,
        user: str | None = None,
        working_dir: str | None = None,
        text: bool = True,
    ) -> ExecResult:
        """In a hook (``ping``, ``post_start_init``): runs ``argv`` (the
        program and its arguments, as a list) in this service's container
        and waits for its end; returns an :class:`~drillmaster.ExecResult`
        with its ``exit_code`` (a non-zero one is not an error: check it),
        ``stdout`` and ``stderr`` apart, ``str`` unless ``text=False``::

            def post_start_init(self):
                r = self.exec(["psql", "-U", "postgres", "-c", "create table t (x int)"])
                if r.exit_code != 0:
                    raise RuntimeError(r.stderr)

        ``timeout``: seconds the command may run (default: no limit besides
        the hook's own); past it :class:`~drillmaster.Timeout` (the command
        may go on in the container). ``user``, ``working_dir``: instead of
        the container's. A cancel (Ctrl-C) ends the wait with
        :class:`~drillmaster.Cancelled`; a container that is not running
        raises :class:`~drillmaster.Conflict`. Raises
        :class:`~drillmaster.InvalidArgument` outside a hook and in
        ``pre_start`` (no container yet). Outside hooks use
        :meth:`Session.exec`."""
        run = self._drillmaster_exec
        cls = type(self).__name__
        words = _command(f"{cls}.exec", argv)
        if run is None:
            raise InvalidArgument(
                f"{cls}.exec: only possible in a hook drillmaster runs (ping, post_start_init); "
                f"elsewhere use Session.exec({self.name!r}, {words!r})"
            )
        if self.container_id is None:
            raise InvalidArgument(
                f"service {self.name!r}: no container yet (pre_start runs before it is "
                "created); run commands in it from ping or post_start_init"
            )
        answer = run(words, timeout=timeout or 0.0, user=user, working_dir=working_dir)
        return ExecResult.from_core(answer, text)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} service {self.name!r}>"


if Service.__doc__ is not None and sys.flags.optimize < 2:
    Service.__doc__ += documentation() + "\n"


def _command(where: str, argv: Sequence[str]) -> list[str]:
    """``argv`` as the list of strings an exec takes; a lone string is
    refused (it would be one program name with spaces in it)."""
    if isinstance(argv, (str, bytes)) or not all(isinstance(a, str) for a in argv) or not argv:
        raise InvalidArgument(
            f"{where}: give the command as a non-empty list of strings, e.g. "
            f'["psql", "-c", "select 1"] (or ["sh", "-c", "..."] for a shell line), '
            f"not {argv!r}"
        )
    return list(argv)


def services() -> list[type[Service]]:
    """The registered Service subclasses, in the order they were defined."""
    return list(_registry)


# ---- class validation -----------------------------------------------------------


def _validate(cls: type[Service]) -> None:
    for f in FIELDS:
        f.check(cls.__name__, getattr(cls, f.name))
    _check_spelling(cls)
    for hook in (*_HOOKS, *_ALIASES):
        value = getattr(cls, hook, None)
        if value is not None and not callable(value):
            row = _compose_keys.key(hook)
            compose = f" (Compose's {hook}: {row.reason()})" if row and row.reason() else ""
            raise ServiceDefinitionError(
                f"{cls.__name__}.{hook}: expected a method, got {type(value).__name__}{compose}"
            )
    if _overrides(cls, "post_start") and _overrides(cls, "post_start_init"):
        raise ServiceDefinitionError(
            f"{cls.__name__}: define post_start_init or post_start (another name for it), not both"
        )
    _check_values(cls)


def _check_values(cls: type[Service]) -> None:
    """The library's checks of the values on their own (a restart policy of
    "sometimes", cpus of -1), so that they fail where the class is defined;
    what needs the other services or files is checked at start."""
    from . import _core  # the extension, loaded once the first class is defined

    group = _core.Group("check")
    values = {f.name: f.normalise(getattr(cls, f.name)) for f in FIELDS}
    service = group.add_service(str(cls.name), "")
    for f in FIELDS:
        f.apply(service, values)
    try:
        service.validate()
    except InvalidArgument as exc:
        who = f"service '{cls.name}'"
        message = str(exc).replace(f"{who}:", f"{who} (class {cls.__name__}):")
        raise ServiceDefinitionError(message) from None


# Names a class may use for its own purposes besides the fields and hooks.
_OWN = frozenset(("abstract", "container_id", "container_name", "network", "group"))


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _meant(attr: str) -> str | None:
    """The field ``attr`` is a misspelling of: Compose's name for it, a
    singular form, or a few edits away from its name (none for names of up
    to four letters, one up to eight, two beyond: ``unit`` is not a
    misspelled ``init``, nor ``restore`` a misspelled ``restart``). Names of
    fewer than four letters only match as themselves (``cpu`` may be the
    class's own; ``cpus`` is the field)."""
    limit = 0 if len(attr) <= 4 else 1 if len(attr) <= 8 else 2
    for f in FIELDS:
        if attr == f.compose:
            return f.name
        names = {f.name, _singular(f.name)}
        if f.compose:
            names |= {f.compose, _singular(f.compose)}
        names = {n for n in names if len(n) >= 4}
        if any(_edits(attr, n) <= limit for n in names):
            return f.name
    return None


def _misnamed(attr: str) -> str | None:
    """What is wrong with an attribute that is not drillmaster's, or None
    when it may be one of the class's own."""
    unsupported = _compose_keys.advice(attr)
    if unsupported is not None:
        return f"not an attribute drillmaster knows: {unsupported}"
    meant = _meant(attr)
    if meant is None:
        return None
    compose = " (Compose's name for it)" if attr in {f.compose for f in FIELDS} else ""
    return (
        f"not an attribute drillmaster knows{compose}; did you mean {meant!r}? (an attribute "
        "of your own close to a field's name must start with '_' or be UPPER_CASE)"
    )


def _check_spelling(cls: type) -> None:
    """A misspelled field, or a Compose key drillmaster spells otherwise or
    does not support, is an error: an attribute of the class (or of a base
    below Service) that is not a field, a hook or a method, not private
    (``_x``) nor UPPER_CASE, and is close to a field's name or is a key of a
    Compose service (``container_name`` too, though a hook reads it)."""
    known = {f.name for f in FIELDS} | set(_HOOKS) | set(_ALIASES) | _OWN
    known.discard("container_name")
    for klass in cls.__mro__:
        if klass is Service:
            return
        for attr, value in vars(klass).items():
            if attr in known or attr.startswith("_") or attr.isupper():
                continue
            if callable(value) or isinstance(value, (staticmethod, classmethod, property)):
                continue
            wrong = _misnamed(attr)
            if wrong is not None:
                raise ServiceDefinitionError(f"{klass.__name__}.{attr}: {wrong}")


def _overrides(cls: type, hook: str) -> bool:
    """Whether the class (or a base below Service) defines the hook."""
    for klass in cls.__mro__:
        if klass is Service:
            return False
        if hook in klass.__dict__:
            return True
    return False


def _hooks(cls: type[Service]) -> dict[str, str]:
    """C hook -> the method of ``cls`` that implements it, for each it overrides."""
    hooks = {hook: hook for hook in _HOOKS if _overrides(cls, hook)}
    for alias, hook in _ALIASES.items():
        if hook not in hooks and _overrides(cls, alias):
            hooks[hook] = alias
    return hooks


# ---- the definition handed to the C library -----------------------------------


class Definition:
    """A service class's attributes, normalised for the C library.

    ``values`` holds each field's normalised value (None: not set), also
    readable as an attribute (``d.env``, ``d.cmd``); ``hooks`` maps each C
    hook to the method that implements it.
    """

    def __init__(self, cls: type[Service], values: dict[str, Any], hooks: dict[str, str]) -> None:
        self.cls = cls
        self.values = values
        self.hooks = hooks

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"Definition({self.cls.__name__}, {self.values!r}, hooks={self.hooks!r})"


def definition(cls: type[Service]) -> Definition:
    """The normalised definition of a registered Service subclass, checked
    again (its attributes may have been changed since it was defined)."""
    _validate(cls)
    values = {f.name: f.normalise(getattr(cls, f.name)) for f in FIELDS}
    return Definition(cls, values, _hooks(cls))
