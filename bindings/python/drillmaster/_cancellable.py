"""Running an operation so that Ctrl-C, SIGTERM and SIGHUP cancel it.

The command line and :func:`drillmaster.up` run every operation this way:
the operation runs on a worker thread while the calling (main) thread waits,
so the signals arrive there. The first one cancels the operation through the
C library and waits for it to wind down to a consistent state; a second one
ends the process at once. Off the main thread (Python allows signal handlers
only there) nothing is recorded and the operation simply runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, NoReturn, Optional, Tuple, TypeVar

from . import _signals

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["run", "resend"]

T = TypeVar("T")


def run(
    session: Session,
    fn: Callable[[], T],
    *,
    left_behind: str,
    interrupted: Optional[int] = None,
) -> Tuple[T, Optional[int]]:
    """Runs ``fn`` (an operation of ``session``) on a worker thread while
    this thread waits. Returns ``fn``'s value and the signal that cancelled
    it, if one did.

    ``left_behind`` ends the line printed when a second signal ends the
    process (what becomes of the containers then). ``interrupted``: a
    signal that already cancelled what this operation cleans up after, so
    that the next one ends the process at once instead of cancelling the
    clean-up too.
    """
    box: Dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        _signals.block_in_this_thread()  # and in the library's threads
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            box["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="drillmaster-operation", daemon=True)
    cancelled_by: Optional[int] = None
    with _signals.recorded() as received:
        worker.start()
        handled = 0
        while not done.wait(0.05):
            for signum in received[handled:]:
                handled += 1
                cancelled_by = _on_signal(session, signum, cancelled_by or interrupted, left_behind)
            if cancelled_by is not None:
                session.cancel()  # again each time: covers a pass that began meanwhile
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"], cancelled_by


def _on_signal(session: Session, signum: int, earlier: Optional[int], left_behind: str) -> int:
    """The first signal cancels the operation; a second one exits at once.
    Returns the signal that cancelled it."""
    if earlier is not None:
        say(f"\n{_signals.describe(signum)} again: exiting now; {left_behind}.")
        _flush_and_exit_now(_signals.exit_status(signum))
    session.cancel()
    again = "Ctrl-C again" if signum == signal.SIGINT else "a second signal"
    how = "" if signum == signal.SIGINT else f" ({_signals.describe(signum)})"
    say(f"\nCancelling{how}: waiting for the steps under way ({again} to quit now)...")
    return signum


def resend(signum: int) -> None:
    """Delivers ``signum`` again, once the operation it cancelled has been
    cleaned up after, to whatever handles it now (outside :func:`run`):
    Python's own handler makes SIGINT a KeyboardInterrupt right here, the
    default action of SIGTERM ends the process, a program's handler runs."""
    signal.raise_signal(signum)


def say(message: str) -> None:
    """A line on stderr, which may be a terminal that is gone (SIGHUP):
    the cancelling must go on regardless."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def _flush_and_exit_now(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
