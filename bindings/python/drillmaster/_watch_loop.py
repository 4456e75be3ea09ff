"""The ``watch`` command's loop: files saved on the host become syncs,
restarts and rebuilds of the services whose watch rules cover them.

What a changed path asks of which service is the library's rule
(``dm_watcher_route``), and so is carrying it out (``dm_group_watch_apply``,
which takes the group lock for the action only). This module only watches
the files, on watchfiles, and keeps the order: one action at a time, each
batch made of every path that changed since the last one, so a service has
at most one action running and one pending, and a save storm (a ``git
checkout``) becomes one action per service.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from typing import TYPE_CHECKING, Callable, Iterable, List, Optional, Sequence, Set, Tuple

from . import _cancellable
from ._errors import Error, InvalidArgument

if TYPE_CHECKING:
    from . import _core
    from ._session import Session
    from ._types import Report

__all__ = ["WatchLoop", "QUIET_MS"]

#: How long the files must stay quiet before a batch is routed: the time a
#: save takes to land as several events (write, rename, chmod), and no more,
#: since it delays every action.
QUIET_MS = 50


class WatchLoop:
    """Watches the rules of ``services`` (all the session's services when
    empty) and applies what each batch of changes asks, until a signal.
    ``say`` prints one line (the action's service, action, files, time)."""

    def __init__(
        self,
        session: Session,
        services: Sequence[str],
        *,
        timeout: float,
        stop_timeout: float,
        say: Callable[[str], None],
    ) -> None:
        self.session = session
        self.timeout = timeout
        self.stop_timeout = stop_timeout
        self.say = say
        self.group, self.watcher = session.watcher(services)
        self.client = session.client()
        self.roots: List[str] = self.watcher.roots()
        if not self.roots:
            raise InvalidArgument(
                "nothing to watch: no service has watch rules or a build context; give one "
                'watch = [drillmaster.Watch("src", action="sync", target="/app")]'
            )
        self._changes: queue.Queue[Set[str]] = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()

    # ---- watching ----

    def _watch_files(self) -> None:
        """The watcher thread: every batch of changed paths goes to the queue.

        On watchfiles' Rust backend (``RustNotify``, its documented lower
        level) rather than ``watchfiles.watch()``: the watches are in place
        once it is made, which the loop waits for before its first sync, so
        no save falls between the first sync's listing and the watching."""
        from watchfiles import Change, DefaultFilter
        from watchfiles._rust_notify import RustNotify

        keep = DefaultFilter(ignore_dirs=(".git", ".hg", ".svn"))
        try:
            # paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied
            with RustNotify(self.roots, False, False, 300, True, True) as notify:
                self._ready.set()
                while True:
                    # debounce_ms, step_ms (the quiet period), timeout_ms (0: none)
                    raw = notify.watch(1600, QUIET_MS, 0, self._stop)
                    if raw == "stop":
                        return
                    if isinstance(raw, set):
                        paths = {path for change, path in raw if keep(Change(change), path)}
                        if paths:
                            self._changes.put(paths)
        except Exception as exc:  # noqa: BLE001 - reported, the loop ends on it
            self._changes.put({_FAILED + str(exc)})
        finally:
            self._ready.set()

    def _next_paths(self) -> Set[str]:
        """Waits for changes, then takes every batch queued meanwhile."""
        while True:
            with contextlib.suppress(queue.Empty):
                paths = self._changes.get(timeout=0.5)
                break
        self._drain(paths)
        if _settle([p for p in paths if os.path.isdir(p)]):
            self._drain(paths)  # what came while the new directories filled
        failed = [p for p in paths if p.startswith(_FAILED)]
        if failed:
            raise Error(f"watching the files failed: {failed[0][len(_FAILED) :]}")
        return paths

    def _drain(self, paths: Set[str]) -> None:
        while True:
            try:
                paths |= self._changes.get_nowait()
            except queue.Empty:
                return

    # ---- the loop ----

    def run(self) -> Optional[int]:
        """Watches until a signal cancels an action (returns that signal) or
        Ctrl-C / SIGTERM arrive between actions (raised as usual)."""
        thread = threading.Thread(target=self._watch_files, name="drillmaster-watch", daemon=True)
        thread.start()
        self._ready.wait()
        try:
            self.say(f"watching {', '.join(_shown(r) for r in self.roots)} (Ctrl-C to stop)")
            signum = self._apply_all(self.watcher.initial(), initial=True)
            while signum is None:
                signum = self._apply_all(self.watcher.route(sorted(self._next_paths())))
            return signum
        finally:
            self._stop.set()

    def _apply_all(self, batch: _core.WatchBatch, *, initial: bool = False) -> Optional[int]:
        for path, reason in batch.skipped():
            self.say(f"skipped {_shown(path)}: {reason}")
        for index, (service, action, files) in enumerate(batch.entries()):
            if initial and not files:
                continue
            signum = self._apply(batch, index, service, action, files)
            if signum is not None:
                return signum
        return None

    def _apply(
        self,
        batch: _core.WatchBatch,
        index: int,
        service: str,
        action: int,
        files: List[Tuple[str, str, bool]],
    ) -> Optional[int]:
        from . import _core

        name = _core.watch_action_name(action)
        what = _files_text(files)
        began = time.monotonic()
        try:
            report, cancelled_by = _cancellable.run(
                self.session,
                lambda: self.session.watch_apply(
                    self.group,
                    self.client,
                    batch,
                    index,
                    timeout=self.timeout,
                    stop_timeout=self.stop_timeout,
                ),
                left_behind="the services keep running",
            )
        except Error as error:
            took = time.monotonic() - began
            self.say(f"{service}: {name} of {what} failed after {took:.2f} s: {error}")
            return None
        took = time.monotonic() - began
        if cancelled_by is not None:
            return cancelled_by
        self.say(_action_line(report, service, name, what, took))
        return None


_FAILED = "\0failed:"


def _settle(directories: List[str], limit: float = 10.0) -> bool:
    """Waits until the changed directories stop changing (their files and
    sizes the same over a quiet period); True when there were any. A new
    directory is watched only once the watcher saw it, and files written
    into it before that give no event: a directory stands for its files
    (the routing lists them), so they must be listed once it is complete,
    not while a checkout is still filling it."""
    if not directories:
        return False
    deadline = time.monotonic() + limit
    previous = None
    while time.monotonic() < deadline:
        snapshot = [_listing(d) for d in directories]
        if snapshot == previous:
            break
        previous = snapshot
        time.sleep(QUIET_MS / 1000)
    return True


def _listing(directory: str) -> List[Tuple[str, int, int]]:
    found = []
    for folder, _, names in os.walk(directory):
        for name in names:
            with contextlib.suppress(OSError):
                info = os.lstat(os.path.join(folder, name))
                found.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns))
    return sorted(found)


