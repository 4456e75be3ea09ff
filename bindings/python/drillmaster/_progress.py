"""Live progress of an operation, and the summary that closes it.

On a terminal each service has one line that is rewritten in place as its
phase changes; anything else printed meanwhile (a hook's output, ``-v``
detail) appears above those lines. Elsewhere (a pipe, a CI log) every change is
a plain line of its own. Events arrive on the library's worker threads, one at
a time; the lock only guards against hooks printing concurrently.
"""

from __future__ import annotations

import io
import sys
import threading
from typing import Dict, List, Optional, TextIO, Tuple

from . import _core
from ._types import Event, Outcome, Phase, Report, ServiceOutcome

__all__ = ["Progress", "print_summary"]

_COLORS = {
    Phase.RUNNING: "green",
    Phase.STOPPED: "green",
    Phase.REMOVED: "green",
    Phase.FAILED: "red",
    Phase.SKIPPED: "yellow",
}
_OUTCOME_COLORS = {
    Outcome.FAILED: "red",
    Outcome.SKIPPED: "yellow",
    Outcome.CANCELLED: "yellow",
    Outcome.EXCLUDED: "bright_black",
}
_ANSI = {"green": "32", "red": "31", "yellow": "33", "bright_black": "90", "bold": "1"}


def _style(text: str, color: Optional[str], enabled: bool) -> str:
    if not enabled or not color:
        return text
    return f"\x1b[{_ANSI[color]}m{text}\x1b[0m"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def describe_engine(client: "_core.Client") -> str:
    """The engine a client talks to: address, transport and API version."""
    return f"{client.host} ({client.transport}), API {client.api_version}"


class Progress:
    """An ``on_event`` callback that renders progress to ``stream``.

    ``live`` (default: ``stream`` is a terminal) rewrites one line per service
    in place; ``verbose`` also shows engine-level detail (build and pull
    output); ``quiet`` shows nothing.
    """

    def __init__(
        self,
        services: List[str],
        *,
        stream: Optional[TextIO] = None,
        verbose: bool = False,
        quiet: bool = False,
        live: Optional[bool] = None,
    ) -> None:
        self.stream: TextIO = stream if stream is not None else sys.stdout
        isatty = getattr(self.stream, "isatty", lambda: False)()
        self.live = (isatty if live is None else live) and not quiet
        self.color = isatty
        self.verbose = verbose
        self.quiet = quiet
        self.width = max([len(n) for n in services] + [len("network")])
        self.lines: Dict[str, str] = {}  # service -> rendered line
        # Lines are drawn in definition order, the network last, whatever
        # order the events come in.
        self.order = {name: i for i, name in enumerate(services)}
        self.phase_text: Dict[str, str] = {}  # service -> its phase, without detail
        self.drawn = 0
        self.first_seen: Dict[str, float] = {}
        self.lock = threading.RLock()
        self._saved: Optional[Tuple[TextIO, TextIO]] = None

    # ---- events ----

    def __call__(self, event: Event) -> None:
        if self.quiet:
            return
        phase = Phase(event.phase) if event.phase in Phase._value2member_map_ else None
        name = event.service or "network"
        with self.lock:
            if phase is Phase.DETAIL:
                self._detail(name, event.message)
                return
            self.first_seen.setdefault(name, event.timestamp)
            label = phase.label if phase is not None else str(event.phase)
            text = label
            if phase is Phase.RUNNING and event.service:
                text += f" ({event.timestamp - self.first_seen[name]:.1f}s)"
            message = _first_line(event.message)
            if message and phase is not Phase.RUNNING:
                text += f": {message}"
            text = _style(text, _COLORS.get(phase) if phase else None, self.color)
            if self.live:
                self.phase_text[name] = text
                self._set(name, text)
            else:
                self._write(f"{name:<{self.width}}  {text}\n")

    def _detail(self, name: str, message: str) -> None:
        """Engine-level detail: a line of its own with ``-v``, else (live)
        beside the service's phase, until the next phase replaces it."""
        if self.verbose:
            self._above(f"{name:<{self.width}} | {message}")
        elif self.live and name in self.phase_text:
            self._set(name, f"{self.phase_text[name]}  {_first_line(message)}")

    def engine(self, client: "_core.Client") -> None:
        """Says which engine the command talks to, and how (``-v``)."""
        with self.lock:
            self._above(f"engine: {describe_engine(client)}")
            self._above(f"engine found by {client.found_by}")

    # ---- live block ----

    def _fit(self, text: str) -> str:
        import shutil  # its imports (bz2, lzma...) only for a live display

        columns = shutil.get_terminal_size((100, 24)).columns
        plain_len = len(text) - (text.count("\x1b[") * 4 if self.color else 0)
        if plain_len <= columns - 1:
            return text
        return text[: columns - 2] + "…" + ("\x1b[0m" if self.color else "")

    def _set(self, name: str, text: str) -> None:
        self.lines[name] = text
        self._redraw()

    def _redraw(self) -> None:
        out = []
        if self.drawn:
            out.append(f"\x1b[{self.drawn}F")
        for name in sorted(self.lines, key=lambda n: self.order.get(n, len(self.order))):
            text = self.lines[name]
            out.append("\x1b[2K" + self._fit(f"{name:<{self.width}}  {text}") + "\n")
        out.append("\x1b[J")
        self.drawn = len(self.lines)
        self._write("".join(out))

    def _above(self, text: str) -> None:
        """Prints ``text`` (one or more lines) above the live block."""
        if not self.live:
            self._write(text if text.endswith("\n") else text + "\n")
            return
        prefix = f"\x1b[{self.drawn}F\x1b[J" if self.drawn else ""
        self._write(prefix + (text if text.endswith("\n") else text + "\n"))
        self.drawn = 0
        self._redraw()

    def _write(self, text: str) -> None:
        stream = self._saved[0] if self._saved else self.stream
        stream.write(text)
        stream.flush()

    # ---- output of hooks while the block is shown ----

    def __enter__(self) -> "Progress":
        """While live, routes sys.stdout and sys.stderr through the display so
        what hooks print appears above the block instead of breaking it."""
        if self.live:
            self._saved = (sys.stdout, sys.stderr)
            proxy = _LineProxy(self)
            sys.stdout = proxy
            if getattr(sys.stderr, "isatty", lambda: False)():
                sys.stderr = proxy
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved:
            proxy = sys.stdout
            sys.stdout, sys.stderr = self._saved
            if isinstance(proxy, _LineProxy):
                proxy.flush_partial()
            self._saved = None


