"""``.drillmaster-context``: the file a spec's Context is kept in.

Rules, each for a failure seen in practice:

- It is only ever *merged into*, never replaced by a smaller copy: each
  read-merge-write holds :func:`locked`, so two processes saving at once both
  keep their keys.
- It is written atomically: a temporary file in the same directory (mode
  0600), fsync, rename over the old one, fsync of the directory. A reader sees
  the old file or the new one, and a crash leaves one of them, complete.
- It is never deleted, except by ``stop --remove`` (:func:`discard`); even
  then a file drillmaster cannot read is moved aside, not deleted.
- Only a regular file is read or written: a symbolic link or anything else
  planted at its path is refused, never followed.
- A file that cannot be read as a JSON object is reported in one line naming
  the file and the problem (:class:`ContextFileError`), and left as it is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Union

from . import _lock_file
from ._errors import ContextFileError

__all__ = ["CONTEXT_FILE", "path", "read", "read_raw", "write", "locked", "discard"]

#: The file the context is saved in, in the spec's directory.
CONTEXT_FILE = ".drillmaster-context"

PathLike = Union[str, "os.PathLike[str]"]

# How long a save waits for another process's read-merge-write, which takes
# milliseconds; only a stopped or hung process holds it longer.
_LOCK_WAIT = 60.0

_DELETE_HINT = "fix or delete it, or run stop --remove, which moves it aside"


def path(directory: PathLike) -> Path:
    """Where the context of a spec in ``directory`` is saved."""
    return Path(directory) / CONTEXT_FILE


# ---- reading ---------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(target: Path, mode: int) -> ContextFileError:
    return ContextFileError(
        target,
        f"is {_kind(mode)}, not a regular file",
        "drillmaster keeps the context only in a regular file and never "
        "follows a link there: remove it",
    )


def read_raw(directory: PathLike) -> Optional[bytes]:
    """The file's bytes, or None when there is no file. Refuses a symbolic
    link (O_NOFOLLOW) and anything but a regular file (a FIFO would block:
    O_NONBLOCK)."""
    target = path(directory)
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(target, stat.S_IFLNK) from None
        raise ContextFileError(target, f"cannot be read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(target, mode)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    except OSError as exc:
        raise ContextFileError(target, f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def parse(target: Path, raw: bytes) -> Dict[str, Any]:
    """The JSON object in ``raw``; ContextFileError naming ``target`` and
    the problem when it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContextFileError(
            target,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            _DELETE_HINT,
        ) from None
    import json  # here and below: only when a file is there, a command's start-up stays short

    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ContextFileError(target, f"not valid JSON ({exc})", _DELETE_HINT) from None
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a number")
        if value is None:
            kind = "null"
        raise ContextFileError(
            target, f"holds {kind}, not a JSON object of saved values", _DELETE_HINT
        )
    return value


def read(directory: PathLike) -> Optional[Dict[str, Any]]:
    """The saved values, or None when there is no file."""
    raw = read_raw(directory)
    return None if raw is None else parse(path(directory), raw)


# ---- writing -----------------------------------------------------------------------


def _fsync_directory(directory: PathLike) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_replaceable(target: Path) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise _refuse(target, mode)


def write(directory: PathLike, values: Dict[str, Any]) -> None:
    """Replaces the file with ``values``, atomically and durably. Call it
    inside :func:`locked`, with values merged from what :func:`read` gave."""
    target = path(directory)
    _check_replaceable(target)
    import json
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=CONTEXT_FILE + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp: mode 0600
            json.dump(values, out, indent=2, sort_keys=True, default=str)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(target.parent)


# ---- the lock ------------------------------------------------------------------------
#
# A lock file of drillmaster's runtime directory (see _lock_file), not a
# flock on the spec directory itself: anyone who can read that directory
# could take such a lock and stall every save. It is named by the spec
# directory's device and inode, so every spelling of its path agrees.


@contextlib.contextmanager
def locked(directory: PathLike) -> Iterator[None]:
    """Holds the lock that makes one read-merge-write of ``directory``'s
    context file exclusive among this user's processes."""
    spec_dir = os.stat(directory)

    def too_long(holder: str) -> ContextFileError:
        return ContextFileError(
            path(directory),
            f"another drillmaster process{holder} has been saving it for {_LOCK_WAIT:.0f} s",
            "is that process stopped?",
        )

    name = f"context-{spec_dir.st_dev:x}-{spec_dir.st_ino:x}.lock"
    with _lock_file.held(name, wait=_LOCK_WAIT, too_long=too_long):
        yield


# ---- stop --remove ----------------------------------------------------------------------


def _aside_name(target: Path) -> Path:
    import datetime

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return target.with_name(f"{CONTEXT_FILE}.corrupt-{stamp}")


def _move_aside(target: Path) -> Path:
    base = _aside_name(target)
    for n in range(1, 1000):
        aside = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            os.link(target, aside, follow_symlinks=False)  # fails rather than overwrite
        except FileExistsError:
            continue
        except OSError:  # no hard links here: rename, having looked first
            if aside.exists():
                continue
            os.rename(target, aside)
            return aside
        os.unlink(target)
        return aside
    raise ContextFileError(target, "cannot find a free name to move it aside to")


def discard(directory: PathLike, before: Optional[bytes]) -> Optional[str]:
    """``stop --remove``: forgets the saved values, given the file's bytes as
    they were before the stop (:func:`read_raw`). Values saved since then by
    a start in another process are kept; a file that cannot be read as a
    JSON object is moved aside, never deleted. Returns a line to show the
    user, if there is one to show."""
    target = path(directory)
    with locked(directory):
        raw = read_raw(directory)
        if raw is None:
            return None
        try:
            now = parse(target, raw)
        except ContextFileError as exc:
            aside = _move_aside(target)
            _fsync_directory(target.parent)
            return f"{target}: {exc.problem}: moved aside to {aside.name}"
        if raw == before:
            _unlink(target)
            return None
        try:
            old = parse(target, before) if before is not None else {}
        except ContextFileError:
            old = {}
        kept = {k: v for k, v in now.items() if k not in old or old[k] != v}
        if not kept:
            _unlink(target)
        elif kept != now:
            write(directory, kept)
        return None


def _unlink(target: Path) -> None:
    target.unlink()
    _fsync_directory(target.parent)
