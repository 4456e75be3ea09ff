"""What a spec written by ``drillmaster convert`` calls: Compose's ``.env``.

``load_dotenv(__file__)`` reads the ``.env`` file beside the spec as Compose
reads the one beside its compose file (variables already in the environment
win), so that the spec's ``os.environ.get(...)`` see the same values Compose
would interpolate. ``require`` is the ``${VAR:?message}`` of a service: it
runs in the service's ``pre_start`` hook, so a spec imports without the
variable and the start fails naming it.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

from . import _interpolation
from ._errors import ServiceDefinitionError

__all__ = ["load_dotenv", "read_dotenv", "require"]

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=(.*))?$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def read_dotenv(path: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> dict:
    """The variables of a Compose env file (``KEY=value``, ``export KEY=value``,
    ``#`` comments, ``'literal'``, ``"escaped\\n"`` values that may span
    lines, ``${VAR}`` in unquoted and double-quoted values, resolved from the
    environment and earlier lines). A missing file: {}."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except FileNotFoundError:
        return {}
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}

    def lookup(name: str) -> str | None:
        return environ.get(name, values.get(name))

    i = 0
    while i < len(lines):
        match = _LINE.match(lines[i])
        i += 1
        if not match or lines[i - 1].lstrip().startswith("#"):
            continue
        name, raw = match.group(1), (match.group(2) or "").strip()
        if match.group(2) is None:
            continue  # a name alone: no value (Compose leaves it unset)
        raw, i = _complete(raw, lines, i)
        values[name] = _value(raw, lookup)
    return values


def _complete(raw: str, lines: list[str], i: int) -> tuple[str, int]:
    """A quoted value that spans lines, joined up to its closing quote."""
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        while not _closed(raw, quote) and i < len(lines):
            raw += "\n" + lines[i]
            i += 1
    return raw, i


def _closed(raw: str, quote: str) -> bool:
    j = 1
    while j < len(raw):
        if quote == '"' and raw[j] == "\\":
            j += 2
            continue
        if raw[j] == quote:
            return True
        j += 1
    return False


def _value(raw: str, lookup: _interpolation.Lookup) -> str:
    if raw.startswith("'"):
        end = raw.find("'", 1)
        return raw[1:end] if end > 0 else raw[1:]
    if raw.startswith('"'):
        text, j = "", 1
        while j < len(raw) and raw[j] != '"':
            if raw[j] == "\\" and j + 1 < len(raw):
                text += _ESCAPES.get(raw[j + 1], "\\" + raw[j + 1])
                j += 2
                continue
            text += raw[j]
            j += 1
        return _interpolated(text, lookup)
    comment = re.search(r"\s#", raw)
    return _interpolated((raw[: comment.start()] if comment else raw).strip(), lookup)


def _interpolated(text: str, lookup: _interpolation.Lookup) -> str:
    try:
        return _interpolation.evaluate(_interpolation.parse(text), lookup)
    except _interpolation.InterpolationError:
        return text


def load_dotenv(spec_file: str | os.PathLike[str]) -> dict:
    """Reads the ``.env`` beside ``spec_file`` into ``os.environ``, where a
    variable already set keeps its value; returns what the file holds."""
    path = os.path.join(os.path.dirname(os.path.abspath(spec_file)), ".env")
    values = read_dotenv(path)
    for name, value in values.items():
        os.environ.setdefault(name, value)
    return values


def require(service: str, variables: Mapping[str, str]) -> None:
    """``${NAME:?message}`` (or ``${NAME?message}``) of a service:
    ``variables`` maps each name to ``(message, empty_is_missing)`` as
    ``"NAME": ":?message"`` or ``"?message"``. Raises naming the service and
    the variables that are unset (or empty, for ``:?``)."""
    missing = []
    for name, spec in variables.items():
        empty_counts = spec.startswith(":")
        message = spec[2:] if empty_counts else spec[1:]
        value = os.environ.get(name)
        if value is None or (empty_counts and value == ""):
            missing.append(f"{name} ({message or 'required'})")
    if missing:
        raise ServiceDefinitionError(
            f"service {service!r}: the variable{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} must be set (in the environment or in .env beside the spec)"
        )
