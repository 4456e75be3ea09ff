"""A definition error at import ends the script cleanly, with exit status 2.

``class Application(drillmaster.Service): ports = [80]`` raises
ServiceDefinitionError while the spec is being imported, before main() runs.
Uncaught, Python would print a traceback and exit with 1; this hook prints the
message and where the class is, and exits with 2, like any usage error.
Everything else goes to the hook that was there before.
"""

from __future__ import annotations

import os
import sys
import traceback
from types import TracebackType
from typing import Optional, Type

from ._errors import ServiceDefinitionError

_HERE = os.path.dirname(os.path.abspath(__file__))


def _location(tb: Optional[TracebackType]) -> str:
    where = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if os.path.dirname(os.path.abspath(filename)) != _HERE:
            where = f"{filename}:{lineno}"
    return where


def install() -> None:
    """Chains the hook in front of the current sys.excepthook (once)."""
    previous = sys.excepthook
    if getattr(previous, "_drillmaster", False):
        return

    def hook(kind: Type[BaseException], value: BaseException, tb: Optional[TracebackType]) -> None:
        interactive = hasattr(sys, "ps1") or sys.flags.interactive
        if not issubclass(kind, ServiceDefinitionError) or interactive:
            previous(kind, value, tb)
            return
        where = _location(tb)
        sys.stderr.write(f"Error: {value}\n" + (f"  (at {where})\n" if where else ""))
        sys.stderr.flush()
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001
            pass
        os._exit(2)

    hook._drillmaster = True  # type: ignore[attr-defined]
    sys.excepthook = hook
