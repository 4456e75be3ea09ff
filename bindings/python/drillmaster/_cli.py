"""The command line a spec gets from ``drillmaster.main()``.

Exit status: 0 when everything asked for is running (or stopped), 1 when a
service failed or the engine could not be used, 2 for usage and definition
errors (a context file that cannot be read is one), 128 + the signal's
number when Ctrl-C (130), SIGTERM (143) or SIGHUP (129) cancelled the
command.

click does the work it is made for: a wrong service name is refused by the
parameter's type, drillmaster's errors become click exceptions carrying their
exit status (one place: :class:`_Commands`), and click prints them and exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn, Sequence, TypeVar

import click
from click.shell_completion import CompletionItem

from . import _cancellable, _exit, _signals, _watch_loop
from ._errors import EngineUnreachable, Error, InvalidArgument
from ._group import settings
from ._progress import Progress, describe_engine, print_summary
from ._session import DEFAULTS, TARGETS, Session

if TYPE_CHECKING:
    from . import _core
    from ._types import Report, ServiceStatus

__all__ = ["cli", "main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130

T = TypeVar("T")


class _Spec:
    """What the commands share: where the spec lives."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.context: str | None = None  # --context: a docker context's name
        self.target: str | None = None  # --target: "local" or "swarm"
        self.registry: str | None = None  # --registry: where swarm images are pushed

    def session(self, network_name: str | None = None) -> Session:
        return Session(
            directory=self.directory,
            network_name=network_name,
            context=self.context,
            target=self.target,
            registry=self.registry,
        )


# ---- errors: click prints them and exits with their status ---------------------------


class CommandFailed(click.ClickException):
    """The command could not do its job: the engine could not be used, a
    group hook raised (exit status 1)."""

    exit_code = EXIT_FAILED


class InvalidSpec(click.ClickException):
    """The spec's definitions, its graph or its context file cannot be used
    as they are (exit status 2, as for a usage error; no usage is shown,
    since the command line itself was right)."""

    exit_code = EXIT_USAGE


def _click_error(error: Error) -> click.ClickException:
    """The click exception that reports ``error`` with its exit status."""
    if isinstance(error, InvalidArgument):  # definitions, graph, or an operation's arguments
        lines = str(error).splitlines() or ["invalid services"]
        if len(lines) == 1:
            return InvalidSpec(lines[0])
        listed = "\n".join(f"  {line}" for line in lines)
        return InvalidSpec(f"the services cannot be loaded:\n{listed}")
    if isinstance(error, EngineUnreachable):
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        return CommandFailed("; ".join(lines))
    return CommandFailed(str(error))


