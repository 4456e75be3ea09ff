"""A spec's services turned into a C group, and the operations on it.

A :class:`Session` is what one command works with: the registered Service
classes, the group's name and directory, and one instance per class on which
the hooks run. Every operation builds a fresh ``_core.Group`` from the
definitions (cheap: no engine traffic), so the environment can be filled from
the :data:`~drillmaster.Context` as it is at that moment.

Context placeholders: a service whose ``env`` has ``{key}`` placeholders gets
a prepare hook, which the library runs once the service's dependencies are
ready and before it decides anything about the container. It fills the
placeholders from the Context as it is then, so a value a dependency's
``post_start_init`` stored during the same start is there for its dependants.

The Context and its file: the library holds the group's lock for a whole
start or reload, and every hook runs inside it. So each hook (prepare
included) first takes what the file holds now, which may be newer than what
this process saw (another process's start finished while this one waited for
the lock), and after it the keys it changed are merged into the file, before
the library goes on: a value an init hook stored is on disk before its
service counts as ready, whatever happens to this process afterwards.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _context_file, _core
from ._context import Context, PlaceholderError
from ._errors import (
    ContextFileError,
    Error,
    HookFailed,
    InvalidArgument,
    NotFound,
    NotReady,
    ServiceLoadError,
)
from ._fields import FIELDS, check_text
from ._group import default_group_name, settings
from ._service import Definition, Service, _command, definition, services
from ._types import Event, ExecResult, Report, ServiceOutcome, ServiceStatus

__all__ = ["Session"]

EventCallback = Callable[[Event], None]
T = TypeVar("T")
#: A container port: 5432, or text such as "5432/tcp" and "53/udp".
ContainerPort = Union[int, str]

#: The library's defaults of each operation's options (dm_*_options_init),
#: e.g. ``DEFAULTS["stop"]["timeout"]``, the grace period: written once, in C.
DEFAULTS = _core.defaults()
#: The targets an operation runs on, by name, as the C API numbers them.
TARGETS = {"local": _core.TARGET_LOCAL, "swarm": _core.TARGET_SWARM}


def enabled_profiles(profiles: Optional[Sequence[str]]) -> Tuple[str, ...]:
    """The profiles given, else those ``DRILLMASTER_PROFILES`` names
    (comma-separated), as Compose's ``--profile`` and ``COMPOSE_PROFILES``."""
    if profiles is None:
        profiles = os.environ.get("DRILLMASTER_PROFILES", "").split(",")
    return tuple(p.strip() for p in profiles if p.strip())


def _user_traceback(exc: BaseException) -> str:
    """The exception's traceback without drillmaster's own frames."""
    import traceback  # only when a hook fails: a command's start-up stays short

    tb = exc.__traceback__
    here = os.path.dirname(os.path.abspath(__file__))
    while (
        tb is not None and os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == here
    ):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb)).rstrip("\n")


def _port_text(service: str, container_port: ContainerPort) -> str:
    """The container port as the C library takes it (it checks the text)."""
    if isinstance(container_port, bool) or not isinstance(container_port, (int, str)):
        raise InvalidArgument(
            f"service {service!r}: container port {container_port!r}: expected an int or a str "
            f"such as '53/udp', got {type(container_port).__name__}"
        )
    if isinstance(container_port, str) and "\0" in container_port:
        raise InvalidArgument(
            f"service {service!r}: container port {container_port!r} contains a NUL character "
            "(\\x00); remove it"
        )
    return str(container_port)


