"""``drillmaster.Watch``: a watch rule, as one entry of Compose's ``develop.watch``.

A service's ``watch`` list says what a saved file does to it: ``sync``
copies it into the running container, ``sync+restart`` then restarts the
container, ``rebuild`` rebuilds the image and restarts the service and its
dependants. The library checks the rest (the path exists, the target is
absolute, the service can take the action) and routes changed paths to the
rules (``_core.Watcher``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Sequence, Union

from . import _core, _definition_errors
from ._errors import ServiceDefinitionError

__all__ = ["Watch", "ACTIONS"]

#: The actions by name, as the C library numbers them.
ACTIONS = {
    "sync": _core.WATCH_SYNC,
    "sync+restart": _core.WATCH_SYNC_RESTART,
    "rebuild": _core.WATCH_REBUILD,
}


class WatchError(ServiceDefinitionError, ValueError):
    """A watch rule that cannot be one (an unknown action): a definition
    error, and a ValueError as a bad argument is."""


@dataclass(frozen=True)
class Watch:
    """A watch rule (Compose's ``develop.watch`` entry).

    ``path``: a directory or a file, relative to the spec's directory;
    ``action``: ``"sync"``, ``"sync+restart"`` or ``"rebuild"``; ``target``:
    the absolute path in the container that ``path`` is copied to (the sync
    actions; None for ``rebuild``); ``ignore``: ``.dockerignore`` patterns,
    relative to ``path``, of files the rule leaves alone. When rules
    overlap, a file triggers only the most specific one (the longest path).
    """

    path: Union[str, "os.PathLike[str]"]
    action: str = "sync"
    target: str | None = None
    ignore: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            choices = ", ".join(repr(name) for name in ACTIONS)
            error = WatchError(
                f"Watch {self.path!r}: action {self.action!r} is unknown; use one of {choices}"
            )
            # Made in a spec's class body, before the class can be checked:
            # ended as a class's definition error is (one line, status 2).
            if sys._getframe(2).f_globals.get("__name__") == "__main__":
                _definition_errors.end_the_script_on(error)
            raise error

    def arguments(self) -> tuple[str, int, str | None, list[str]]:
        """What the C setter takes: path, action number, target, ignore patterns."""
        return (os.fspath(self.path), ACTIONS[self.action], self.target, list(self.ignore))
