"""Compose's variable interpolation: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+other}``,
``${VAR+other}`` and ``$$`` for a literal ``$``; a default may itself hold
variables.

:func:`parse` turns a text into parts (literal str and :class:`Var`), which
``convert`` writes as Python (``os.environ.get(...)``) and :func:`evaluate`
resolves (the ``.env`` file, whose values may refer to earlier ones).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, List, Optional, Union

__all__ = ["InterpolationError", "Part", "Var", "evaluate", "parse"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class InterpolationError(ValueError):
    """A ``${`` without its ``}``, or a ``${...}`` that is not a variable."""


@dataclasses.dataclass(frozen=True)
class Var:
    """``${name<operator>argument}``; ``operator`` is '' for ``${name}``."""

    name: str
    operator: str = ""
    argument: tuple[Part, ...] = ()


Part = Union[str, Var]


def parse(text: str) -> list[Part]:
    """The parts of ``text``: literal text (``$$`` made ``$``) and variables."""
    parts: List[Part] = []
    literal = ""
    i = 0
    while i < len(text):
        if text[i] != "$":
            literal += text[i]
            i += 1
            continue
        var, i = _variable(text, i)
        if isinstance(var, str):
            literal += var
            continue
        if literal:
            parts.append(literal)
            literal = ""
        parts.append(var)
    if literal:
        parts.append(literal)
    return parts


def _variable(text: str, i: int) -> tuple[Part, int]:
    """The variable (or the literal text) at ``text[i] == "$"``, and where it ends."""
    following = text[i + 1 : i + 2]
    if following == "$":
        return "$", i + 2
    if following != "{":
        name = _NAME.match(text, i + 1)
        return (Var(name.group()), name.end()) if name else ("$", i + 1)
    end = _closing(text, i + 2)
    inner = text[i + 2 : end]
    name = _NAME.match(inner)
    if name is None:
        raise InterpolationError(f"invalid interpolation {text[i : end + 1]!r}: no variable name")
    rest = inner[name.end() :]
    if not rest:
        return Var(name.group()), end + 1
    for operator in _OPERATORS:
        if rest.startswith(operator):
            argument = tuple(parse(rest[len(operator) :]))
            return Var(name.group(), operator, argument), end + 1
    raise InterpolationError(f"invalid interpolation {text[i : end + 1]!r}")


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` closing a ``${`` whose inside starts at ``start``."""
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise InterpolationError(f"invalid interpolation {text[start - 2 :]!r}: no closing '}}'")


Lookup = Callable[[str], Optional[str]]


def evaluate(parts: list[Part] | tuple[Part, ...], lookup: Lookup) -> str:
    """The text of ``parts`` with each variable's value from ``lookup``
    (None: unset). A required variable that is missing raises
    InterpolationError with its message."""
    out = ""
    for part in parts:
        out += part if isinstance(part, str) else _value(part, lookup)
    return out


def _value(var: Var, lookup: Lookup) -> str:
    value = lookup(var.name)
    op = var.operator
    missing = value is None or (op.startswith(":") and value == "")
    if op in (":-", "-"):
        return evaluate(var.argument, lookup) if missing else str(value)
    if op in (":+", "+"):
        return "" if missing else evaluate(var.argument, lookup)
    if op in (":?", "?") and missing:
        message = evaluate(var.argument, lookup) or "required variable is missing a value"
        raise InterpolationError(f"{var.name}: {message}")
    return "" if value is None else value
