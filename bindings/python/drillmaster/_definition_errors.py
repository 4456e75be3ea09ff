"""A definition error in a spec run as a script ends it cleanly, with exit status 2.

``class Application(drillmaster.Service): ports = [80]`` raises
ServiceDefinitionError while the spec's ``class`` statement runs, before
``main()`` can do anything. Uncaught, Python would print a traceback and exit
with 1; the spec's author gets one line naming the class and the attribute,
and where the class is, and exit status 2, like any usage error.

Nothing is installed when drillmaster is imported. ``Service.__init_subclass__``
calls :func:`end_the_script_on` only when the check of a class of the
``__main__`` module (a spec run as ``./spec.py``) failed, just before the
error propagates, and not in an interactive session (``python -i``, a REPL),
which shows the traceback and goes on.
The hook it chains in front of ``sys.excepthook`` acts on that one exception
object, if it reaches the top uncaught; anything else, and that error once code
catches it, is left to the hook that was there before.

The other ways considered: ``main()`` runs too late; raising SystemExit from
the class statement would make the error impossible to catch (a script may
try a definition and fall back); a hook installed at import would change
every process that imports drillmaster, a test suite or an application.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING

from ._errors import ServiceDefinitionError

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["end_the_script_on"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def _interactive() -> bool:
    return hasattr(sys, "ps1") or bool(sys.flags.interactive)


def _location(tb: TracebackType | None) -> str:
    """The last frame outside drillmaster: the class statement."""
    import traceback  # only for a definition error: importing the package stays short

    where = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        # A frame of the package's own: by its file, or by its module for
        # code Python made for it (a dataclass's __init__, file "<string>").
        ours = frame.f_globals.get("__name__", "").startswith("drillmaster.")
        if not ours and os.path.dirname(os.path.abspath(filename)) != _HERE:
            where = f"{filename}:{lineno}"
    return where


def end_the_script_on(error: ServiceDefinitionError) -> None:
    """If ``error`` reaches the top of a script uncaught, it is printed as
    one line (and where) and the process exits with status 2."""
    if _interactive():
        return
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if value is not error or _interactive():
            previous(kind, value, tb)
            return
        where = _location(tb)
        sys.stderr.write(f"Error: {value}\n" + (f"  (at {where})\n" if where else ""))
        for stream in (sys.stderr, sys.stdout):
            with contextlib.suppress(Exception):
                stream.flush()
        # sys.exit() cannot change the status from here: the interpreter
        # exits with 1 after an uncaught exception whatever the hook does.
        os._exit(2)

    sys.excepthook = hook
