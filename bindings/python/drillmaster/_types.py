"""Phases, outcomes and what an operation reports, as Python values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

from . import _core

__all__ = ["Phase", "Outcome", "ServiceOutcome", "Report", "ServiceStatus", "Event", "ExecResult"]

Event = _core.Event
ServiceStatus = _core.ServiceStatus


class Phase(enum.IntEnum):
    """Where a service is in an operation (``dm_phase``)."""

    BUILDING = _core.PHASE_BUILDING
    PULLING = _core.PHASE_PULLING
    PRE_START = _core.PHASE_PRE_START
    CREATING = _core.PHASE_CREATING
    STARTING = _core.PHASE_STARTING
    PINGING = _core.PHASE_PINGING
    INITIALISING = _core.PHASE_INITIALISING
    RUNNING = _core.PHASE_RUNNING
    STOPPING = _core.PHASE_STOPPING
    STOPPED = _core.PHASE_STOPPED
    REMOVED = _core.PHASE_REMOVED
    FAILED = _core.PHASE_FAILED
    SKIPPED = _core.PHASE_SKIPPED
    DETAIL = _core.PHASE_DETAIL
    WAITING = _core.PHASE_WAITING

    @property
    def label(self) -> str:
        """The library's short name, e.g. ``"pinging"``."""
        return _core.phase_name(int(self))


class Outcome(enum.IntEnum):
    """What an operation did with a service (``dm_outcome``)."""

    STARTED = _core.OUTCOME_STARTED
    ALREADY_RUNNING = _core.OUTCOME_ALREADY_RUNNING
    RESTARTED = _core.OUTCOME_RESTARTED
    RELOADED = _core.OUTCOME_RELOADED
    FAILED = _core.OUTCOME_FAILED
    SKIPPED = _core.OUTCOME_SKIPPED
    EXCLUDED = _core.OUTCOME_EXCLUDED
    CANCELLED = _core.OUTCOME_CANCELLED
    STOPPED = _core.OUTCOME_STOPPED
    REMOVED = _core.OUTCOME_REMOVED
    NOT_RUNNING = _core.OUTCOME_NOT_RUNNING
    COMPLETED = _core.OUTCOME_COMPLETED
    SYNCED = _core.OUTCOME_SYNCED

    @property
    def label(self) -> str:
        """The library's short name, e.g. ``"already running"``."""
        return _core.outcome_name(int(self))

    @property
    def is_failure(self) -> bool:
        """True for FAILED and SKIPPED (skipped: a dependency failed)."""
        return self in (Outcome.FAILED, Outcome.SKIPPED)

    @property
    def is_success(self) -> bool:
        """True when the service reached the goal of the operation."""
        return self in _SUCCESS


_SUCCESS = frozenset(
    {
        Outcome.STARTED,
        Outcome.ALREADY_RUNNING,
        Outcome.RESTARTED,
        Outcome.RELOADED,
        Outcome.STOPPED,
        Outcome.REMOVED,
        Outcome.NOT_RUNNING,
        Outcome.COMPLETED,
        Outcome.SYNCED,
    }
)


@dataclass
class ServiceOutcome:
    """One service's outcome of an operation."""

    service: str
    outcome: Outcome
    reason: str = ""
    container_id: str = ""
    seconds: float = 0.0

    @classmethod
    def from_core(cls, r: "_core.ServiceResult") -> "ServiceOutcome":
        return cls(r.service, Outcome(r.outcome), r.reason, r.container_id, r.seconds)


@dataclass
class Report:
    """What an operation did, service by service, in definition order."""

    operation: str
    services: List[ServiceOutcome] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    #: Lines for the user about things besides the services, e.g. where
    #: ``stop --remove`` moved an unreadable context file.
    notes: List[str] = field(default_factory=list)

    @property
    def failures(self) -> List[ServiceOutcome]:
        """The services that failed or were skipped because a dependency failed."""
        return [s for s in self.services if s.outcome.is_failure]

    @property
    def left_undone(self) -> List[str]:
        """Names of the services the operation did not get to: cancelled,
        or skipped because a dependency did not get there."""
        return [
            s.service for s in self.services if s.outcome in (Outcome.CANCELLED, Outcome.SKIPPED)
        ]

    @property
    def succeeded(self) -> List[str]:
        """Names of the services that reached the operation's goal."""
        return [s.service for s in self.services if s.outcome.is_success]

    @property
    def ok(self) -> bool:
        """True when nothing failed and the operation was not cancelled."""
        return not self.cancelled and not self.failures

    def get(self, service: str) -> Optional[ServiceOutcome]:
        for s in self.services:
            if s.service == service:
                return s
        return None


@dataclass(frozen=True)
class ExecResult:
    """What a command run in a container gave (:meth:`Service.exec`,
    :meth:`Session.exec`): its exit code, whatever it is, and its output,
    stdout and stderr apart. The output is ``str`` (UTF-8, undecodable bytes
    replaced) unless the call passed ``text=False``: then ``bytes``, as
    :func:`subprocess.run` does."""

    exit_code: int
    stdout: Union[str, bytes]
    stderr: Union[str, bytes]

    @property
    def ok(self) -> bool:
        """True when the command exited with 0."""
        return self.exit_code == 0

    @classmethod
    def from_core(cls, answer: Tuple[int, bytes, bytes], text: bool) -> "ExecResult":
        code, out, err = answer
        if text:
            return cls(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        return cls(code, out, err)
