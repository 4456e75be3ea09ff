"""Leaving the process while a hook may still run.

The C library runs each hook on a thread of its own and stops waiting for it
at the service's timeout or on cancellation; the hook goes on running Python
code. Finalizing the interpreter under such a thread crashes it, so while a
hook runs the process ends with os._exit() after flushing the standard
streams (atexit handlers do not run then).

Importing drillmaster installs nothing: ``main()`` runs the command inside
:func:`guarded`, which ends the process that way when the command exits while
a hook runs, and registers an atexit handler only when ``main()`` returns
(``standalone_mode=False``) with a hook still running; so does
:func:`drillmaster.up` after each operation.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import time
from typing import TYPE_CHECKING, NoReturn

from . import _core

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["exit", "guarded", "guard_if_hooks_run"]


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed or broken: nothing to save
            stream.flush()


def exit(code: int | str | None) -> NoReturn:
    """sys.exit(code), or os._exit() with that status while an abandoned
    hook still runs."""
    if _core.hooks_running():
        if isinstance(code, str):  # as sys.exit() does with a message
            sys.stderr.write(code + "\n")
            code = 1
        _flush()
        os._exit(code or 0)
    sys.exit(code)


def _at_exit(grace: float = 1.0) -> None:
    deadline = time.monotonic() + grace
    while _core.hooks_running() and time.monotonic() < deadline:
        time.sleep(0.02)
    if _core.hooks_running():
        sys.stderr.write(
            "drillmaster: a hook is still running after its service's timeout; "
            "exiting without cleanup\n"
        )
        _flush()
        os._exit(1)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Around a command: a SystemExit leaving it goes through :func:`exit`;
    if it ends another way (``main(standalone_mode=False)`` returns, an
    exception) while a hook still runs, the interpreter's exit is guarded
    from then on by an atexit handler."""
    try:
        yield
    except SystemExit as leaving:
        exit(leaving.code)
    finally:
        guard_if_hooks_run()


def guard_if_hooks_run() -> None:
    """After an operation that returns to the program (:func:`drillmaster.up`,
    a command with ``standalone_mode=False``): if a hook it abandoned still
    runs, the interpreter's exit is guarded from then on by an atexit
    handler."""
    if _core.hooks_running():
        _guard_the_interpreter_exit()


def _guard_the_interpreter_exit() -> None:
    global _registered
    if not _registered:
        atexit.register(_at_exit)
        _registered = True


_registered = False
