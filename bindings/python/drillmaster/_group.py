"""Group-level settings of a spec: its name and the hooks around commands."""

from __future__ import annotations

import os
import re
from typing import Callable, List, Optional, TypeVar

from . import _core
from ._errors import ServiceDefinitionError

__all__ = ["group_name", "on_start_services", "on_stop_services", "on_reload_service"]

_DOCKER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


class _Settings:
    name: Optional[str] = None
    on_start: Optional[Callable[[List[str]], object]] = None
    on_stop: Optional[Callable[[List[str]], object]] = None
    on_reload: Optional[Callable[[str], object]] = None


settings = _Settings()

F = TypeVar("F", bound=Callable[..., object])


def group_name(name: str) -> None:
    """Sets the group's name: it labels every container and network the spec
    makes, and names them (``<group>-<service>-1``, ``drillmaster-<group>``).
    Default: the spec directory's name, made a valid Docker name."""
    if not isinstance(name, str) or not _DOCKER_NAME.match(name):
        raise ServiceDefinitionError(
            f"group_name: {name!r} is not a valid Docker name "
            "(letters, digits, '_', '.', '-', starting with a letter or digit)"
        )
    settings.name = name


def docker_name(text: str) -> str:
    """``text`` made a valid Docker name: lower-cased, other characters
    replaced by '-', leading punctuation dropped ("" if nothing is left)."""
    name = re.sub(r"[^a-z0-9_.-]+", "-", text.lower())
    return re.sub(r"^[^a-z0-9]+", "", name)


def default_group_name(directory: str) -> str:
    """The spec directory's name made a valid Docker name: lower-cased, other
    characters replaced by '-', leading punctuation dropped."""
    return docker_name(os.path.basename(os.path.abspath(directory))) or "drillmaster"


def group_name_of(*parts: str) -> str:
    """A group name made of ``parts`` joined by '-', each made a Docker
    name; the first (the base, e.g. the spec directory's name) is shortened
    when the whole would be longer than the library allows, so that the
    parts after it, which tell groups apart, are kept whole."""
    cleaned = [docker_name(p).strip("-") for p in parts]
    rest = "-".join(p for p in cleaned[1:] if p)
    room = _core.GROUP_NAME_MAX - len(rest) - (1 if rest else 0)
    base = cleaned[0][: max(room, 0)].rstrip("-._") if cleaned else ""
    return "-".join(p for p in (base, rest) if p) or "drillmaster"


def on_start_services(fn: F) -> F:
    """Registers ``fn(service_names)``, called when ``start`` ends with the
    names of the services that are running: every one it was asked for when
    the start succeeded; when some failed, those that did start (the command
    then exits 1 all the same). Not called when a signal (Ctrl-C, SIGTERM)
    cancelled the start. An exception in ``fn`` fails the command. Usable as
    a decorator."""
    settings.on_start = fn
    return fn


def on_stop_services(fn: F) -> F:
    """Registers ``fn(service_names)``, called after ``stop`` has stopped
    every service it was asked to; not called when one failed to stop or a
    signal cancelled the stop. Usable as a decorator."""
    settings.on_stop = fn
    return fn


def on_reload_service(fn: F) -> F:
    """Registers ``fn(service_name)``, called after ``reload`` has the
    service and its dependants running again; not called when one of them
    failed or a signal cancelled the reload. Usable as a decorator."""
    settings.on_reload = fn
    return fn
