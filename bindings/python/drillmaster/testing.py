"""Services for test suites: a pytest fixture factory, and the pytest plugin.

::

    # conftest.py
    from drillmaster.testing import services_fixture

    itest = services_fixture(Database, Application)   # a session-scoped fixture

    # test_app.py
    def test_query(itest):
        host, port = itest.address("appdb", 5432)

The fixture yields the :class:`~drillmaster.Environment` of
:func:`drillmaster.up`, which stops and removes the services after the last
test that uses it (and, through the library's reaper, when the run is
killed). A start that fails is an ERROR of the tests that use the fixture,
whose text is the cause: each failed service and why, with the last lines of
its log when its container exited.

Under pytest-xdist each worker starts a group of its own, named after the
run and the worker (``<base>-<fixture>-<run>-gw0``), with its own network,
containers and free ports. With ``shared=True`` the workers share one group,
named after the run: each joins it (``up(shared=True)``), the first one's
start makes it (one start at a time: the library's group lock), the others'
find it running and leave it alone, and the last worker to finish stops and
removes it. Its reaper watches the xdist controller, not a worker, so that one
crashed worker does not remove a group the others use; a crashed worker's
place among the users is dropped by the next worker that joins or leaves.

This module is the pytest plugin too, registered by ``pip install`` under the
name ``drillmaster`` (``-p no:drillmaster`` turns it off). It adds
``--drillmaster-keep``: the services are left running after the run, and the
terminal summary names each group and the command that removes it.
Importing :mod:`drillmaster` does not import this module, nor pytest.
"""

from __future__ import annotations

import os
import secrets
import shlex
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

from ._environment import Environment
from ._errors import Error, ServicesFailed
from ._group import group_name_of
from ._up import (
    ServiceSource,
    base_group_name,
    context_directory,
    directory_of,
    services_of,
    up,
)

__all__ = ["services_fixture", "stop_command"]

_KEPT = pytest.StashKey[List[Dict[str, str]]]()
_OUTPUT_KEY = "drillmaster_kept"  # in an xdist worker's workeroutput


def services_fixture(
    *services: ServiceSource,
    scope: str = "session",
    shared: bool = False,
    group: Optional[str] = None,
    name: Optional[str] = None,
    **up_kwargs: Any,
) -> Callable[..., Iterator[Environment]]:
    """A pytest fixture that starts ``services`` (as :func:`drillmaster.up`
    does, with ``up_kwargs``) and yields the Environment.

    ``scope``: pytest's. ``group``: the group's name (default: one new per
    run, ``<base>-<fixture>-<random>``); under pytest-xdist, without
    ``shared``, each worker's is that name followed by the worker's id.
    ``shared``: under pytest-xdist, one group for the whole run, stopped by
    the last worker (see the module's docstring). ``name``: the fixture's
    name (default: the name it is assigned to in the conftest).
    """
    services_of(services)  # a wrong argument is an error here, at the conftest's import
    options = dict(up_kwargs)

    def fixture(request: pytest.FixtureRequest) -> Iterator[Environment]:
        env = _start(request, services, group=group, shared=shared, options=options)
        try:
            yield env
        finally:
            _stop(request, env)

    fixture.__name__ = name or "drillmaster_services"
    fixture.__doc__ = f"drillmaster services: {', '.join(_describe(s) for s in services)}."
    return pytest.fixture(scope=scope, name=name)(fixture)


def _describe(source: ServiceSource) -> str:
    return getattr(source, "__name__", repr(source))


def _group_for(
    request: pytest.FixtureRequest,
    services: Tuple[ServiceSource, ...],
    group: Optional[str],
    shared: bool,
    directory: Optional[str],
) -> Tuple[str, bool]:
    """The group's name for this fixture in this process, and whether it is
    shared with other processes (the other workers of an xdist run)."""
    worker = getattr(request.config, "workerinput", None)
    base = base_group_name(directory if directory is not None else directory_of(services))
    fixture = request.fixturename
    if worker is None:  # one process: nothing to share with
        return group or group_name_of(base, fixture, secrets.token_hex(3)), False
    run = str(worker["testrunuid"])[:8]
    if shared:
        return group or group_name_of(base, fixture, run), True
    worker_id = str(worker["workerid"])
    if group:
        return group_name_of(group, worker_id), False
    return group_name_of(base, fixture, run, worker_id), False


def _start(
    request: pytest.FixtureRequest,
    services: Tuple[ServiceSource, ...],
    *,
    group: Optional[str],
    shared: bool,
    options: Dict[str, Any],
) -> Environment:
    config = request.config
    kwargs = dict(options)
    # The option is unknown when the plugin is not loaded (-p no:drillmaster,
    # or a build tree without -p drillmaster.testing): the fixture works all the same.
    asked = config.getoption("drillmaster_keep", default=False)
    keep = bool(kwargs.pop("keep", False)) or bool(asked)
    name, shared_now = _group_for(request, services, group, shared, kwargs.get("directory"))
    if shared_now:
        # A worker's parent is the xdist controller, which outlives every worker.
        kwargs.setdefault("watch_pid", os.getppid())
    try:
        env = up(*services, group=name, shared=shared_now, keep=keep, **kwargs)
    except ServicesFailed as exc:
        if keep:
            _record_kept(config, name, request.fixturename)
        pytest.fail(f"fixture '{request.fixturename}': {exc}", pytrace=False)
    except Error as exc:  # the definitions, the engine: before anything started
        pytest.fail(
            f"fixture '{request.fixturename}': cannot start group '{name}': {exc}", pytrace=False
        )
    if keep:
        _record_kept(config, name, request.fixturename)
    return env


def _stop(request: pytest.FixtureRequest, env: Environment) -> None:
    try:
        env.stop()
    except Error as exc:
        pytest.fail(f"fixture '{request.fixturename}': {exc}", pytrace=False)


# ---- --drillmaster-keep --------------------------------------------------------------------


def stop_command(group: str) -> str:
    """A shell command that removes what ``up()`` left of a kept group:
    every container and network labelled with it, and its Context file."""
    label = f"label=io.drillmaster.group={group}"
    return (
        f"docker ps -aq --filter {label} | xargs -r docker rm -f; "
        f"docker network ls -q --filter {label} | xargs -r docker network rm; "
        f"rm -rf {shlex.quote(str(context_directory(group)))}"
    )


def _record_kept(config: pytest.Config, group: str, fixture: str) -> None:
    entry = {"group": group, "fixture": fixture}
    kept = config.stash.setdefault(_KEPT, [])
    if entry not in kept:
        kept.append(entry)
    output = getattr(config, "workeroutput", None)  # an xdist worker: tell the controller
    if output is not None:
        output[_OUTPUT_KEY] = list(kept)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("drillmaster").addoption(
        "--drillmaster-keep",
        action="store_true",
        default=False,
        help="Leave the services of drillmaster fixtures running after the run; "
        "the summary says how to remove them.",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, in the controller: a worker is done; take the groups
    it kept."""
    output = getattr(node, "workeroutput", None) or {}
    for entry in output.get(_OUTPUT_KEY, []):
        _record_kept(node.config, entry["group"], entry["fixture"])


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if getattr(config, "workerinput", None) is not None:
        return  # a worker: its controller prints
    kept = config.stash.get(_KEPT, [])
    if not kept:
        return
    terminalreporter.write_sep("=", "drillmaster: services left running (--drillmaster-keep)")
    for entry in kept:
        terminalreporter.write_line(
            f"group {entry['group']} (fixture {entry['fixture']}); remove it with:"
        )
        terminalreporter.write_line(f"  {stop_command(entry['group'])}")
