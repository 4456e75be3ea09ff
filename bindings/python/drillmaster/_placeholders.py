"""``{placeholders}`` in ``env`` values, filled from ``drillmaster.Context``.

The rules are Python's ``str.format`` (as the predecessor's were): ``{key}``,
format specs (``{port:d}``, ``{ratio:.2f}``), conversions (``{name!r}``),
attribute and item lookups (``{db.host}``, ``{hosts[0]}``) and ``{{``/``}}``
for literal braces, with the Context as the mapping. Two departures, both so
that a value is never filled silently wrong:

- a value that is not a format string and holds no placeholder (JSON, say:
  ``{"a": 1}``) is kept as it is, as before;
- a positional placeholder (``{}``, ``{0}``) has no value in a mapping, and
  a value that is not a format string but does hold a placeholder is
  ambiguous: both are definition errors, raised when the class is defined.

Each placeholder is filled on its own, so an error names the one that failed.
"""

from __future__ import annotations

import re
import string
from typing import Any, List, Mapping, NamedTuple, Optional

__all__ = [
    "MissingValue",
    "Placeholder",
    "PlaceholderError",
    "check",
    "fill",
    "is_template",
    "placeholders",
]

_FORMATTER = string.Formatter()

# A field str.format can look up in a mapping: a key, then .attributes and
# [items]. Anything else between braces ('"a": 1') is not a placeholder.
_NAMED_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]+\])*\Z")
_POSITIONAL_FIELD = re.compile(r"[0-9]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]+\])*\Z")
# What looks like a placeholder in text that is not a format string.
_LOOKS_LIKE_ONE = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*(?:[.!:\[][^{}]*)?\}(?!\})")


class PlaceholderError(ValueError):
    """A value whose placeholders cannot be filled; the message names the
    placeholder (the caller adds the service and the variable)."""


class MissingValue(PlaceholderError, KeyError):
    """A placeholder whose key the Context does not have (also a KeyError,
    as str.format raises)."""

    def __str__(self) -> str:  # KeyError's would quote the message
        return str(self.args[0]) if self.args else ""


class Placeholder(NamedTuple):
    """One ``{...}`` of a value."""

    text: str  # as written, e.g. "{port:d}"
    field: str  # the field, e.g. "port" or "db.host"
    conversion: Optional[str]
    spec: str  # the format spec, which may hold placeholders of its own

    @property
    def key(self) -> str:
        """The Context key it reads: the field up to the first '.' or '['."""
        return re.split(r"[.\[]", self.field, maxsplit=1)[0]


def _written(field: str, conversion: Optional[str], spec: str) -> str:
    return (
        "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )


def _parse(value: str) -> Optional[List[Placeholder]]:
    """The placeholders of ``value`` (those in format specs included), or
    None when it is not a format string of named placeholders."""
    found: List[Placeholder] = []
    try:
        for _, field, spec, conversion in _FORMATTER.parse(value):
            if field is None:
                continue
            if not _NAMED_FIELD.match(field) and not _POSITIONAL_FIELD.match(field):
                return None
            found.append(Placeholder(_written(field, conversion, spec), field, conversion, spec))
            if "{" in spec:
                nested = _parse(spec)
                if nested is None:
                    return None
                found.extend(nested)
    except ValueError:  # a lone '{' or '}': not a format string
        return None
    return found


def check(value: str) -> None:
    """Raises PlaceholderError when ``value`` cannot be a template: a
    positional placeholder, or a placeholder in text that is not a format
    string (a lone brace elsewhere in it)."""
    parsed = _parse(value)
    if parsed is None:
        seen = _LOOKS_LIKE_ONE.search(value)
        if seen:
            raise PlaceholderError(
                f"{seen.group(0)} is in a value that is not a format string (it has a lone "
                "'{' or '}', or braces around something that is not a name): write the "
                "literal braces doubled, {{ and }}, as str.format wants"
            )
        return
    for p in parsed:
        if not _NAMED_FIELD.match(p.field):
            raise PlaceholderError(
                f"{p.text} is a positional placeholder, which has no value: name a "
                "drillmaster.Context key instead, as in {db_password}"
            )


def placeholders(value: str) -> List[Placeholder]:
    """The placeholders ``value`` has, in order; none for a value kept as it
    is. Raises PlaceholderError as :func:`check` does."""
    check(value)
    return _parse(value) or []


def is_template(value: str) -> bool:
    """Whether filling could change ``value`` (placeholders or doubled braces)."""
    return _parse(value) is not None and ("{" in value or "}" in value)


def _fill_one(p: Placeholder, values: Mapping[str, Any]) -> str:
    if p.key not in values:
        raise MissingValue(f"no value for {p.text} in drillmaster.Context")
    try:
        found, _ = _FORMATTER.get_field(p.field, (), values)
        found = _FORMATTER.convert_field(found, p.conversion)
        spec = fill(p.spec, values) if "{" in p.spec else p.spec
        return _FORMATTER.format_field(found, spec)
    except PlaceholderError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever str.format raises, said with the placeholder
        detail = f"{type(exc).__name__}: {exc}" if isinstance(exc, (KeyError, IndexError)) else exc
        raise PlaceholderError(
            f"cannot fill {p.text} from drillmaster.Context[{p.key!r}] = "
            f"{_short(values[p.key])}: {detail}"
        ) from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def fill(value: str, values: Mapping[str, Any]) -> str:
    """``value`` with its placeholders filled from ``values`` (str.format's
    rules); a value that is not a template is returned as it is. Raises
    PlaceholderError naming the first placeholder that cannot be filled."""
    check(value)
    if not is_template(value):
        return value
    out: List[str] = []
    for literal, field, spec, conversion in _FORMATTER.parse(value):
        out.append(literal)
        if field is not None:
            written = _written(field, conversion, spec)
            out.append(_fill_one(Placeholder(written, field, conversion, spec), values))
    return "".join(out)
