"""The command line a spec gets from ``drillmaster.main()``.

Exit status: 0 when everything asked for is running (or stopped), 1 when a
service failed or the engine could not be used, 2 for usage and definition
errors (a context file that cannot be read is one), 128 + the signal's
number when Ctrl-C (130), SIGTERM (143) or SIGHUP (129) cancelled the
command.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import traceback
from typing import Any, Callable, Dict, Iterator, List, NoReturn, Optional, Sequence, Tuple, TypeVar

import click

from . import _signals
from ._errors import EngineUnreachable, Error, InvalidArgument
from ._exit import exit as _exit
from ._group import settings
from ._progress import Progress, print_summary
from ._session import DEFAULTS, Session
from ._types import Report

__all__ = ["main", "cli"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130

T = TypeVar("T")


class _Spec:
    """What the commands share: where the spec lives."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def session(self, network_name: Optional[str] = None) -> Session:
        return Session(directory=self.directory, network_name=network_name)


# ---- helpers ---------------------------------------------------------------------


def _split_names(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> Tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def _exclude_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--exclude", multiple=True, metavar="NAMES", callback=_split_names,
                        help="Services to leave out, comma-separated; may be repeated.")(f)


def _network_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--network-name", metavar="NAME",
                        help="The group's network (default: drillmaster-<group>).")(f)


def _verbosity_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("-q", "--quiet", is_flag=True, help="Print only failures.")(f)
    return click.option("-v", "--verbose", is_flag=True,
                        help="Also show engine-level detail (build and pull output).")(f)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    _exit(code)


@contextlib.contextmanager
def _reported_errors() -> Iterator[None]:
    """Turns drillmaster errors into one clear message and an exit status."""
    try:
        yield
    except InvalidArgument as exc:  # definitions, graph, or an operation's arguments
        lines = str(exc).splitlines() or ["invalid services"]
        if len(lines) == 1:
            _fail(lines[0], EXIT_USAGE)
        _fail("the services cannot be loaded:\n" + "\n".join(f"  {line}" for line in lines),
              EXIT_USAGE)
    except EngineUnreachable as exc:
        _fail("; ".join(line.strip() for line in str(exc).splitlines() if line.strip()), EXIT_FAILED)
    except Error as exc:
        _fail(str(exc), EXIT_FAILED)


