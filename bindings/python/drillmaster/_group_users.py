"""The processes that use a shared group, and which of them is the last.

``drillmaster.up(group=..., shared=True)`` lets several processes (the
workers of one pytest-xdist run, CI jobs on one machine) use one group: each
joins it before its start, and leaves it when it is done; the one that
leaves it empty stops and removes the group, while still holding the lock,
so that a process joining meanwhile waits and then starts the group anew.

The users are kept in ``<group>.users`` in drillmaster's runtime directory
(private to the user, where the library keeps its group locks), changed only
under the lock file ``<group>.users.lock`` beside it. Each entry is a PID and
the process's start time, so a PID the kernel has given to another process
since is not taken for a user. A user that died without leaving (a crashed
worker) is dropped by the next process that joins or leaves; if every user
died, the reaper of their start removes the group, and only the small users
file, named after the group, is left in the runtime directory.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from . import _lock_file
from ._errors import Timeout

__all__ = ["GroupUsers"]

User = Dict[str, int]


def _started(pid: int) -> Optional[int]:
    """When the process ``pid`` started (clock ticks since boot, from
    /proc), 0 where there is no /proc, None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[19])  # starttime, the 22nd field of the whole line
    except FileNotFoundError:
        return None
    except (OSError, IndexError, ValueError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # another user's process: it exists
    return 0


def _alive(user: User) -> bool:
    started = _started(user["pid"])
    return started is not None and started == user.get("started", started)


class GroupUsers:
    """The users of the shared group ``group``; ``wait``: how long to wait
    for another process that holds the lock (a stop by the last user)."""

    def __init__(self, group: str, *, wait: float) -> None:
        self.group = group
        self.wait = wait
        self.me: User = {"pid": os.getpid(), "started": _started(os.getpid()) or 0}

    @property
    def path(self) -> str:
        return str(_lock_file.runtime_directory() / f"{self.group}.users")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[List[User]]:
        """The live users, under the lock; what the body leaves in the list
        is written back, whatever becomes of the body (the file is removed
        when it is empty)."""

        def too_long(holder: str) -> Timeout:
            return Timeout(
                f"group '{self.group}': another process{holder} has held the lock of its "
                f"users ({self.path}.lock) for {self.wait:.0f} s; is it stopped?"
            )

        with _lock_file.held(f"{self.group}.users.lock", wait=self.wait, too_long=too_long):
            users = [u for u in self._read() if _alive(u)]
            try:
                yield users
            finally:
                self._write(users)

    def _read(self) -> List[User]:
        import json  # here and in _write: only for up(), not for the command line

        try:
            fd = _lock_file.open_own_file(Path(self.path), os.O_RDONLY)
            with open(fd, encoding="utf-8") as f:
                found = json.load(f)
        except FileNotFoundError:
            return []
        except ValueError:
            return []  # cut short by a crash: the live users join again
        if not isinstance(found, list):
            return []
        return [u for u in found if isinstance(u, dict) and isinstance(u.get("pid"), int)]

    def _write(self, users: List[User]) -> None:
        if not users:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            return
        directory = os.path.dirname(self.path)
        import json
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f"{self.group}.users.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(users, out)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def join(self) -> None:
        """Counts this process as a user of the group (once more)."""
        with self._locked() as users:
            users.append(self.me)

    @contextlib.contextmanager
    def leaving(self) -> Iterator[bool]:
        """Takes this process off the users; yields whether none is left,
        holding the lock until the body (the last user's stop) is done."""
        with self._locked() as users:
            if self.me in users:
                users.remove(self.me)
            yield not users
