"""``drillmaster.up()``: services started for a program or a test suite, and
removed after.

It is the command line's ``start`` and ``stop --remove`` for code: the same
:class:`~drillmaster.Session`, the same defaults (the library's, in
``DEFAULTS``), the same summary in the error when services fail, and the
same answer to Ctrl-C, SIGTERM and SIGHUP while an operation runs (cancel,
clean up, then the signal goes on to what handles it: KeyboardInterrupt for
Ctrl-C). What differs, and why:

- The group's name is new for every call unless given (``<base>-<random>``,
  the base being what the command line would call the group), so runs in
  parallel (two CI jobs, pytest-xdist workers) never meet. Images built from
  a ``build_from`` are tagged after the base (as the command line tags them),
  not after that name: a new name per run would otherwise build and keep a
  new image per run.
- The Context file lives in ``<group>.context/`` in drillmaster's per-user
  runtime directory, not beside the spec: it belongs to the group, not to the
  source tree (test modules are shared by parallel runs, each with a group of
  its own, whose values must not mix); the directory is private to the user
  (mode 0700), fit for the passwords hooks store; the processes sharing a
  group (``shared=True``) find the values its first start stored under the
  group's name; and a kept group (``keep=True``) keeps them for the next
  ``up(group=...)``. ``stop`` removes it with the group.
- The services are removed when the process ends without stopping them (a
  killed test run): the start asks the library's reaper for it
  (``remove_on_exit``). ``keep=True`` starts without it, from the first
  moment, and ends a removal an earlier start of the group in this process
  asked for (``keep_on_exit``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import List, Optional, Sequence, Type, Union

from . import _cancellable, _core, _exit, _signals
from ._context import Context
from ._environment import LEFT_RUNNING, LEFT_TO_THE_REAPER, Environment, summary
from ._errors import Error, InvalidArgument, ServicesFailed
from ._group import default_group_name, group_name_of, settings
from ._group_users import GroupUsers
from ._lock_file import runtime_directory
from ._service import Service, services
from ._session import DEFAULTS, EventCallback, Session

__all__ = [
    "up",
    "ServiceSource",
    "services_of",
    "directory_of",
    "base_group_name",
    "context_directory",
]

#: What up() takes: Service subclasses, or modules (spec modules) whose
#: Service subclasses are taken.
ServiceSource = Union[Type[Service], ModuleType]

PathLike = Union[str, "os.PathLike[str]"]


def services_of(sources: Sequence[ServiceSource]) -> List[Type[Service]]:
    """The Service classes ``sources`` name: each class as it is, and for a
    module the registered Service subclasses it holds (defined there or
    imported), in the order they were defined."""
    if not sources:
        raise InvalidArgument("up() needs the services: Service subclasses or a spec module")
    found: List[Type[Service]] = []
    for source in sources:
        if isinstance(source, ModuleType):
            held = {id(v) for v in vars(source).values()}
            classes = [c for c in services() if id(c) in held]
            if not classes:
                raise InvalidArgument(
                    f"module {source.__name__!r} holds no drillmaster.Service subclass"
                )
        elif isinstance(source, type) and issubclass(source, Service):
            classes = [source]
        else:
            raise InvalidArgument(
                f"up(): {source!r} is neither a drillmaster.Service subclass nor a module"
            )
        found.extend(c for c in classes if c not in found)
    return found


def directory_of(sources: Sequence[ServiceSource]) -> Path:
    """Where the first source is defined (its module's directory), which
    relative ``build_from`` and volume paths are relative to, as they are
    to a spec script's; the current directory when that is not known."""
    first = sources[0] if sources else None
    module = first if isinstance(first, ModuleType) else sys.modules.get(first.__module__, None)
    path = getattr(module, "__file__", None)
    return Path(path).resolve().parent if path else Path.cwd()


def base_group_name(directory: PathLike) -> str:
    """What the command line would call the group of a spec in
    ``directory``: its ``group_name()``, else the directory's name."""
    return settings.name or default_group_name(str(directory))


def context_directory(group: str) -> Path:
    """Where up() keeps the Context file of ``group`` (see the module's
    docstring)."""
    return runtime_directory() / f"{group}.context"


def up(
    *services: ServiceSource,
    group: Optional[str] = None,
    shared: bool = False,
    exclude: Sequence[str] = (),
    timeout: float = DEFAULTS["start"]["timeout"],
    stop_timeout: float = DEFAULTS["stop"]["timeout"],
    keep: bool = False,
    build: bool = False,
    run_new_containers: bool = False,
    parallelism: int = DEFAULTS["start"]["parallelism"],
    directory: Optional[PathLike] = None,
    network_name: Optional[str] = None,
    engine: Optional[str] = None,
    watch_pid: Optional[int] = None,
    on_event: Optional[EventCallback] = None,
) -> Environment:
    """Starts ``services`` (Service subclasses, or spec modules whose
    Service subclasses are taken) and returns the :class:`Environment`;
    used as a context manager, it stops and removes them at the end of the
    block, also when the block raises. See the module's docstring, and
    bindings/python/README.md, for each argument.

    Raises :class:`~drillmaster.ServicesFailed` (``.report`` holds each
    service's outcome) when a service does not start, after removing what
    the start made (unless ``keep``); ServiceLoadError before anything
    starts when the services cannot be started as defined.
    """
    if shared and group is None:
        raise InvalidArgument("up(shared=True) needs group=: the name the processes share")
    session = _session(services, group, directory, network_name, engine)
    session.check(exclude)
    session.context_directory.mkdir(mode=0o700, exist_ok=True)
    session.check_context()
    users = GroupUsers(session.group_name, wait=timeout) if shared else None
    if users is not None:
        users.join()
    env = Environment(session, keep=keep, stop_timeout=stop_timeout, users=users)
    _start(
        env,
        watch_pid,
        exclude=list(exclude),
        timeout=timeout,
        stop_timeout=stop_timeout,
        build=build,
        run_new_containers=run_new_containers,
        parallelism=parallelism,
        on_event=on_event,
    )
    return env


def _session(
    sources: Sequence[ServiceSource],
    group: Optional[str],
    directory: Optional[PathLike],
    network_name: Optional[str],
    engine: Optional[str],
) -> Session:
    """The Session of up(): its classes, directory, group name (a new one
    unless given), the group's Context directory and the images' tag."""
    classes = services_of(sources)
    where = Path(directory).resolve() if directory is not None else directory_of(sources)
    base = base_group_name(where)
    import secrets  # hashlib, hmac: only for up(), not for the command line

    name = group if group is not None else group_name_of(base, secrets.token_hex(4))
    _core.Group(name)  # the library's rule for a group name, before any file is named after it
    return Session(
        classes,
        directory=where,
        group=name,
        context_directory=context_directory(name),
        image_group=base,
        network_name=network_name,
        engine=engine,
    )


def _start(env: Environment, watch_pid: Optional[int], **options: object) -> None:
    """Starts the environment's services; on a failure or a signal, stops
    and removes what the start made (unless kept) and raises."""
    session = env.session
    try:
        report, signum = _cancellable.run(
            session,
            lambda: session.start(remove_on_exit=not env.keep, watch_pid=watch_pid, **options),
            left_behind=LEFT_RUNNING if env.keep else LEFT_TO_THE_REAPER,
        )
    except BaseException:
        # The engine failed under the start: clean up what can be, then the cause.
        with contextlib.suppress(Exception):
            if env.keep:
                session.keep_on_exit()
            env._close(None)
        raise
    finally:
        _exit.guard_if_hooks_run()
    if env.keep:  # and one an earlier start of this group in this process made
        session.keep_on_exit()
    env.report = report
    env.context = MappingProxyType(dict(Context))
    if signum is None and report.ok:
        return
    how = f" ({_signals.describe(signum)} cancelled the start)" if signum is not None else ""
    message = summary(report, f"services of group '{env.group}' did not start{how}:")
    try:
        env._close(signum)
    except Error as error:  # the start's failure comes first; this one is added
        message += f"\nremoving them failed too: {error}"
    if signum is not None:
        _cancellable.resend(signum)
    raise ServicesFailed(message, report)
