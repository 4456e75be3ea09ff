"""A lock among this user's processes: a file in the runtime directory.

Where it lives: in drillmaster's per-user runtime directory, the one the C
library keeps its group locks in (dm_runtime_directory: the library finds,
creates and checks it, so the rule lives once), never in a directory others
can write or read: anyone who can open a lock file could take it and stall
every process waiting for it.

The lock is a flock() on the file, which the kernel releases when its holder
dies. The holder writes its PID into the file (a waiter that gives up names
it) and unlinks the file before letting go, so none pile up; a waiter that
then gets the unlinked file notices and takes the new one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from . import _core
from ._errors import InvalidArgument

__all__ = ["runtime_directory", "held", "open_own_file"]


def runtime_directory() -> Path:
    """The library's per-user runtime directory, found, created and checked
    there; InvalidArgument (naming the path and what to do) when unsafe."""
    return Path(_core.runtime_directory())


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        pid = ""
    return f" (PID {pid})" if pid.isdigit() else ""


def _flock(fd: int, deadline: float, too_long: Callable[[str], Exception]) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise too_long(_holder(fd)) from None
            time.sleep(0.01)


def _same_file(fd: int, lock_path: Path) -> bool:
    try:
        there = os.stat(lock_path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino)


def open_own_file(path: Path, flags: int) -> int:
    """Opens a file drillmaster keeps in its runtime directory, never
    following a symbolic link planted there (the directory is the user's
    own, so this is the second line of defence); InvalidArgument names it."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as e:
        if e.errno != errno.ELOOP:
            raise
        raise InvalidArgument(
            f"{path} is a symbolic link, which drillmaster does not follow; remove it"
        ) from None


@contextlib.contextmanager
def held(name: str, *, wait: float, too_long: Callable[[str], Exception]) -> Iterator[None]:
    """Holds the lock file ``name`` of the runtime directory. Waits up to
    ``wait`` seconds for another process holding it, then raises
    ``too_long(holder)``, ``holder`` being " (PID <n>)" or ""."""
    lock_path = runtime_directory() / name
    deadline = time.monotonic() + wait
    while True:
        fd = open_own_file(lock_path, os.O_RDWR | os.O_CREAT)
        try:
            _flock(fd, deadline, too_long)
            if _same_file(fd, lock_path):
                break  # the lock file in place: ours now
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # its holder unlinked it meanwhile: take the one there now
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)
