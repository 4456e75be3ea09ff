"""``drillmaster.Context``: values shared by the services of a spec.

A hook stores a value (``Context["db_user"] = "app"``) and the ``env`` of any
service started afterwards can use it as a placeholder
(``env = {"DB_USER": "{db_user}"}``), with ``str.format``'s rules (see
``_placeholders``: ``{port:d}``, ``{{`` for a literal brace). The context is saved as JSON in
``.drillmaster-context`` beside the spec, so a later ``start`` (when the
services that produced the values are already running and their hooks do not
run again) still fills the placeholders; ``stop --remove`` removes the file.

Several processes may use one spec at once (two terminals, CI jobs), so the
file is never simply overwritten with what one process holds: a
ContextDict remembers which keys this process set, changed or deleted since
its last save, and :meth:`~ContextDict.save` merges exactly those into what
the file holds then (see ``_context_file`` for how the file is written).
During an operation drillmaster refreshes the Context from the file before
each hook and saves it after each one, while the group's lock is held, so a
value an init hook stored is on disk before its service counts as ready.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Dict, List, Mapping, Set, Tuple

from . import _context_file, _placeholders
from ._context_file import CONTEXT_FILE, PathLike
from ._placeholders import PlaceholderError

__all__ = ["ContextDict", "Context", "CONTEXT_FILE", "PlaceholderError"]

_MISSING = object()


class ContextDict(Dict[str, Any]):
    """A dict whose values fill ``{key}`` placeholders in services' ``env``.

    Keys are strings; values should be JSON-serialisable (others are saved as
    their ``str()``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.RLock()
        self._changed: Set[str] = set(self)  # set or changed since the last save
        self._deleted: Set[str] = set()  # deleted since the last save

    @staticmethod
    def has_placeholders(text: str) -> bool:
        """Whether filling would change ``text`` (placeholders or doubled
        braces; a value that is not a format string is kept as it is)."""
        return _placeholders.is_template(text)

    @staticmethod
    def placeholders(text: str) -> List[str]:
        """The keys ``text`` has placeholders for, in order, each once.
        Raises PlaceholderError for a positional placeholder."""
        found: List[str] = []
        for p in _placeholders.placeholders(text):
            if p.key not in found:
                found.append(p.key)
        return found

    def missing(self, text: str) -> List[str]:
        """The placeholders of ``text`` that have no value, in order."""
        return [key for key in self.placeholders(text) if key not in self]

    def interpolate(self, text: str) -> str:
        """``text`` filled with str.format's rules from this dict. Raises
        PlaceholderError naming the first placeholder that cannot be filled."""
        with self._lock:
            return _placeholders.fill(text, self)

    def interpolate_env(self, env: Mapping[str, str]) -> Dict[str, str]:
        """Every value of ``env`` filled; PlaceholderError names the variable
        and the placeholder when one cannot be."""
        filled: Dict[str, str] = {}
        for name, value in env.items():
            try:
                filled[name] = self.interpolate(value)
            except PlaceholderError as exc:
                raise type(exc)(f"env {name}: {exc}") from None
        return filled

    # ---- what this process changed ----
    #
    # Every way of changing a dict is overridden, so that each change is
    # recorded under the lock: hooks run on several threads at once.
    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)
            self._changed.add(key)
            self._deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        with self._lock:
            super().__delitem__(key)
            self._changed.discard(key)
            self._deleted.add(key)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        with self._lock:
            for key, value in dict(*args, **kwargs).items():
                self[key] = value

    def __ior__(self, other: Any) -> "ContextDict":  # type: ignore[override]
        self.update(other)
        return self

    def setdefault(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key not in self:
                self[key] = default
            return self[key]

    def pop(self, key: str, default: Any = _MISSING) -> Any:  # type: ignore[override]
        with self._lock:
            if key in self:
                value = self[key]
                del self[key]
                return value
            if default is _MISSING:
                raise KeyError(key)
            return default

    def popitem(self) -> Tuple[str, Any]:
        with self._lock:
            key, value = super().popitem()
            self._changed.discard(key)
            self._deleted.add(key)
            return key, value

    def clear(self) -> None:
        with self._lock:
            for key in list(self):
                del self[key]

    def _take(self, saved: Mapping[str, Any]) -> None:
        """Takes the saved values of keys this process has not changed."""
        for key, value in saved.items():
            if key not in self._changed and key not in self._deleted:
                super().__setitem__(key, value)

    # ---- persistence ----

    @staticmethod
    def path(directory: PathLike) -> "Path":
        """Where the context of a spec in ``directory`` is saved."""
        return _context_file.path(directory)

    def load(self, directory: PathLike) -> None:
        """Takes the values saved in ``directory``, except for keys this
        process has set, changed or deleted since its last save (those win).
        A missing file is not an error; an unreadable one raises
        :class:`~drillmaster.ContextFileError` (a ValueError) and is left
        as it is."""
        saved = _context_file.read(directory)
        if saved is not None:
            with self._lock:
                self._take(saved)

    @property
    def unsaved(self) -> bool:
        """Whether this process changed keys since its last save."""
        with self._lock:
            return bool(self._changed or self._deleted)

    def save(self, directory: PathLike) -> None:
        """Merges the keys this process set, changed or deleted since its last
        save into the file in ``directory``, and takes the values saved there
        by others. The file is written atomically, readable by its owner only
        (mode 0600), and never deleted: nothing changed, nothing written."""
        with self._lock:
            if not self.unsaved:
                return
            with _context_file.locked(directory):
                saved = _context_file.read(directory)
                merged = dict(saved or {})
                for key in self._deleted:
                    merged.pop(key, None)
                for key in self._changed:
                    merged[key] = dict.__getitem__(self, key)
                if merged != (saved or {}):
                    _context_file.write(directory, merged)
                self._changed.clear()
                self._deleted.clear()
                self._take(merged)

    def remove_file(self, directory: PathLike) -> None:
        """Deletes the saved context, if there is one (what ``stop --remove``
        does; a file that is not a JSON object is moved aside instead)."""
        _context_file.discard(directory, _context_file.read_raw(directory))


#: The context shared by the services of the running spec.
Context = ContextDict()
