"""Leaving the process while a hook may still run.

The C library runs each hook on a thread of its own and stops waiting for it
at the service's timeout or on cancellation; the hook goes on running Python
code. Finalizing the interpreter under such a thread crashes it, so while a
hook runs the process ends with os._exit() after flushing the standard
streams (atexit handlers do not run then).
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from typing import NoReturn

from . import _core


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - closed or broken: nothing to save
            pass


def exit(code: int) -> NoReturn:  # noqa: A001 - the module's one job
    """sys.exit(code), or os._exit(code) while an abandoned hook still runs."""
    if _core.hooks_running():
        _flush()
        os._exit(code)
    sys.exit(code)


def _at_exit(grace: float = 1.0) -> None:
    deadline = time.monotonic() + grace
    while _core.hooks_running() and time.monotonic() < deadline:
        time.sleep(0.02)
    if _core.hooks_running():
        sys.stderr.write("drillmaster: a hook is still running after its service's timeout; "
                         "exiting without cleanup\n")
        _flush()
        os._exit(1)


atexit.register(_at_exit)