class _Commands(click.Group):
    """The spec's commands; a drillmaster error raised while one is parsed
    or run is reported as the click exception :func:`_click_error` makes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Error as error:
            raise _click_error(error) from None


class _ServiceName(click.ParamType):
    """A service of the spec: checked (and completed in a shell) by click."""

    name = "service"

    @staticmethod
    def _names(ctx: click.Context | None) -> list[str]:
        spec = ctx.find_object(_Spec) if ctx is not None else None
        return spec.session().names if spec is not None else []

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        names = self._names(ctx)
        if value not in names:
            self.fail(f"no service named {value!r} (defined: {', '.join(names)})", param, ctx)
        return str(value)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(name) for name in self._names(ctx) if name.startswith(incomplete)]


# ---- options ----------------------------------------------------------------------------


def _split_names(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def _exclude_option(f: Callable[..., Any]) -> Callable[..., Any]:
    # Which names may be excluded is the library's rule (check / check_stop).
    return click.option(
        "--exclude",
        multiple=True,
        metavar="NAMES",
        callback=_split_names,
        help="Services to leave out, comma-separated; may be repeated.",
    )(f)


def _network_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--network-name", metavar="NAME", help="The group's network (default: drillmaster-<group>)."
    )(f)


def _seconds_option(flag: str, operation: str, help: str) -> Callable[..., Any]:
    """A ``--timeout``-like option in seconds whose default is the library's
    for ``operation`` (dm_*_options_init(), read once into DEFAULTS)."""
    return click.option(
        flag,
        type=float,
        default=DEFAULTS[operation][flag.lstrip("-").replace("-", "_")],
        show_default=True,
        metavar="SECONDS",
        help=help,
    )


def _verbosity_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("-q", "--quiet", is_flag=True, help="Print only failures.")(f)
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help="Also show engine-level detail (build and pull output).",
    )(f)


# ---- running an operation ------------------------------------------------------------------


def _run_cancellable(session: Session, fn: Callable[[], T]) -> tuple[T, int | None]:
    """Runs one command's operation so that Ctrl-C, SIGTERM and SIGHUP
    cancel it (see :mod:`drillmaster._cancellable`)."""
    return _cancellable.run(
        session, fn, left_behind="containers may be left half-started (run stop to clean up)"
    )


def _operate(
    session: Session,
    services: list[str],
    verbose: bool,
    quiet: bool,
    op: Callable[[Progress], Report],
) -> tuple[Report, int | None]:
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


def _exit_for(report: Report, cancelled_by: int | None) -> int:
    if cancelled_by is not None:
        return _signals.exit_status(cancelled_by)
    if report.cancelled:
        return EXIT_CANCELLED
    return EXIT_FAILED if report.failures else EXIT_OK


def _finish(
    report: Report,
    cancelled_by: int | None,
    hook_kind: str,
    hook: Callable[..., object] | None,
    arg: object,
    *,
    also_on_failure: bool = False,
) -> NoReturn:
    """Ends an operation's command with the report's exit status; when it
    succeeded (``also_on_failure``: or some services failed, but no signal
    cancelled it), after the group hook (on_start_services...), which fails
    the command if it raises."""
    code = _exit_for(report, cancelled_by)
    wanted = code == EXIT_OK or (also_on_failure and code == EXIT_FAILED)
    if wanted and hook is not None:
        try:
            hook(arg)
        except Exception:  # noqa: BLE001 - the user's hook: show it, fail the command
            import traceback  # only on failure: a command's start-up stays short

            cause = traceback.format_exc().rstrip()
            raise CommandFailed(f"the {hook_kind} hook raised:\n{cause}") from None
    _exit_with(code)


def _exit_with(code: int) -> NoReturn:
    """Ends the command with this exit status (click's way: main() sees it)."""
    click.get_current_context().exit(code)


# ---- commands ----------------------------------------------------------------------


@click.group(cls=_Commands, invoke_without_command=True, subcommand_metavar="COMMAND [ARGS]...")
# Hidden: the group's --help is the seed's, word for word. The README
# documents it, as docker's own global --context.
@click.option(
    "--context",
    metavar="NAME",
    hidden=True,
    help="The docker context to use (as docker --context; default: DOCKER_HOST, "
    "DOCKER_CONTEXT, docker's current context, then the local sockets).",
)
# Hidden too, for the same reason; README.md, "Swarm", documents it.
@click.option(
    "--target",
    type=click.Choice(sorted(TARGETS)),
    envvar="DRILLMASTER_TARGET",
    default="local",
    hidden=True,
    help="Where start, stop and reload run the services: the engine's own containers "
    "(local) or the swarm it manages (swarm); default: DRILLMASTER_TARGET, else local.",
)
# Hidden as well; README.md, "Swarm", documents it.
@click.option(
    "--registry",
    metavar="HOST[:PORT][/PATH]",
    envvar="DRILLMASTER_REGISTRY",
    default=None,
    hidden=True,
    help="With --target swarm: the registry start and reload push the images they build "
    "to, for every node of the swarm (e.g. 127.0.0.1:5000/myteam); default: "
    "DRILLMASTER_REGISTRY, else none.",
)
@click.pass_context
def cli(ctx: click.Context, context: str | None, target: str, registry: str | None) -> None:
    """Run the services of this spec: start, stop, reload, status, logs."""
    if ctx.obj is None:
        ctx.obj = _Spec(os.getcwd())
    ctx.obj.context = context
    ctx.obj.target = target
    ctx.obj.registry = registry
    if ctx.invoked_subcommand is None:
        # The seed's documented way to see the commands: run the spec bare.
        click.echo(ctx.get_help())
        ctx.exit(EXIT_OK)


@cli.command()
@click.argument("services", nargs=-1, metavar="[SERVICE]...", type=_ServiceName())
@_exclude_option
@_network_option
@_seconds_option(
    "--timeout",
    "start",
    "Seconds a service may take to become ready.",
)
@_seconds_option(
    "--stop-timeout",
    "start",
    "Seconds an outdated container may take to stop before it is killed, when it is replaced "
    "(a service's stop_grace_period wins over it).",
)
@click.option(
    "--run-new-containers",
    is_flag=True,
    help="Create new containers instead of reusing existing ones.",
)
@click.option("--build", is_flag=True, help="Rebuild the images of services with build_from.")
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAMES",
    callback=_split_names,
    help="Profiles to enable, comma-separated; may be repeated (default: DRILLMASTER_PROFILES).",
)
@_verbosity_options
@click.pass_obj
def start(
    spec: _Spec,
    services: tuple[str, ...],
    exclude: tuple[str, ...],
    network_name: str | None,
    timeout: float,
    stop_timeout: float,
    run_new_containers: bool,
    build: bool,
    profiles: tuple[str, ...],
    verbose: bool,
    quiet: bool,
) -> None:
    """Start the services, each once its dependencies are running: all of
    them, or the SERVICEs named and what they depend on. A service with
    profiles starts only when one of them is enabled, or when named."""
    session = spec.session(network_name)
    session.check(exclude)
    session.check_context()
    names = [n for n in session.names if n not in exclude]
    report, cancelled_by = _operate(
        session,
        names,
        verbose,
        quiet,
        lambda progress: session.start(
            exclude=exclude,
            timeout=timeout,
            run_new_containers=run_new_containers,
            build=build,
            stop_timeout=stop_timeout,
            on_event=progress,
            only=services,
            profiles=profiles or None,
        ),
    )
    # As the predecessor did: the hook gets the services that did start,
    # also when others failed (the command still exits 1).
    _finish(
        report,
        cancelled_by,
        "on_start_services",
        settings.on_start,
        report.succeeded,
        also_on_failure=True,
    )


