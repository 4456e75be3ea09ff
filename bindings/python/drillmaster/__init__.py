"""drillmaster: start graphs of dependent Docker services, with hooks in Python.

A spec is a Python script::

    import drillmaster

    class Database(drillmaster.Service):
        name = "appdb"
        image = "postgres:16"
        ports = {5433: 5433}

    if __name__ == "__main__":
        drillmaster.main()

``drillmaster.main()`` gives it a command line (``start``, ``stop``,
``reload``, ``status``, ``logs``); ``drillmaster.up(Database, ...)`` starts
the services from code (a program, a test suite: see also
``drillmaster.testing``) and removes them after. The work is done by
libdrillmaster, a C library; this package is a thin layer over its C API.

Importing the package changes nothing in the process (no signal handler, no
``sys.excepthook``, no atexit handler): ``main()`` installs what a command
needs for the command's duration, and ``up()`` for each operation's.
"""

from __future__ import annotations

# The build tree keeps the compiled _core apart from these sources: with both
# directories on sys.path, the package spans them (see tests/python/conftest.py).
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from typing import TYPE_CHECKING, Any  # noqa: E402

from . import _core  # noqa: E402
from ._context import Context, ContextDict  # noqa: E402
from ._environment import Environment  # noqa: E402
from ._errors import (  # noqa: E402
    Cancelled,
    Conflict,
    ContextFileError,
    EngineError,
    EngineUnreachable,
    Error,
    HookFailed,
    InternalError,
    InvalidArgument,
    NotFound,
    OutOfMemory,
    ServiceDefinitionError,
    ServiceLoadError,
    ServicesFailed,
    Timeout,
)
from ._group import group_name, on_reload_service, on_start_services, on_stop_services  # noqa: E402
from ._healthcheck import Healthcheck  # noqa: E402
from ._service import Service, services  # noqa: E402
from ._session import Session  # noqa: E402
from ._types import ExecResult, Outcome, Phase, Report, ServiceOutcome  # noqa: E402
from ._up import up  # noqa: E402
from ._watch import Watch  # noqa: E402

if TYPE_CHECKING:
    from ._cli import main

#: The version of the loaded libdrillmaster (the package's version too).
__version__: str = _core.version()


def __getattr__(name: str) -> Any:
    """``main``, imported on first use: the command line and click are only
    loaded by a spec that runs it, not by code that only imports the package
    (a test suite, a program calling up())."""
    if name == "main":
        from ._cli import main

        globals()["main"] = main
        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Service",
    "services",
    "Healthcheck",
    "main",
    "up",
    "Environment",
    "Context",
    "ContextDict",
    "group_name",
    "on_start_services",
    "on_stop_services",
    "on_reload_service",
    "Session",
    "Report",
    "ServiceOutcome",
    "Outcome",
    "Phase",
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
    "ExecResult",
    "Watch",
    "__version__",
]
