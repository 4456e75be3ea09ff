"""``drillmaster.Environment``: the services :func:`drillmaster.up` started.

What a program or a test needs from a running group: where to reach a
service (:meth:`~Environment.address`), its container, its logs, the
Context its hooks filled, and the end of it all (:meth:`~Environment.stop`:
stop and remove, unless kept). It is a context manager, and stopping it is
idempotent, so a ``with`` block, a pytest fixture's teardown and an explicit
``close()`` can all end it.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import warnings
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, ContextManager, List, Mapping, Optional, Tuple, Type

from . import _cancellable, _exit, _signals
from ._errors import Error, NotFound, ServicesFailed
from ._progress import print_summary
from ._session import DEFAULTS, ContainerPort

if TYPE_CHECKING:
    from ._group_users import GroupUsers
    from ._session import Session
    from ._types import Report

__all__ = ["Environment", "summary"]

#: What becomes of the containers when a second Ctrl-C ends the process.
LEFT_TO_THE_REAPER = "drillmaster removes the group's containers once this process has exited"
LEFT_RUNNING = "containers may be left half-started (docker rm -f them)"


def summary(report: Report, heading: str) -> str:
    """``heading`` and the summary the command line prints for ``report``:
    a line per service, then each failure's full cause (a traceback, the
    last log lines of a container that exited)."""
    out = io.StringIO()  # not a terminal: no colours
    print_summary(report, stream=out)
    return f"{heading}\n{out.getvalue().rstrip()}"


class Environment:
    """The services :func:`drillmaster.up` started, until :meth:`stop`.

    ``group`` is the group's name, ``report`` what the start did (a
    :class:`~drillmaster.Report`), ``context`` the values of
    :data:`drillmaster.Context` once the start was done (what the hooks
    stored; a read-only copy), ``session`` the :class:`~drillmaster.Session`
    behind it, for anything else (``env.session.reload("web")``). ``keep``:
    :meth:`stop` leaves the services running.
    """

    def __init__(
        self,
        session: Session,
        *,
        keep: bool = False,
        stop_timeout: float = DEFAULTS["stop"]["timeout"],
        users: Optional[GroupUsers] = None,
    ) -> None:
        self.session = session
        self.keep = keep
        self.stop_timeout = stop_timeout
        self.report: Optional[Report] = None
        self.context: Mapping[str, Any] = MappingProxyType({})
        self._users = users
        self._lock = threading.Lock()
        self._closed = False
        self._stop_report: Optional[Report] = None

    @property
    def group(self) -> str:
        """The group's name: it labels the containers and the network."""
        return self.session.group_name

    def __repr__(self) -> str:
        state = "stopped" if self._closed else "running"
        return f"<drillmaster.Environment group {self.group!r} ({state})>"

    # ---- where things are ----

    def host_port(self, service: str, container_port: ContainerPort) -> int:
        """The host port published for ``service``'s ``container_port``
        (``5432``, ``"5432/tcp"``, ``"53/udp"``): the one the engine chose
        for ``ports = {5432: None}``. NotFound, naming the service, when it
        publishes no such port (see :meth:`Session.address`)."""
        return self.session.host_port(service, container_port)

    def address(self, service: str, container_port: ContainerPort) -> Tuple[str, int]:
        """``(host, port)``: what a client on this host connects to, to
        reach ``service``'s ``container_port`` (``("127.0.0.1", 32768)`` for
        a local engine)."""
        return self.session.address(service, container_port)

    def container_id(self, service: str) -> str:
        """The id of ``service``'s container; NotFound when it has none
        (excluded, or removed since)."""
        self.session._definition(service)  # ServiceLoadError naming the defined ones
        for row in self.session.status():
            if row.service == service and row.container_id:
                return row.container_id
        raise NotFound(f"service '{service}' of group '{self.group}' has no container")

    def logs(self, service: str, *, tail: int = DEFAULTS["logs"]["tail"]) -> str:
        """What ``service``'s container wrote (stdout and stderr, in order),
        one line per line; ``tail``: only the last that many lines."""
        lines: List[str] = []

        def collect(name: str, stream: int, line: str) -> bool:
            lines.append(line)
            return False

        self.session.logs(collect, services=[service], tail=tail)
        return "\n".join(lines)

    # ---- the end ----

    def stop(self) -> Optional[Report]:
        """Stops the services and removes their containers and the group's
        network (``stop --remove``), unless ``keep``; for a shared group,
        only the last of its users does. Returns the stop's report (None
        when nothing was stopped). Raises ServicesFailed when a service
        could not be stopped. Only the first call does anything."""
        return self._close(None)

    #: Another name for :meth:`stop`.
    close = stop

    def _close(self, interrupted: Optional[int]) -> Optional[Report]:
        """:meth:`stop`; ``interrupted``: the signal that ended what the
        stop cleans up after, so that another one ends the process at once."""
        with self._lock:
            if self._closed:
                return self._stop_report
            self._closed = True
        with self._leaving() as last:
            if self.keep or not last:
                return None
            report, signum = _cancellable.run(
                self.session,
                lambda: self.session.stop(remove=True, timeout=self.stop_timeout),
                left_behind=LEFT_TO_THE_REAPER,
                interrupted=interrupted,
            )
        _exit.guard_if_hooks_run()
        self._stop_report = report
        if report.ok:
            # stop --remove discarded the context file; its directory is up()'s.
            with contextlib.suppress(OSError):
                self.session.context_directory.rmdir()
        if signum is not None:
            _cancellable.resend(signum)
        if not report.ok:
            raise ServicesFailed(
                summary(report, f"group '{self.group}': services could not be stopped:"), report
            )
        return report

    def _leaving(self) -> ContextManager[bool]:
        """Whether this Environment is the last user of its group, while the
        stop runs (the lock of a shared group's users is held meanwhile)."""
        if self._users is None:
            return contextlib.nullcontext(True)
        return self._users.leaving()

    def __enter__(self) -> Environment:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        interrupted: Optional[int] = None
        if isinstance(exc, KeyboardInterrupt):
            interrupted = signal.SIGINT
        elif isinstance(exc, _signals.Interrupted):
            interrupted = exc.signum
        try:
            self._close(interrupted)
        except Error as error:
            if exc is None:
                raise
            # The body's exception is what the reader needs; this one is said.
            warnings.warn(f"drillmaster: {error}", RuntimeWarning, stacklevel=2)
