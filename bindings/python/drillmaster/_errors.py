"""The exceptions drillmaster raises.

Every failure of the C library arrives as a subclass of :class:`Error`, chosen
by the library's status code; its message is the library's own text, which
names the service, the field and the value involved.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Dict, List, Optional, Type, Union

if TYPE_CHECKING:
    from ._types import Report, ServiceOutcome

__all__ = [
    "Error",
    "InvalidArgument",
    "ServiceDefinitionError",
    "ServiceLoadError",
    "ContextFileError",
    "NotFound",
    "Conflict",
    "EngineUnreachable",
    "EngineError",
    "Timeout",
    "HookFailed",
    "Cancelled",
    "ServicesFailed",
    "OutOfMemory",
    "InternalError",
]


class Error(Exception):
    """Base class of every drillmaster error.

    ``status`` is the C library's status code (a negative ``DM_*`` value) and
    ``status_name`` its name, e.g. ``"DM_EINVALID"``.
    """

    status: int = -11
    status_name: str = "DM_EINTERNAL"

    @property
    def message(self) -> str:
        """The error's text, as the C library or drillmaster wrote it."""
        return str(self.args[0]) if self.args else ""


class InvalidArgument(Error):
    """A bad argument or definition (``DM_EINVALID``): fix the input."""

    status, status_name = -1, "DM_EINVALID"


class ServiceDefinitionError(InvalidArgument):
    """A ``Service`` subclass has an attribute of the wrong type.

    Raised when the class is defined; the message names the class and the
    attribute: ``"Application.ports: expected a dict of int to int or a list of str, got int"``.
    """


class ServiceLoadError(InvalidArgument):
    """The services do not form a valid group (unknown dependency, cycle,
    duplicate name, missing image...). Raised before anything is started; the
    message lists every problem, one per line."""


class ContextFileError(InvalidArgument, ValueError):
    """``.drillmaster-context`` cannot be used as it is: not a JSON object,
    not UTF-8, a symbolic link or not a regular file. The file is left as it
    was; the message names it, the problem and what to do.

    ``path`` is the file, ``problem`` what is wrong with it.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"], problem: str, hint: str = "") -> None:
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" + (f"; {hint}" if hint else ""))


class NotFound(Error):
    """The thing named does not exist (``DM_ENOTFOUND``)."""

    status, status_name = -2, "DM_ENOTFOUND"


class Conflict(Error):
    """The engine refused because of the state of something (``DM_ECONFLICT``)."""

    status, status_name = -3, "DM_ECONFLICT"


class EngineUnreachable(Error):
    """No Docker engine answers at the configured address (``DM_EUNREACHABLE``)."""

    status, status_name = -4, "DM_EUNREACHABLE"


class EngineError(Error):
    """The Docker engine answered with an error (``DM_EENGINE``)."""

    status, status_name = -5, "DM_EENGINE"


class Timeout(Error):
    """A deadline passed (``DM_ETIMEOUT``)."""

    status, status_name = -6, "DM_ETIMEOUT"


class HookFailed(Error):
    """A hook failed (``DM_EHOOK``).

    A hook may raise it itself to fail its service with exactly this message,
    without a traceback.
    """

    status, status_name = -7, "DM_EHOOK"


class Cancelled(Error):
    """The operation was cancelled (``DM_ECANCELLED``)."""

    status, status_name = -8, "DM_ECANCELLED"


class ServicesFailed(Error):
    """The operation ran but some services failed (``DM_EFAILED``).

    :func:`drillmaster.up` raises it when services do not start: ``report``
    is the start's :class:`~drillmaster.Report` (``report.failures``: each
    failed or skipped service and why), and the message is the summary the
    command line prints, naming each failed service and its cause, with the
    last lines of its log when its container exited.
    """

    status, status_name = -9, "DM_EFAILED"

    def __init__(self, message: str, report: Optional["Report"] = None) -> None:
        super().__init__(message)
        self.report = report

    @property
    def failures(self) -> List["ServiceOutcome"]:
        """The services that failed or were skipped (empty without a report)."""
        return self.report.failures if self.report is not None else []


class OutOfMemory(Error, MemoryError):
    """The library ran out of memory (``DM_ENOMEM``)."""

    status, status_name = -10, "DM_ENOMEM"


class InternalError(Error):
    """A bug in drillmaster (``DM_EINTERNAL``): please report it."""

    status, status_name = -11, "DM_EINTERNAL"


class NotReady(Exception):
    """Raised by drillmaster's ping wrapper: not ready yet, for this reason
    (the library quotes the last one if the service's timeout passes)."""


_BY_STATUS: Dict[int, Type[Error]] = {
    cls.status: cls
    for cls in (
        InvalidArgument,
        NotFound,
        Conflict,
        EngineUnreachable,
        EngineError,
        Timeout,
        HookFailed,
        Cancelled,
        ServicesFailed,
        OutOfMemory,
        InternalError,
    )
}


def _from_status(status: int, message: str) -> Error:
    """The exception for a C status code (used by drillmaster._core)."""
    cls = _BY_STATUS.get(status, InternalError)
    err = cls(message or cls.status_name)
    if cls is InternalError and status != InternalError.status:
        err.status = status
    return err
