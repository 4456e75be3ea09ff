"""The signals that cancel a command: Ctrl-C (SIGINT), SIGTERM and SIGHUP.

CI runners and supervisors stop a job with SIGTERM, a closed terminal sends
SIGHUP: both get what the first Ctrl-C gets, a cancelled operation that winds
down to a consistent state, and exit status 128 + the signal's number (130,
143, 129). The handlers are installed by ``drillmaster.main()`` for the
command's duration only; importing drillmaster changes nothing in a process.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from types import FrameType
from typing import Any, Dict, Iterator, List, Optional, Tuple

__all__ = ["Interrupted", "handled", "recorded", "block_in_this_thread", "exit_status", "describe"]

#: SIGINT keeps Python's own handler (KeyboardInterrupt); these two get ours.
_TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_CANCELLING = (signal.SIGINT, *_TERMINATING)

#: What signal.signal() takes and gives back.
Handler = Any


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived: raised in the main thread, like
    KeyboardInterrupt for SIGINT (a BaseException, so that no ``except
    Exception`` in a hook or in click swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum: int, frame: Optional[FrameType]) -> None:
    raise Interrupted(signum)


def _install(signums: Tuple[int, ...], handler: Handler) -> Dict[int, Handler]:
    """Installs ``handler`` for each signal the process does not ignore, and
    returns what was there. An ignored signal stays ignored: ``nohup
    ./spec.py start`` (SIGHUP ignored) must survive the terminal closing."""
    previous: Dict[int, Handler] = {}
    for signum in signums:
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue
        previous[signum] = signal.signal(signum, handler)
    return previous


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Makes SIGTERM and SIGHUP raise Interrupted in the main thread for the
    duration; the handlers that were there before are put back after. A
    no-op off the main thread (Python allows handlers only there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = _install(_TERMINATING, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def recorded() -> Iterator[List[int]]:
    """While an operation runs: Ctrl-C, SIGTERM and SIGHUP are only appended
    to the list this yields, for the waiting loop to act on. Raising from a
    handler could land anywhere in that loop, even in the middle of handling
    the first signal; a list cannot be half-updated. A no-op off the main
    thread."""
    received: List[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def record(signum: int, frame: Optional[FrameType]) -> None:
        received.append(signum)

    previous = _install(_CANCELLING, record)
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def block_in_this_thread() -> None:
    """Blocks the cancelling signals in the calling thread and so in every
    thread it starts (the C library's workers), so they reach the main
    thread, which cancels, and never interrupt an engine call."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, set(_CANCELLING))


def exit_status(signum: int) -> int:
    """What a shell reports for a process the signal ended: 128 + its number."""
    return 128 + int(signum)


def describe(signum: int) -> str:
    """ "Ctrl-C" for SIGINT, else the signal's name."""
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
