"""``drillmaster.Healthcheck``: a container health check, as Compose's ``healthcheck``.

A service whose container has a health check (this attribute or its image's
``HEALTHCHECK``) is ready once the engine reports it healthy; its ``ping``,
when it has one, runs after that. The values are checked by the library
(``Session`` and ``start`` report every problem at once); here they are only
turned into what its C setter takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

__all__ = ["Healthcheck", "DURATION", "seconds"]

#: A number of seconds, or a duration as Compose writes it: ``"1m30s"``, ``"500ms"``.
Duration = Union[int, float, str]

_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
#: What a duration may look like, for messages.
DURATION = "a number of seconds or a duration such as '1m30s' or '500ms'"


def seconds(value: Duration) -> float:
    """A duration in seconds; raises ValueError for text that is not one."""
    if not isinstance(value, str):
        return float(value)
    text = value.strip()
    parts = _PART.findall(text)
    if not text or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f"{value!r} is not a duration")
    return sum(float(number) * _UNITS[unit] for number, unit in parts)


@dataclass(frozen=True)
class Healthcheck:
    """A health check the engine runs in the container (Compose's ``healthcheck``).

    ``test``: ``["CMD", program, argument...]``, ``["CMD-SHELL", "command"]``,
    or a plain string run by the shell; None keeps the image's test.
    ``interval``, ``timeout``, ``start_period``: seconds, or Compose's
    ``"1m30s"``; ``retries``: failures in a row that make it unhealthy. None
    (or 0) keeps the image's value, else the engine's default (30 s, 30 s,
    3, 0 s). ``disable=True`` turns off the image's health check (as
    ``test=["NONE"]``).
    """

    test: str | Sequence[str] | None = None
    interval: Duration | None = None
    timeout: Duration | None = None
    retries: int | None = None
    start_period: Duration | None = None
    disable: bool = False

    @classmethod
    def from_compose(cls, value: Mapping[str, Any]) -> Healthcheck:
        """From Compose's mapping (``test``, ``interval``, ``timeout``,
        ``retries``, ``start_period``, ``disable``); raises TypeError for
        another key."""
        return cls(**value)

    def arguments(self) -> tuple[list[str], float, float, int, float]:
        """What the C setter takes: the test in the engine's form (empty:
        the image's), then the durations in seconds and the retries (0: not
        set)."""
        if self.disable:
            test = ["NONE"]
        elif isinstance(self.test, str):
            test = ["CMD-SHELL", self.test]
        else:
            test = list(self.test or ())
        return (
            test,
            seconds(self.interval or 0),
            seconds(self.timeout or 0),
            self.retries or 0,
            seconds(self.start_period or 0),
        )
