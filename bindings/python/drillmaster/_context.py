"""``drillmaster.Context``: values shared by the services of a spec.

A hook stores a value (``Context["db_user"] = "app"``) and the ``env`` of any
service started afterwards can use it as a placeholder
(``env = {"DB_USER": "{db_user}"}``). The context is saved as JSON in
``.drillmaster-context`` beside the spec, so a later ``start`` (when the
services that produced the values are already running and their hooks do not
run again) still fills the placeholders; ``stop --remove`` deletes the file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, Union

__all__ = ["ContextDict", "Context", "CONTEXT_FILE"]

#: The file the context is saved in, in the spec's directory.
CONTEXT_FILE = ".drillmaster-context"

# {key} is a placeholder; {{key}} stands for a literal {key}. Other braces
# (JSON in an environment variable, say) are left alone.
_PLACEHOLDER = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")

PathLike = Union[str, "os.PathLike[str]"]


class ContextDict(Dict[str, Any]):
    """A dict whose values fill ``{key}`` placeholders in services' ``env``.

    Keys are strings; values should be JSON-serialisable (others are saved as
    their ``str()``).
    """

    @staticmethod
    def has_placeholders(text: str) -> bool:
        """Whether interpolation would change ``text``."""
        return _PLACEHOLDER.search(text) is not None

    def missing(self, text: str) -> List[str]:
        """The placeholders of ``text`` that have no value, in order."""
        found = []
        for match in _PLACEHOLDER.finditer(text):
            key = match.group(2)
            if key is not None and key not in self and key not in found:
                found.append(key)
        return found

    def interpolate(self, text: str) -> str:
        """``text`` with every ``{key}`` replaced by ``str(self[key])``.

        Raises KeyError naming the first placeholder without a value.
        """
        def replace(match: "re.Match[str]") -> str:
            if match.group(1) is not None:
                return "{" + match.group(1) + "}"
            return str(self[match.group(2)])
        return _PLACEHOLDER.sub(replace, text)

    def interpolate_env(self, env: Mapping[str, str]) -> Dict[str, str]:
        """Every value of ``env`` interpolated (KeyError when one cannot be)."""
        return {name: self.interpolate(value) for name, value in env.items()}

    # ---- persistence ----

    @staticmethod
    def path(directory: PathLike) -> Path:
        """Where the context of a spec in ``directory`` is saved."""
        return Path(directory) / CONTEXT_FILE

    def load(self, directory: PathLike) -> None:
        """Adds the values saved in ``directory``; values already set (by the
        spec's code) win over saved ones. A missing file is not an error."""
        try:
            text = self.path(directory).read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        try:
            saved = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{self.path(directory)}: not valid JSON ({exc}); delete it") from None
        if not isinstance(saved, dict):
            raise ValueError(f"{self.path(directory)}: expected a JSON object; delete it")
        for key, value in saved.items():
            self.setdefault(key, value)

    def save(self, directory: PathLike) -> None:
        """Writes the context to ``directory`` atomically, readable by the
        owner only (mode 0600). An empty context removes the file."""
        target = self.path(directory)
        if not self:
            self.remove_file(directory)
            return
        fd, tmp = tempfile.mkstemp(prefix=CONTEXT_FILE + ".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp: mode 0600
                json.dump(dict(self), out, indent=2, sort_keys=True, default=str)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def remove_file(self, directory: PathLike) -> None:
        """Deletes the saved context, if there is one."""
        try:
            self.path(directory).unlink()
        except FileNotFoundError:
            pass


#: The context shared by the services of the running spec.
Context = ContextDict()