@cli.command()
@_exclude_option
@_network_option
@click.option("--remove", is_flag=True, help="Also remove the containers and the network.")
@_seconds_option(
    "--timeout",
    "stop",
    "Seconds each container may take to stop before it is killed (its grace "
    "period; whole seconds, a fraction is rounded up). A service's stop_grace_period "
    "wins over it.",
)
@_verbosity_options
@click.pass_obj
def stop(
    spec: _Spec,
    exclude: tuple[str, ...],
    network_name: str | None,
    remove: bool,
    timeout: float,
    verbose: bool,
    quiet: bool,
) -> None:
    """Stop the services, dependants first."""
    session = spec.session(network_name)
    session.check_stop(exclude)
    names = [n for n in session.names if n not in exclude]
    report, cancelled_by = _operate(
        session,
        names,
        verbose,
        quiet,
        lambda progress: session.stop(
            exclude=exclude, timeout=timeout, remove=remove, on_event=progress
        ),
    )
    _finish(report, cancelled_by, "on_stop_services", settings.on_stop, report.succeeded)


@cli.command()
@click.argument("service", type=_ServiceName())
@click.option("--remove", is_flag=True, help="Remove the old containers.")
@_seconds_option(
    "--timeout",
    "reload",
    "Seconds a service may take to become ready.",
)
@_seconds_option(
    "--stop-timeout",
    "reload",
    "Seconds each container it stops may take to stop before it is killed (a service's "
    "stop_grace_period wins over it).",
)
@click.option(
    "--run-new-containers",
    is_flag=True,
    help="Create new containers for the dependants instead of restarting their existing ones.",
)
@click.option(
    "--keep-dependants",
    is_flag=True,
    help="Leave the dependants running as they are: neither stopped nor restarted.",
)
@_network_option
@_verbosity_options
@click.pass_obj
def reload(
    spec: _Spec,
    service: str,
    remove: bool,
    timeout: float,
    stop_timeout: float,
    run_new_containers: bool,
    keep_dependants: bool,
    network_name: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Rebuild SERVICE and restart it and its dependants."""
    session = spec.session(network_name)
    session.check()
    session.check_context()
    names = [service] if keep_dependants else [service, *session.dependants(service)]
    report, cancelled_by = _operate(
        session,
        names,
        verbose,
        quiet,
        lambda progress: session.reload(
            service,
            timeout=timeout,
            remove=remove,
            stop_timeout=stop_timeout,
            run_new_containers=run_new_containers,
            keep_dependants=keep_dependants,
            on_event=progress,
        ),
    )
    _finish(report, cancelled_by, "on_reload_service", settings.on_reload, service)


@cli.command()
@click.argument("services", nargs=-1, metavar="[SERVICE]...", type=_ServiceName())
@_seconds_option(
    "--timeout",
    "watch",
    "Seconds a service may take to become ready, at the start and after a restart or rebuild.",
)
@_seconds_option(
    "--stop-timeout",
    "watch",
    "Seconds each container a restart or rebuild stops may take to stop before it is killed "
    "(a service's stop_grace_period wins over it).",
)
@_network_option
@_verbosity_options
@click.pass_obj
def watch(
    spec: _Spec,
    services: tuple[str, ...],
    timeout: float,
    stop_timeout: float,
    network_name: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Start the services (all, or the SERVICEs named and what they depend
    on), then follow their watch rules as files are saved: sync them into the
    running container, restart it, or rebuild it, one line per action.

    A service built from a directory and without watch rules is rebuilt when
    its build context changes. Ctrl-C ends the watch; the services keep
    running.
    """
    session = spec.session(network_name)
    session.check_context()
    # The rules first: a bad one is reported before anything starts.
    loop = _watch_loop.WatchLoop(
        session,
        services,
        timeout=timeout,
        stop_timeout=stop_timeout,
        say=lambda line: click.echo(line, err=False),
    )
    report, cancelled_by = _operate(
        session,
        session.names,
        verbose,
        quiet,
        lambda progress: session.start(
            timeout=timeout, stop_timeout=stop_timeout, on_event=progress, only=services
        ),
    )
    if cancelled_by is not None or report.cancelled or report.failures:
        _exit_with(_exit_for(report, cancelled_by))
    try:
        cancelled_by = loop.run()
    except KeyboardInterrupt:
        cancelled_by = signal.SIGINT
    except _signals.Interrupted as exc:
        cancelled_by = exc.signum
    click.echo(f"{_signals.describe(cancelled_by)}: stopped watching; the services keep running.")
    _exit_with(_signals.exit_status(cancelled_by))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def status(spec: _Spec, as_json: bool) -> None:
    """Show each service's container, state and ports.

    ps is another name for this command.
    """
    session = spec.session()
    engines: list[_core.Client] = []
    session.on_connect = engines.append
    rows = session.status()
    if as_json:
        # The JSON stays a list of services, the shape scripts already read.
        click.echo(_status_json(rows))
        return
    click.echo(_status_table(rows))
    if engines:
        click.echo(f"\n{_engine_line(engines[0])}")


cli.add_command(status, "ps")


def _status_json(rows: list[ServiceStatus]) -> str:
    import json  # only for --json: a command's start-up stays short

    return json.dumps(
        [
            {
                "service": r.service,
                "state": r.state,
                "status": r.status_text,
                "health": r.health,
                "container_id": r.container_id,
                "container_name": r.container_name,
                "image": r.image,
                "ports": r.ports,
                "outdated": r.outdated,
                "published": [
                    {
                        "container_port": p.container_port,
                        "host_ip": p.host_ip,
                        "host_port": p.host_port,
                    }
                    for p in r.published
                ],
            }
            for r in rows
        ],
        indent=2,
    )


def _engine_line(client: _core.Client) -> str:
    """Which engine answered, and how it was found: the first thing to check
    when status shows nothing that was expected."""
    return f"engine: {describe_engine(client)}, found by {client.found_by}"


def _status_table(rows: list[ServiceStatus]) -> str:
    table = [("SERVICE", "CONTAINER", "STATE", "STATUS", "PORTS")]
    for r in rows:
        state = r.state + (" (outdated)" if r.outdated else "")
        if r.health:
            state += f" ({r.health})"
        table.append(
            (r.service, r.container_name or "-", state, r.status_text or "-", r.ports or "-")
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table
    )


_PREFIX_COLORS = ["cyan", "magenta", "blue", "green", "yellow", "bright_cyan", "bright_magenta"]


@cli.command()
@click.argument("services", nargs=-1, metavar="[SERVICE]...", type=_ServiceName())
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines until Ctrl-C.")
@click.option(
    "--tail",
    type=int,
    default=DEFAULTS["logs"]["tail"],
    metavar="N",
    help="Only the last N lines of each service (default: all).",
)
@click.pass_obj
def logs(spec: _Spec, services: tuple[str, ...], follow: bool, tail: int) -> None:
    """Print the containers' output, each line prefixed by its service."""
    session = spec.session()
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

    cancelled, cancelled_by = _run_cancellable(
        session, lambda: session.logs(line, services=services, follow=follow, tail=tail)
    )
    if cancelled_by is not None:
        _exit_with(_signals.exit_status(cancelled_by))
    _exit_with(EXIT_CANCELLED if cancelled else EXIT_OK)


@cli.command()
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(["mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="Mermaid (GitHub renders it in ```mermaid blocks) or Graphviz DOT (dot -Tsvg).",
)
@click.option(
    "--status",
    "with_status",
    is_flag=True,
    help="Colour each service by its container's state (asks the engine).",
)
@click.pass_obj
def graph(spec: _Spec, graph_format: str, with_status: bool) -> None:
    """Print the dependency graph: an arrow from each service to each one it
    depends on, each service labelled with its image."""
    click.echo(spec.session().graph(format=graph_format, status=with_status), nl=False)


# ---- commands in containers -----------------------------------------------------------

# After SERVICE everything is the command's: its options are not ours.
_COMMAND_LINE = {"ignore_unknown_options": True, "allow_interspersed_args": False}


@contextlib.contextmanager
def _terminal(tty: bool) -> Iterator[None]:
    """With ``tty``: stdin's terminal in raw mode for the command's length
    (keys, Ctrl-C among them, go to the container's TTY as they are
    typed), restored after."""
    if not tty:
        yield
        return
    import termios
    import tty as tty_modes

    saved = termios.tcgetattr(0)
    tty_modes.setraw(0)
    try:
        yield
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)


def _wants_tty(no_tty: bool) -> bool:
    """A TTY when stdin and stdout are terminals, as Compose's exec and run."""
    return not no_tty and sys.stdin.isatty() and sys.stdout.isatty()


def _command_words(command: tuple[str, ...]) -> list[str]:
    """The command after SERVICE, without the ``--`` that may separate them."""
    words = list(command)
    return words[1:] if words[:1] == ["--"] else words


def _flush() -> None:
    """What Python buffered goes out before the library writes to the descriptors."""
    sys.stdout.flush()
    sys.stderr.flush()


@cli.command("exec", context_settings=_COMMAND_LINE)
@click.argument("service", type=_ServiceName())
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED, metavar="-- COMMAND...")
@click.option("-T", "--no-tty", is_flag=True, help="No TTY, even when stdin is a terminal.")
@click.option("-u", "--user", metavar="USER", help="Run as this user (name, uid or uid:gid).")
@click.option("-w", "--workdir", metavar="DIR", help="Run in this directory of the container.")
@click.pass_obj
def exec_(
    spec: _Spec,
    service: str,
    command: tuple[str, ...],
    no_tty: bool,
    user: str | None,
    workdir: str | None,
) -> None:
    """Run COMMAND in SERVICE's running container; exit with its status.

    stdin goes to the command; a TTY when stdin is a terminal (-T: none).
    """
    session = spec.session()
    words = _command_words(command)
    if not words:
        raise click.UsageError("give the command to run after SERVICE, e.g. exec db -- psql")
    tty = _wants_tty(no_tty)
    _flush()
    with _terminal(tty):
        result, cancelled_by = _run_cancellable(
            session,
            lambda: session.exec(
                service,
                words,
                user=user,
                working_dir=workdir,
                stdin_fd=0,
                tty=tty,
                stdout_fd=1,
                stderr_fd=2,
            ),
        )
    if cancelled_by is not None:
        _exit_with(_signals.exit_status(cancelled_by))
    _exit_with(result.exit_code)


@cli.command("run", context_settings=_COMMAND_LINE)
@click.argument("service", type=_ServiceName())
@click.argument("command", nargs=-1, type=click.UNPROCESSED, metavar="[-- COMMAND...]")
@click.option("--keep", is_flag=True, help="Leave the container once it exited.")
@click.option("--publish", is_flag=True, help="Publish the service's ports (not done by default).")
@click.option("-T", "--no-tty", is_flag=True, help="No TTY, even when stdin is a terminal.")
@_seconds_option("--timeout", "run", "Seconds each dependency may take to become ready.")
@_seconds_option(
    "--stop-timeout", "run", "Seconds the container may take to stop on Ctrl-C before it is killed."
)
@_network_option
@click.pass_obj
def run(
    spec: _Spec,
    service: str,
    command: tuple[str, ...],
    keep: bool,
    publish: bool,
    no_tty: bool,
    timeout: float,
    stop_timeout: float,
    network_name: str | None,
) -> None:
    """Run a one-off container of SERVICE (COMMAND instead of its own),
    after starting its dependencies; exit with its status.

    stdin and the output are attached (a TTY when stdin is a terminal; -T:
    none). It publishes no ports unless --publish, and is removed once it
    exited unless --keep; Ctrl-C stops and removes it.
    """
    session = spec.session(network_name)
    tty = _wants_tty(no_tty)
    _flush()
    with _terminal(tty):
        (code, report), cancelled_by = _run_cancellable(
            session,
            lambda: session.run(
                service,
                _command_words(command) or None,
                keep=keep,
                publish=publish,
                tty=tty,
                stdin_fd=0,
                stdout_fd=1,
                stderr_fd=2,
                timeout=timeout,
                stop_timeout=stop_timeout,
            ),
        )
    if cancelled_by is not None:
        _exit_with(_signals.exit_status(cancelled_by))
    if code is None:  # a dependency failed, or cancelled before it ran
        print_summary(report, quiet=True)
        _exit_with(_exit_for(report, None) or EXIT_FAILED)
    _exit_with(code)


# ---- entry point ---------------------------------------------------------------------


def _spec_directory() -> str:
    main_module = sys.modules.get("__main__")
    path = getattr(main_module, "__file__", None)
    return os.path.dirname(os.path.abspath(path)) if path else os.getcwd()


def main(
    directory: str | None = None,
    *,
    args: Sequence[str] | None = None,
    prog_name: str | None = None,
    standalone_mode: bool = True,
) -> Any:
    """The spec's command line: ``start``, ``stop``, ``reload``, ``status``
    (``ps``), ``logs`` and ``graph``.

    Call it at the end of a spec script. ``directory`` is the spec's
    directory (default: the directory of the running script); it names the
    group by default and holds ``.drillmaster-context``. What the command
    needs (the signal handlers, the guard of the exit while a hook runs) is
    installed for its duration only.
    """
    spec = _Spec(directory or _spec_directory())
    with _exit.guarded(), _signals.handled():
        try:
            return cli.main(
                args=list(args) if args is not None else None,
                prog_name=prog_name,
                obj=spec,
                standalone_mode=standalone_mode,
            )
        except _signals.Interrupted as exc:
            # Outside an operation (loading, a group hook): nothing to wind
            # down, so the process ends as the signal would have ended it.
            sys.exit(_signals.exit_status(exc.signum))