class Session:
    """The services of a spec, ready to be started, stopped, reloaded.

    ``classes`` defaults to every registered Service subclass; ``directory``
    is where relative build contexts and volumes are resolved and, unless
    ``context_directory`` names another, where the context file lives
    (default: the current directory). Images built from a ``build_from``
    are tagged ``drillmaster-<image_group>-<service>:latest``
    (``image_group`` default: the group's name).
    """

    def __init__(
        self,
        classes: Optional[Sequence[Type[Service]]] = None,
        *,
        directory: Optional[os.PathLike[str] | str] = None,
        group: Optional[str] = None,
        network_name: Optional[str] = None,
        engine: Optional[str] = None,
        context_directory: Optional[os.PathLike[str] | str] = None,
        image_group: Optional[str] = None,
        context: Optional[str] = None,
        target: Optional[str] = None,
        registry: Optional[str] = None,
    ) -> None:
        self.directory = Path(directory if directory is not None else os.getcwd()).resolve()
        self.context_directory = (
            Path(context_directory).resolve() if context_directory is not None else self.directory
        )
        self.group_name = group or settings.name or default_group_name(str(self.directory))
        self.image_group = image_group or self.group_name
        self.network_name = network_name
        check_text("Session", "group", self.group_name)
        check_text("Session", "network_name", network_name)
        self.engine = engine
        #: A docker context's name (the docker command's --context).
        self.context = context
        #: Where start, stop and reload run the services: "local" (the
        #: engine's containers) or "swarm" (services of the swarm the engine
        #: manages); None: ``DRILLMASTER_TARGET``, else "local".
        self.target = target or os.environ.get("DRILLMASTER_TARGET") or "local"
        if self.target not in TARGETS:
            raise InvalidArgument(
                f"target {self.target!r} is not one of {', '.join(TARGETS)} "
                "(--target, DRILLMASTER_TARGET)"
            )
        #: On the swarm target, the registry (host[:port]/path, e.g.
        #: "127.0.0.1:5000/myteam") that start and reload push the images
        #: they build to, for the swarm's nodes; None: ``DRILLMASTER_REGISTRY``,
        #: else none. The library checks it (README.md, "Swarm").
        self.registry = (
            registry if registry is not None else os.environ.get("DRILLMASTER_REGISTRY", "")
        )
        check_text("Session", "registry", self.registry)
        self.definitions: List[Definition] = [
            definition(c) for c in (classes if classes is not None else services())
        ]
        self.instances: Dict[str, Service] = {}
        for d in self.definitions:
            self.instances.setdefault(d.name, d.cls())
        self._current: Optional[_core.Group] = None
        #: The client of the start or reload running, for hooks' address().
        self._operation_client: Optional[_core.Client] = None
        self._lock = threading.Lock()
        self._cancelled = False
        #: Called with each client the session opens (the CLI's -v names the engine).
        self.on_connect: Optional[Callable[[_core.Client], None]] = None

    # ---- names ----

    @property
    def names(self) -> List[str]:
        return [d.name for d in self.definitions]

    def _definition(self, name: str) -> Definition:
        for d in self.definitions:
            if d.name == name:
                return d
        raise ServiceLoadError(f"no service named {name!r} (defined: {', '.join(self.names)})")

    def dependants(self, name: str) -> List[str]:
        """The services that depend on ``name``, directly or not."""
        found: List[str] = []
        todo = [name]
        while todo:
            current = todo.pop()
            for d in self.definitions:
                if current in d.dependencies and d.name not in found and d.name != name:
                    found.append(d.name)
                    todo.append(d.name)
        return found

    # ---- the C group ----

    def _image(self, d: Definition) -> str:
        if d.image:
            return d.image
        if d.build_from is not None:
            return f"drillmaster-{self.image_group}-{d.name}:latest".lower()
        return "drillmaster-missing-image:latest"  # reported by check(); never started

    def _build(self, *, saving: bool = False) -> _core.Group:
        """The C group; ``saving``: its hooks save what they change in the
        Context (start and reload, which hold the group's lock; status runs
        the prepare hooks without it, and only reads)."""
        group = _core.Group(self.group_name)
        group.directory = str(self.directory)
        if self.network_name:
            group.network_name = self.network_name
        for d in self.definitions:
            s = group.add_service(d.name, self._image(d))
            for f in FIELDS:
                f.apply(s, d.values)
            self._set_hooks(s, d, saving)
        return group

    def _set_hooks(self, s: _core.Service, d: Definition, saving: bool) -> None:
        """The service's hooks: the prepare hook that fills its env from the
        Context, and the class's own, each run inside :meth:`_with_context`."""
        if any(Context.has_placeholders(v) for v in d.env.values()):
            s.set_prepare(self._with_context(self._fill_env(d), saving))
        instance = self.instances.get(d.name)
        if instance is None or type(instance) is not d.cls:
            return  # a duplicate name: check() reports it
        setters = {
            "ping": s.set_ping,
            "pre_start": s.set_pre_start,
            "post_start_init": s.set_post_start_init,
            "pre_stop": s.set_pre_stop,
        }
        for hook, method in d.hooks.items():
            call = (
                self._ping_hook(instance, method)
                if hook == "ping"
                else self._hook(instance, method)
            )
            setters[hook](self._with_context(call, saving))

    def _with_context(
        self, fn: Callable[["_core.HookInfo"], T], saving: bool
    ) -> Callable[["_core.HookInfo"], T]:
        """``fn`` between a load of the Context from its file and, when
        ``saving``, a save of what ``fn`` changed in it (see the module's
        docstring)."""
        directory = self.context_directory

        def hook(info: "_core.HookInfo") -> T:
            try:
                Context.load(directory)
            except ContextFileError as exc:
                raise HookFailed(str(exc)) from None
            try:
                result = fn(info)
            except BaseException:
                if saving:
                    with contextlib.suppress(Exception):  # the hook's own failure comes first
                        Context.save(directory)
                raise
            if saving:
                try:
                    Context.save(directory)
                except (ContextFileError, OSError) as exc:
                    raise HookFailed(f"cannot save drillmaster.Context: {exc}") from None
            return result

        return hook

    def _bind(self, instance: Service, info: "_core.HookInfo") -> None:
        instance.group = info.group
        instance.network = info.network
        instance.container_id = info.container_id
        instance.container_name = info.container_name
        instance._drillmaster_exec = info.exec
        client = self._operation_client
        name = instance.name
        if client is not None:
            instance._drillmaster_address = lambda container, port: self._published(
                client, name, container, port
            )

    def _hook(self, instance: Service, method: str) -> Callable[["_core.HookInfo"], None]:
        fn = getattr(instance, method)

        def hook(info: "_core.HookInfo") -> None:
            self._bind(instance, info)
            try:
                fn()
            except HookFailed:
                raise
            except BaseException as exc:  # noqa: B902 - any failure fails the service
                raise HookFailed(
                    f"{type(instance).__name__}.{method} raised:\n" + _user_traceback(exc)
                ) from None

        return hook

    def _ping_hook(self, instance: Service, method: str) -> Callable[["_core.HookInfo"], bool]:
        fn = getattr(instance, method)

        def ping(info: "_core.HookInfo") -> bool:
            self._bind(instance, info)
            try:
                return bool(fn())
            except HookFailed:
                raise
            except OSError as exc:  # not listening yet: not ready
                raise NotReady(f"{type(exc).__name__}: {exc}") from None
            except BaseException as exc:  # noqa: B902
                raise HookFailed(
                    f"{type(instance).__name__}.{method} raised:\n" + _user_traceback(exc)
                ) from None

        return ping

    def _fill_env(self, d: Definition) -> Callable[["_core.HookInfo"], Dict[str, str]]:
        """The prepare hook of ``d``: its env with the Context's values."""

        def prepare(info: "_core.HookInfo") -> Dict[str, str]:
            problems = self._missing(d, Context) + self._unpassable(d)
            if problems:
                keys = ", ".join(sorted(Context)) or "none"
                raise HookFailed("; ".join(problems) + f" (context keys: {keys})")
            try:
                return Context.interpolate_env(d.env)
            except PlaceholderError as exc:  # a value of the wrong type for its format spec...
                raise HookFailed(str(exc)) from None

        return prepare

    @staticmethod
    def _missing(d: Definition, values: Mapping[str, object]) -> List[str]:
        return [
            f"env {key}: no value for {{{k}}} in drillmaster.Context"
            for key, value in d.env.items()
            for k in Context.placeholders(value)
            if k not in values
        ]

    @staticmethod
    def _unpassable(d: Definition) -> List[str]:
        """Placeholders whose value holds a NUL, which a C string (and so an
        environment variable) cannot carry: cut silently otherwise."""
        return [
            f"env {key} of service '{d.name}': drillmaster.Context[{k!r}] contains a NUL "
            f"character (\\x00), which an environment variable cannot hold; store it without"
            for key, value in d.env.items()
            for k in Context.placeholders(value)
            if k in Context and "\0" in str(Context[k])
        ]

    def check(self, exclude: Iterable[str] = (), *, images: bool = True) -> None:
        """Raises ServiceLoadError listing every problem of the definitions
        and the graph (the C library's messages), before anything starts.
        ``images``: also require an image for every service not excluded."""
        exclude = list(exclude)
        problems = self._missing_images(exclude) if images else []
        self._raise_problems(problems, lambda group: group.validate(exclude))

    def check_stop(self, exclude: Iterable[str] = ()) -> None:
        """check() for stop, with the library's rule for what stop may
        exclude (dm_group_validate_stop: a name must be defined; keeping a
        service others need running while they stop, ``stop --exclude db``,
        is what users do)."""
        exclude = list(exclude)
        self._raise_problems([], lambda group: group.validate_stop(exclude))

    def _missing_images(self, exclude: List[str]) -> List[str]:
        return [
            f"service '{d.name}' (class {d.cls.__name__}): no image; "
            f'set image = "..." or build_from = "<directory>"'
            for d in self.definitions
            if d.name not in exclude and not d.image and d.build_from is None
        ]

    def _raise_problems(self, problems: List[str], validate: Callable[[_core.Group], None]) -> None:
        """Raises ServiceLoadError with ``problems`` and those the library's
        ``validate`` finds in the group, if there are any."""
        if not self.definitions:
            problems.append("no services are defined: subclass drillmaster.Service")
        try:
            validate(self._build())
        except InvalidArgument as exc:
            problems.extend(line for line in str(exc).splitlines() if line.strip())
        if problems:
            raise ServiceLoadError("\n".join(problems))

    def check_context(self) -> Optional[Dict[str, object]]:
        """The values saved in the context file (None without one); raises
        ContextFileError, before anything starts, when the file cannot be
        used (not a JSON object, not UTF-8, a link...). Reads only."""
        return _context_file.read(self.context_directory)

    def _catch_up(self) -> None:
        """After an operation: the Context takes what the file holds, for
        the group hooks (on_start_services...) and callers to read."""
        with contextlib.suppress(ContextFileError, OSError):
            Context.load(self.context_directory)

    def client(self) -> _core.Client:
        """Opens a client for the engine, found as the docker command finds it
        (DOCKER_HOST, a docker context, the local sockets)."""
        client = _core.Client(host=self.engine, context=self.context)
        if self.on_connect is not None:
            self.on_connect(client)
        return client

    def cancel(self) -> None:
        """Asks the operation in progress to stop; safe from any thread."""
        self._cancelled = True
        with self._lock:
            group = self._current
        if group is not None:
            group.cancel()

    def _run(
        self,
        group: _core.Group,
        op: Callable[[_core.Group], "_core.Result"],
        client: Optional[_core.Client] = None,
    ) -> "_core.Result":
        """Runs ``op``; ``client``: the one its hooks' ``address()`` asks."""
        with self._lock:
            self._current = group
            self._operation_client = client
        try:
            return op(group)
        finally:
            with self._lock:
                self._current = None
                self._operation_client = None

    # ---- operations ----

    def start(
        self,
        *,
        exclude: Sequence[str] = (),
        timeout: float = DEFAULTS["start"]["timeout"],
        run_new_containers: bool = False,
        build: bool = False,
        parallelism: int = DEFAULTS["start"]["parallelism"],
        stop_timeout: float = DEFAULTS["start"]["stop_timeout"],
        on_event: Optional[EventCallback] = None,
        remove_on_exit: bool = DEFAULTS["start"]["remove_on_exit"],
        watch_pid: Optional[int] = None,
        only: Sequence[str] = (),
        profiles: Optional[Sequence[str]] = None,
    ) -> Report:
        """Starts every service not excluded, dependencies first; see the
        module's docstring for how context placeholders are filled.

        ``only``: these services and what they depend on (``docker compose
        up SERVICE...``); ``profiles``: those enabled (None: the ones
        ``DRILLMASTER_PROFILES`` names), see ``Service.profiles``.

        ``remove_on_exit``: the group's containers and network are removed
        once this process has exited (however: a ``kill -9`` too) without
        :meth:`stop` with ``remove`` or :meth:`keep_on_exit`; ``watch_pid``
        (with it) waits for that process to exit as well, e.g. the pytest
        process whose workers share the group. A helper process,
        ``drillmaster-reaper``, does it (see the C header, "Removal on exit").
        """
        began = time.monotonic()
        self.check(exclude)
        self.check_context()
        client = self.client()
        group = self._build(saving=True)
        result = self._run(
            group,
            lambda g: g.start(
                client,
                exclude=list(exclude),
                timeout=timeout,
                run_new_containers=run_new_containers,
                build=build,
                parallelism=parallelism,
                stop_timeout=stop_timeout,
                on_event=on_event,
                remove_on_exit=remove_on_exit,
                watch_pid=watch_pid or 0,
                only=list(only),
                profiles=list(enabled_profiles(profiles)),
                **self._placement(),
            ),
            client,
        )
        self._catch_up()
        return Report(
            "start",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled or self._cancelled,
            time.monotonic() - began,
        )

    def _placement(self) -> Dict[str, Any]:
        """Where the operations that build run the services: the target,
        and the registry their built images are pushed to."""
        return {"target": TARGETS[self.target], "registry": self.registry}

    def keep_on_exit(self) -> None:
        """Cancels the removal on exit a :meth:`start` with
        ``remove_on_exit`` registered for this group in this process: the
        containers stay when the process exits. A no-op when none was."""
        _core.Group(self.group_name).keep_on_exit()

    def stop(
        self,
        *,
        exclude: Sequence[str] = (),
        timeout: float = DEFAULTS["stop"]["timeout"],
        remove: bool = False,
        on_event: Optional[EventCallback] = None,
    ) -> Report:
        """Stops the services, dependants first; ``remove`` also removes the
        containers, the network and (when nothing is excluded) the saved
        context. Stopping needs no context: an unreadable file is moved
        aside by ``remove`` (the report's notes say where)."""
        began = time.monotonic()
        self.check_stop(exclude)
        forget = remove and not exclude
        before = self._context_bytes() if forget else None
        client = self.client()
        group = self._build()
        result = self._run(
            group,
            lambda g: g.stop(
                client,
                exclude=list(exclude),
                timeout=timeout,
                remove=remove,
                on_event=on_event,
                target=TARGETS[self.target],
            ),
        )
        report = Report(
            "stop",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled,
            time.monotonic() - began,
        )
        if forget and report.ok:
            try:
                note = _context_file.discard(self.context_directory, before)
            except ContextFileError as exc:  # a link or not a file: never touched
                note = f"{exc}; left in place"
            if note:
                report.notes.append(note)
        return report

    def _context_bytes(self) -> Optional[bytes]:
        """The context file as it is, before a stop --remove: values a start
        in another process saves meanwhile are not forgotten by it."""
        try:
            return _context_file.read_raw(self.context_directory)
        except ContextFileError:
            return None  # a link or not a file: discard() refuses it

    def reload(
        self,
        service: str,
        *,
        timeout: float = DEFAULTS["reload"]["timeout"],
        remove: bool = False,
        stop_timeout: float = DEFAULTS["reload"]["stop_timeout"],
        run_new_containers: bool = DEFAULTS["reload"]["run_new_containers"],
        on_event: Optional[EventCallback] = None,
        keep_dependants: bool = DEFAULTS["reload"]["keep_dependants"],
    ) -> Report:
        """Rebuilds ``service``'s image and recreates it, restarting its
        dependants; its dependencies keep running. The dependants' containers
        are started again by the reuse rules, or, with
        ``run_new_containers``, replaced by new ones (``pre_start`` and
        ``post_start_init`` run for them), as ``start`` does with it. With
        ``keep_dependants`` they are left as they are: neither stopped nor
        started again."""
        began = time.monotonic()
        self._definition(service)
        self.check()
        # Before anything is stopped: a placeholder no value can fill. Only
        # a look at the file; the hooks take its values under the lock.
        known = {**(self.check_context() or {}), **Context}
        problems = [
            f"service '{n}': {m}"
            for n in [service, *self.dependants(service)]
            for m in self._missing(self._definition(n), known)
        ]
        if problems:
            raise ServiceLoadError("\n".join(problems))
        client = self.client()
        group = self._build(saving=True)
        result = self._run(
            group,
            lambda g: g.reload(
                client,
                service,
                timeout=timeout,
                remove=remove,
                stop_timeout=stop_timeout,
                run_new_containers=run_new_containers,
                keep_dependants=keep_dependants,
                on_event=on_event,
                **self._placement(),
            ),
            client,
        )
        self._catch_up()
        return Report(
            "reload",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled,
            time.monotonic() - began,
        )

    def copy_files(
        self,
        service: str,
        files: Sequence[Tuple[str, str]],
        removed: Sequence[str] = (),
    ) -> List[str]:
        """Copies host files into ``service``'s running container, each
        ``(host path, absolute container path)`` (missing directories are
        made; a host directory is copied with what is below it), then
        deletes the ``removed`` container paths (directories too) with one
        ``rm -rf``. The files keep their host mode and belong to the
        container's user. Returns one line per host file that could not be
        read (skipped). A service without a running container raises
        :class:`~drillmaster.NotFound` or :class:`~drillmaster.Conflict`;
        an image without ``rm`` raises :class:`~drillmaster.EngineError`
        when there is something to delete."""
        self._definition(service)
        self.check(images=False)
        client = self.client()
        pairs = [(os.fspath(host), target) for host, target in files]
        return self._run(
            self._build(),
            lambda g: g.copy_files(client, service, pairs, list(removed)),
        )

    def restart(
        self,
        service: str,
        *,
        timeout: float = DEFAULTS["watch"]["timeout"],
        stop_timeout: float = DEFAULTS["watch"]["stop_timeout"],
        on_event: Optional[EventCallback] = None,
    ) -> Report:
        """Stops ``service``'s container and starts it again, waiting for
        its ping as start does, without ``pre_start`` or
        ``post_start_init``; its dependants keep running. The report has
        the service alone: restarted, or failed with the reason (its
        container is kept)."""
        began = time.monotonic()
        self._definition(service)
        self.check(images=False)
        client = self.client()
        result = self._run(
            self._build(),
            lambda g: g.restart_service(
                client,
                service,
                timeout=timeout,
                stop_timeout=stop_timeout,
                on_event=on_event,
            ),
            client,
        )
        return Report(
            "restart",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled,
            time.monotonic() - began,
        )

    def watcher(self, services: Sequence[str] = ()) -> Tuple[_core.Group, _core.Watcher]:
        """The group (with its hooks, saving to the Context as reload does)
        and the watch rules of ``services`` (every service when empty; not
        the ones they depend on), checked as start checks the definitions:
        a watch path that does not exist, a relative target, an unknown
        action are definition errors here."""
        for name in services:
            self._definition(name)
        self.check()
        group = self._build(saving=True)
        return group, _core.Watcher(group, list(services))

    def watch_apply(
        self,
        group: _core.Group,
        client: _core.Client,
        batch: _core.WatchBatch,
        index: int,
        *,
        timeout: float = DEFAULTS["watch"]["timeout"],
        stop_timeout: float = DEFAULTS["watch"]["stop_timeout"],
        on_event: Optional[EventCallback] = None,
    ) -> Report:
        """Carries out entry ``index`` of a batch routed by the group's
        watcher: a sync, a sync and restart, or a rebuild (as :meth:`reload`),
        holding the group lock for that action only. ``group`` and
        ``client``: :meth:`watcher`'s group and a client kept for the watch
        (an action opens nothing)."""
        began = time.monotonic()
        result = self._run(
            group,
            lambda g: g.watch_apply(
                client,
                batch,
                index,
                timeout=timeout,
                stop_timeout=stop_timeout,
                on_event=on_event,
            ),
            client,
        )
        self._catch_up()
        return Report(
            "watch",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled,
            time.monotonic() - began,
        )

    def status(self) -> List[ServiceStatus]:
        """What runs now, one entry per service in definition order."""
        self.check(images=False)
        self.check_context()
        client = self.client()
        return self._build().status(client, target=TARGETS[self.target])

    def graph(self, format: str = "mermaid", status: bool = False) -> str:
        """The dependency graph as text, ``"mermaid"`` (default) or ``"dot"``:
        each service labelled with its image, an arrow from each service to
        each one it depends on (dm_group_graph). ``status``: each service
        coloured by its container's state, which asks the engine; without
        it no engine is needed. Checks the definitions as start does: a
        service without an image is an error, not a node."""
        self.check()
        if not status:
            return self._build().graph(format=format)
        self.check_context()
        with self.client() as client:
            return self._build().graph(format=format, client=client)

    # ---- commands in containers ----

    def exec(
        self,
        service: str,
        argv: Sequence[str],
        *,
        timeout: Optional[float] = None,
        user: Optional[str] = None,
        working_dir: Optional[str] = None,
        text: bool = True,
        stdin_fd: int = -1,
        tty: bool = False,
        stdout_fd: int = -1,
        stderr_fd: int = -1,
    ) -> ExecResult:
        """Runs ``argv`` in ``service``'s running container, as
        :meth:`Service.exec` does in a hook (the same result, errors and
        ``text``), from outside any operation. ``stdin_fd``: a descriptor
        copied to the command's stdin (-1: none); ``tty``: it gets a TTY;
        ``stdout_fd`` / ``stderr_fd``: its output is written there as it
        comes (the result's output is then empty). A service without a
        running container raises :class:`~drillmaster.NotFound` (none) or
        :class:`~drillmaster.Conflict` (not running), saying to start it."""
        self._definition(service)
        words = _command(f"Session.exec({service!r})", argv)
        self.check(images=False)
        client = self.client()
        answer = self._run(
            self._build(),
            lambda g: g.exec(
                client,
                service,
                words,
                timeout=timeout or 0.0,
                user=user,
                working_dir=working_dir,
                stdin_fd=stdin_fd,
                tty=tty,
                stdout_fd=stdout_fd,
                stderr_fd=stderr_fd,
            ),
        )
        return ExecResult.from_core(answer, text)

    def run(
        self,
        service: str,
        command: Optional[Sequence[str]] = None,
        *,
        keep: bool = False,
        publish: bool = False,
        tty: bool = False,
        stdin_fd: int = -1,
        stdout_fd: int = -1,
        stderr_fd: int = -1,
        timeout: float = DEFAULTS["run"]["timeout"],
        stop_timeout: float = DEFAULTS["run"]["stop_timeout"],
        on_event: Optional[EventCallback] = None,
    ) -> Tuple[Optional[int], Report]:
        """Compose's ``run``: starts ``service``'s dependencies (as
        :meth:`start` would), then runs a one-off container of the service
        (``command`` instead of its own, if given) attached to the
        descriptors (-1: stdin none, output discarded), and waits for its
        exit. The one-off publishes no ports unless ``publish``, has no DNS
        alias of the service and no restart policy, and is never taken for
        the service's container; it is removed once it exited unless
        ``keep``. A :meth:`cancel` stops it (grace ``stop_timeout``).

        Returns its exit code (None when it did not run: a dependency
        failed, or cancelled first) and the dependencies' report."""
        self._definition(service)
        words = _command(f"Session.run({service!r})", command) if command else None
        began = time.monotonic()
        self.check()
        self.check_context()
        client = self.client()
        group = self._build(saving=True)
        answer = self._run(
            group,
            lambda g: g.run(
                client,
                service,
                command=words,
                keep=keep,
                publish=publish,
                tty=tty,
                stdin_fd=stdin_fd,
                stdout_fd=stdout_fd,
                stderr_fd=stderr_fd,
                timeout=timeout,
                stop_timeout=stop_timeout,
                on_event=on_event,
            ),
            client,
        )
        code, result = answer
        self._catch_up()
        report = Report(
            "run",
            [ServiceOutcome.from_core(r) for r in result.services],
            result.cancelled or self._cancelled,
            time.monotonic() - began,
        )
        return code, report

    # ---- published ports ----

    def address(self, service: str, container_port: ContainerPort) -> Tuple[str, int]:
        """Where a program on this machine connects to ``container_port``
        (``5432``, ``"5432/tcp"``, ``"53/udp"``) of ``service``: ``(host,
        port)`` as the engine published it, also a port it picked (``ports =
        {5432: None}``). The host is ``"127.0.0.1"`` for a local engine (the
        IPv4 binding is preferred; ``"::1"`` when there is only an IPv6 one),
        the engine's host name for a ``tcp://`` engine, or the address the
        port is bound on when it is bound on one only.

        The container is the one :meth:`status` shows. Raises
        :class:`~drillmaster.NotFound` naming the service when it has no
        container, its container is not running (a stopped container
        publishes nothing; the engine picks a free port again when it
        starts) or does not publish that port; ServiceLoadError for a
        service not defined; InvalidArgument for a port that is not one.
        Safe from any thread, also while an operation runs."""
        self._definition(service)
        port = _port_text(service, container_port)
        with self.client() as client:
            rows = self._build().status(client, target=TARGETS[self.target])
            row = next(r for r in rows if r.service == service)
            if row.state == "missing":
                raise NotFound(
                    f"service {service!r} has no container in group {self.group_name!r}, so it "
                    f"publishes no port {port}; start it first"
                )
            return self._published(client, service, row.container_id, port)

    def host_port(self, service: str, container_port: ContainerPort) -> int:
        """The host port of :meth:`address`: ``session.host_port("appdb", 5432)``."""
        return self.address(service, container_port)[1]

    @staticmethod
    def _published(
        client: _core.Client, service: str, container: str, container_port: ContainerPort
    ) -> Tuple[str, int]:
        """``client.host_port()``, its errors naming the service."""
        port = _port_text(service, container_port)
        try:
            return client.host_port(container, port)
        except Error as exc:
            raise type(exc)(f"service {service!r}: {exc}") from None

    def logs(
        self,
        callback: Callable[[str, int, str], object],
        *,
        services: Sequence[str] = (),
        follow: bool = False,
        tail: int = DEFAULTS["logs"]["tail"],
    ) -> bool:
        """Streams log lines to ``callback(service, stream, line)`` (stream 1
        is stdout, 2 stderr; a true return stops). Returns True if cancelled."""
        for name in services:
            self._definition(name)
        self.check(images=False)
        client = self.client()
        group = self._build()
        with self._lock:
            self._current = group
        try:
            return group.logs(
                client,
                services=list(services),
                follow=follow,
                tail=tail,
                callback=callback,
                target=TARGETS[self.target],
            )
        finally:
            with self._lock:
                self._current = None