def _run_cancellable(session: Session, fn: Callable[[], T]) -> Tuple[T, Optional[int]]:
    """Runs ``fn`` on a worker thread while this (main) thread waits, so
    Ctrl-C, SIGTERM and SIGHUP arrive here: the first one cancels the
    operation through the C library and waits for it to wind down; a second
    one exits at once. Returns ``fn``'s value and the signal that cancelled
    it, if one did."""
    box: Dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        _signals.block_in_this_thread()  # and in the library's threads
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: B902 - handed to the main thread
            box["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="drillmaster-operation", daemon=True)
    cancelled_by: Optional[int] = None
    with _signals.recorded() as received:
        worker.start()
        handled = 0
        while not done.wait(0.05):
            for signum in received[handled:]:
                handled += 1
                if cancelled_by is not None:
                    _say(f"\n{_signals.describe(signum)} again: exiting now; containers may be "
                         "left half-started (run stop to clean up).")
                    _flush_and_exit_now(_signals.exit_status(signum))
                cancelled_by = signum
                session.cancel()
                again = "Ctrl-C again" if signum == signal.SIGINT else "a second signal"
                how = "" if signum == signal.SIGINT else f" ({_signals.describe(signum)})"
                _say(f"\nCancelling{how}: waiting for the steps under way ({again} to quit now)...")
            if cancelled_by is not None:
                session.cancel()  # again each time: covers a pass that began meanwhile
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"], cancelled_by


def _say(message: str) -> None:
    """A line on stderr, which may be a terminal that is gone (SIGHUP):
    the cancelling must go on regardless."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(message, err=True)


def _flush_and_exit_now(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _operate(session: Session, services: List[str], verbose: bool, quiet: bool,
             op: Callable[[Progress], Report]) -> Tuple[Report, Optional[int]]:
    """Runs ``op`` with live progress, then prints its summary. Returns the
    report and the signal that cancelled it, if one did."""
    progress = Progress(services, verbose=verbose, quiet=quiet)
    if verbose:
        session.on_connect = progress.engine
    with progress:
        report, cancelled_by = _run_cancellable(session, lambda: op(progress))
    if cancelled_by is not None:
        report.cancelled = True
    print_summary(report, quiet=quiet)
    return report, cancelled_by


def _call_group_hook(kind: str, fn: Optional[Callable[..., object]], arg: object) -> None:
    if fn is None:
        return
    try:
        fn(arg)
    except Exception:  # noqa: BLE001 - the user's hook: show it, fail the command
        click.echo(f"Error: the {kind} hook raised:\n{traceback.format_exc().rstrip()}", err=True)
        _exit(EXIT_FAILED)


def _exit_for(report: Report, cancelled_by: Optional[int]) -> int:
    if cancelled_by is not None:
        return _signals.exit_status(cancelled_by)
    if report.cancelled:
        return EXIT_CANCELLED
    return EXIT_FAILED if report.failures else EXIT_OK


# ---- commands ----------------------------------------------------------------------


@click.group(invoke_without_command=True, subcommand_metavar="COMMAND [ARGS]...")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Run the services of this spec: start, stop, reload, status, logs."""
    if ctx.obj is None:
        ctx.obj = _Spec(os.getcwd())
    if ctx.invoked_subcommand is None:
        # The seed's documented way to see the commands: run the spec bare.
        click.echo(ctx.get_help())
        ctx.exit(EXIT_OK)


@cli.command()
@_exclude_option
@_network_option
@click.option("--timeout", type=float, default=DEFAULTS["start"]["timeout"], show_default=True,
              metavar="SECONDS", help="Seconds a service may take to become ready.")
@click.option("--stop-timeout", type=float, default=DEFAULTS["start"]["stop_timeout"],
              show_default=True, metavar="SECONDS",
              help="Seconds an outdated container may take to stop before it is killed, when it "
                   "is replaced.")
@click.option("--run-new-containers", is_flag=True,
              help="Create new containers instead of reusing existing ones.")
@click.option("--build", is_flag=True, help="Rebuild the images of services with build_from.")
@_verbosity_options
@click.pass_obj
def start(spec: _Spec, exclude: Tuple[str, ...], network_name: Optional[str], timeout: float,
          stop_timeout: float, run_new_containers: bool, build: bool, verbose: bool,
          quiet: bool) -> None:
    """Start the services, each once its dependencies are running."""
    with _reported_errors():
        session = spec.session(network_name)
        session.check(exclude)
        session.check_context()
        names = [n for n in session.names if n not in exclude]
        report, cancelled_by = _operate(
            session, names, verbose, quiet, lambda progress: session.start(
                exclude=exclude, timeout=timeout, run_new_containers=run_new_containers,
                build=build, stop_timeout=stop_timeout, on_event=progress))
    code = _exit_for(report, cancelled_by)
    if code == EXIT_OK:
        _call_group_hook("on_start_services", settings.on_start, report.succeeded)
    _exit(code)


@cli.command()
@_exclude_option
@_network_option
@click.option("--remove", is_flag=True, help="Also remove the containers and the network.")
@click.option("--timeout", type=float, default=DEFAULTS["stop"]["timeout"], show_default=True,
              metavar="SECONDS",
              help="Seconds each container may take to stop before it is killed (its grace "
                   "period; whole seconds, a fraction is rounded up).")
@_verbosity_options
@click.pass_obj
def stop(spec: _Spec, exclude: Tuple[str, ...], network_name: Optional[str], remove: bool,
         timeout: float, verbose: bool, quiet: bool) -> None:
    """Stop the services, dependants first."""
    with _reported_errors():
        session = spec.session(network_name)
        session.check_stop(exclude)
        names = [n for n in session.names if n not in exclude]
        report, cancelled_by = _operate(
            session, names, verbose, quiet, lambda progress: session.stop(
                exclude=exclude, timeout=timeout, remove=remove, on_event=progress))
    code = _exit_for(report, cancelled_by)
    if code == EXIT_OK:
        _call_group_hook("on_stop_services", settings.on_stop, report.succeeded)
    _exit(code)


@cli.command()
@click.argument("service")
@click.option("--remove", is_flag=True, help="Remove the old containers.")
@click.option("--timeout", type=float, default=DEFAULTS["reload"]["timeout"], show_default=True,
              metavar="SECONDS", help="Seconds a service may take to become ready.")
@click.option("--stop-timeout", type=float, default=DEFAULTS["reload"]["stop_timeout"],
              show_default=True, metavar="SECONDS",
              help="Seconds each container it stops may take to stop before it is killed.")
@_network_option
@_verbosity_options
@click.pass_obj
def reload(spec: _Spec, service: str, remove: bool, timeout: float, stop_timeout: float,
           network_name: Optional[str], verbose: bool, quiet: bool) -> None:
    """Rebuild SERVICE and restart it and its dependants."""
    with _reported_errors():
        session = spec.session(network_name)
        if service not in session.names:
            raise click.BadParameter(f"no service named {service!r} (defined: "
                                     f"{', '.join(session.names)})", param_hint="SERVICE")
        session.check()
        session.check_context()
        names = [service, *session.dependants(service)]
        report, cancelled_by = _operate(
            session, names, verbose, quiet, lambda progress: session.reload(
                service, timeout=timeout, remove=remove, stop_timeout=stop_timeout,
                on_event=progress))
    code = _exit_for(report, cancelled_by)
    if code == EXIT_OK:
        _call_group_hook("on_reload_service", settings.on_reload, service)
    _exit(code)


def _status(spec: _Spec, as_json: bool) -> None:
    with _reported_errors():
        rows = spec.session().status()
    if as_json:
        click.echo(json.dumps([{
            "service": r.service, "state": r.state, "status": r.status_text, "health": r.health,
            "container_id": r.container_id, "container_name": r.container_name, "image": r.image,
            "ports": r.ports, "outdated": r.outdated,
        } for r in rows], indent=2))
        return
    table = [("SERVICE", "CONTAINER", "STATE", "STATUS", "PORTS")]
    for r in rows:
        state = r.state + (" (outdated)" if r.outdated else "")
        if r.health:
            state += f" ({r.health})"
        table.append((r.service, r.container_name or "-", state, r.status_text or "-",
                      r.ports or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


_JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


@cli.command()
@_JSON_OPTION
@click.pass_obj
def status(spec: _Spec, as_json: bool) -> None:
    """Show each service's container, state and ports."""
    _status(spec, as_json)


@cli.command("ps")
@_JSON_OPTION
@click.pass_obj
def ps(spec: _Spec, as_json: bool) -> None:
    """The same as status."""
    _status(spec, as_json)


_PREFIX_COLORS = ["cyan", "magenta", "blue", "green", "yellow", "bright_cyan", "bright_magenta"]


@cli.command()
@click.argument("services", nargs=-1, metavar="[SERVICE]...")
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines until Ctrl-C.")
@click.option("--tail", type=int, default=DEFAULTS["logs"]["tail"], metavar="N",
              help="Only the last N lines of each service (default: all).")
@click.pass_obj
def logs(spec: _Spec, services: Tuple[str, ...], follow: bool, tail: int) -> None:
    """Print the containers' output, each line prefixed by its service."""
    with _reported_errors():
        session = spec.session()
        unknown = [s for s in services if s not in session.names]
        if unknown:
            raise click.BadParameter(f"no service named {unknown[0]!r} (defined: "
                                     f"{', '.join(session.names)})", param_hint="SERVICE")
        names = list(services) or session.names
        width = max(len(n) for n in names)
        color = sys.stdout.isatty()
        colors = {n: _PREFIX_COLORS[i % len(_PREFIX_COLORS)] for i, n in enumerate(names)}

        def line(service: str, stream: int, text: str) -> bool:
            prefix = f"{service:<{width}} |"
            if color:
                prefix = click.style(prefix, fg=colors.get(service))
            click.echo(f"{prefix} {text}", err=stream == 2)
            return False

        cancelled, cancelled_by = _run_cancellable(session, lambda: session.logs(
            line, services=services, follow=follow, tail=tail))
    if cancelled_by is not None:
        _exit(_signals.exit_status(cancelled_by))
    _exit(EXIT_CANCELLED if cancelled else EXIT_OK)


# ---- entry point ---------------------------------------------------------------------


def _spec_directory() -> str:
    main_module = sys.modules.get("__main__")
    path = getattr(main_module, "__file__", None)
    return os.path.dirname(os.path.abspath(path)) if path else os.getcwd()


def main(directory: Optional[str] = None, *, args: Optional[Sequence[str]] = None,
         prog_name: Optional[str] = None, standalone_mode: bool = True) -> Any:
    """The spec's command line: ``start``, ``stop``, ``reload``, ``status``
    (``ps``) and ``logs``.

    Call it at the end of a spec script. ``directory`` is the spec's
    directory (default: the directory of the running script); it names the
    group by default and holds ``.drillmaster-context``.
    """
    spec = _Spec(directory or _spec_directory())
    with _signals.handled():
        try:
            return cli.main(args=list(args) if args is not None else None, prog_name=prog_name,
                            obj=spec, standalone_mode=standalone_mode)
        except _signals.Interrupted as exc:
            # Outside an operation (loading, a group hook): nothing to wind
            # down, so the process ends as the signal would have ended it.
            _exit(_signals.exit_status(exc.signum))