class _LineProxy(io.TextIOBase):
    """A text stream that hands complete lines to Progress._above()."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.partial = ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        with self.progress.lock:
            self.partial += text
            if "\n" in self.partial:
                complete, self.partial = self.partial.rsplit("\n", 1)
                self.progress._above(complete + "\n")
        return len(text)

    def flush_partial(self) -> None:
        if self.partial:
            self.progress._above(self.partial)
            self.partial = ""


# ---- summary ----

_UNDONE_WORDS = {"start": "not started", "stop": "not stopped", "reload": "not restarted"}


def print_summary(report: Report, *, stream: Optional[TextIO] = None, quiet: bool = False) -> None:
    """The closing summary: one line per service with its outcome, then each
    failure's full cause. ``quiet`` prints only the failures."""
    stream = stream if stream is not None else sys.stdout
    color = getattr(stream, "isatty", lambda: False)()
    shown = [s for s in report.services if s.outcome is not Outcome.EXCLUDED]
    out = [] if quiet else _outcome_lines(shown, color)
    out += _failure_causes(report, quiet, color)
    out += _closing_lines(report, shown, quiet)
    out += report.notes
    if out:
        stream.write("\n".join(out) + "\n")
        stream.flush()


def _outcome_lines(shown: List[ServiceOutcome], color: bool) -> List[str]:
    """One line per service: its outcome, and why or how long."""
    width = max([len(s.service) for s in shown] + [5])
    out = []
    for s in shown:
        label = _style(f"{s.outcome.label:<15}", _OUTCOME_COLORS.get(s.outcome), color)
        detail = ""
        # A success may carry a reason too: a pre_stop that failed.
        if s.outcome.is_failure or s.outcome is Outcome.CANCELLED or s.reason:
            detail = _first_line(s.reason)
        elif s.seconds >= 0.05:
            detail = f"{s.seconds:.1f}s"
        out.append(f"  {s.service:<{width}}  {label} {detail}".rstrip())
    return out


def _failure_causes(report: Report, quiet: bool, color: bool) -> List[str]:
    """A cause longer than the table's line (a traceback, log lines) in
    full; with ``quiet``, every cause (there is no table)."""
    out = []
    for s in report.services:
        failed = s.outcome is Outcome.FAILED
        # A success's reason (a pre_stop that failed) in full too.
        said = failed or (s.outcome.is_success and bool(s.reason))
        if said and (quiet or len(s.reason.strip().splitlines()) > 1):
            out.append(_style(f"{s.service} failed:" if failed else f"{s.service}:", "red", color))
            out.extend(f"    {line}" for line in (s.reason or "(no reason given)").splitlines())
    return out


def _closing_lines(report: Report, shown: List[ServiceOutcome], quiet: bool) -> List[str]:
    """How the operation ended, with the count of each outcome, and what a
    cancelled one left undone."""
    counts: Dict[str, int] = {}
    for s in shown:
        counts[s.outcome.label] = counts.get(s.outcome.label, 0) + 1
    tally = ", ".join(f"{n} {label}" for label, n in counts.items())
    if report.cancelled:
        out = [f"{report.operation} cancelled after {report.seconds:.1f}s: {tally}"]
        if report.left_undone:
            words = _UNDONE_WORDS.get(report.operation, "not done")
            out.append(
                f"{words}: {', '.join(report.left_undone)} (run {report.operation} again to finish)"
            )
        return out
    if report.failures:
        return [f"{report.operation} failed after {report.seconds:.1f}s: {tally}"]
    return [] if quiet else [f"{report.operation}: {tally} in {report.seconds:.1f}s"]