def _action_line(report: Report, service: str, name: str, what: str, took: float) -> str:
    """One line for an action: what it did, or why it failed (the old
    container keeps running then: a failed build or copy changes nothing)."""
    failed = [o for o in report.services if o.outcome.is_failure]
    if failed:
        reasons = "; ".join(f"{o.service}: {o.reason}" for o in failed if o.reason)
        return (
            f"{service}: {name} of {what} failed after {took:.2f} s: {reasons or 'see above'}; "
            "the running container is left as it was"
        )
    notes = [o.reason for o in report.services if o.service == service and o.reason]
    tail = f" ({'; '.join(notes)})" if notes else ""
    others = [o.service for o in report.services if o.service != service and o.outcome.is_success]
    also = f", restarted {', '.join(others)}" if others else ""
    return f"{service}: {name} of {what} in {took:.2f} s{also}{tail}"


def _files_text(files: Iterable[Tuple[str, str, bool]]) -> str:
    listed = [_shown(host) for host, _, _ in files]
    if not listed:
        return "its files"
    if len(listed) <= 3:
        return ", ".join(listed)
    return f"{len(listed)} files"


def _shown(path: str) -> str:
    """A path as the user knows it: relative to where they are, if inside."""
    with contextlib.suppress(ValueError):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            return relative
    return path
