"""Type stubs of drillmaster._core, the pybind11 module over the C API."""

from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

HEADER_VERSION: str
OK: int
TARGET_LOCAL: int
TARGET_SWARM: int
EINVALID: int
ENOTFOUND: int
ECONFLICT: int
EUNREACHABLE: int
EENGINE: int
ETIMEOUT: int
EHOOK: int
ECANCELLED: int
EFAILED: int
ENOMEM: int
EINTERNAL: int
PHASE_BUILDING: int
PHASE_PULLING: int
PHASE_PRE_START: int
PHASE_CREATING: int
PHASE_STARTING: int
PHASE_PINGING: int
PHASE_INITIALISING: int
PHASE_RUNNING: int
PHASE_STOPPING: int
PHASE_STOPPED: int
PHASE_REMOVED: int
PHASE_FAILED: int
PHASE_SKIPPED: int
PHASE_DETAIL: int
PHASE_WAITING: int
OUTCOME_STARTED: int
OUTCOME_ALREADY_RUNNING: int
OUTCOME_RESTARTED: int
OUTCOME_RELOADED: int
OUTCOME_FAILED: int
OUTCOME_SKIPPED: int
OUTCOME_EXCLUDED: int
OUTCOME_CANCELLED: int
OUTCOME_STOPPED: int
OUTCOME_REMOVED: int
OUTCOME_NOT_RUNNING: int
OUTCOME_COMPLETED: int
OUTCOME_SYNCED: int
GROUP_NAME_MAX: int
WATCH_SYNC: int
WATCH_SYNC_RESTART: int
WATCH_REBUILD: int

def version() -> str: ...
def version_numbers() -> Tuple[int, int, int]: ...
def status_name(status: int) -> str: ...
def phase_name(phase: int) -> str: ...
def outcome_name(outcome: int) -> str: ...
def hooks_running() -> int: ...
def runtime_directory() -> str: ...
def defaults() -> Dict[str, Dict[str, Union[float, int, bool]]]: ...

class Client:
    def __init__(
        self,
        *,
        host: Optional[str] = ...,
        api_version: Optional[str] = ...,
        tls_verify: Optional[bool] = ...,
        cert_path: Optional[str] = ...,
        timeout: float = ...,
        context: Optional[str] = ...,
    ) -> None: ...
    def ping(self) -> None: ...
    @property
    def host(self) -> str: ...
    @property
    def found_by(self) -> str: ...
    @property
    def transport(self) -> str: ...
    @property
    def api_version(self) -> str: ...
    def engine_version(self) -> Tuple[str, str]: ...
    def host_port(self, container: str, container_port: Union[int, str]) -> Tuple[str, int]: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Client": ...
    def __exit__(self, *args: object) -> None: ...

class HookInfo:
    group: str
    service: str
    network: str
    container_id: Optional[str]
    container_name: Optional[str]
    def exec(
        self,
        argv: Sequence[str],
        *,
        timeout: float = ...,
        user: Optional[str] = ...,
        working_dir: Optional[str] = ...,
    ) -> Tuple[int, bytes, bytes]: ...

class Service:
    @property
    def name(self) -> str: ...
    def validate(self) -> None: ...
    def set_image(self, image: str) -> None: ...
    def add_dependency(self, name: str) -> None: ...
    def add_port(self, container_port: str, host_port: int) -> None: ...
    def set_env(self, name: str, value: str) -> None: ...
    def add_volume(self, spec: str) -> None: ...
    def add_bind(self, host_path: str, container_path: str, mode: Optional[str] = ...) -> None: ...
    def set_always_start_new(self, on: bool) -> None: ...
    def set_stop_signal(self, signal: str) -> None: ...
    def set_build(self, context_dir: str, dockerfile: Optional[str] = ...) -> None: ...
    def set_entrypoint(self, argv: Sequence[str]) -> None: ...
    def set_cmd(self, argv: Sequence[str]) -> None: ...
    def set_user(self, user: str) -> None: ...
    def set_healthcheck(
        self,
        test: Sequence[str],
        interval: float,
        timeout: float,
        retries: int,
        start_period: float,
    ) -> None: ...
    def set_timeout(self, seconds: float) -> None: ...
    def set_restart(self, policy: str) -> None: ...
    def add_tmpfs(self, mount: str) -> None: ...
    def set_read_only(self, on: bool) -> None: ...
    def set_init(self, on: bool) -> None: ...
    def set_privileged(self, on: bool) -> None: ...
    def add_cap_add(self, capability: str) -> None: ...
    def add_cap_drop(self, capability: str) -> None: ...
    def set_shm_size(self, size: str) -> None: ...
    def set_mem_limit(self, size: str) -> None: ...
    def set_cpus(self, cpus: float) -> None: ...
    def set_ulimit(self, name: str, soft: int, hard: int) -> None: ...
    def add_extra_host(self, host: str, address: str) -> None: ...
    def set_stop_grace_period(self, seconds: float) -> None: ...
    def set_prepare(self, fn: Callable[[HookInfo], Optional[Dict[str, str]]]) -> None: ...
    def set_pre_start(self, fn: Callable[[HookInfo], object]) -> None: ...
    def set_ping(self, fn: Callable[[HookInfo], object]) -> None: ...
    def set_post_start_init(self, fn: Callable[[HookInfo], object]) -> None: ...
    def set_oneshot(self, on: bool) -> None: ...
    def add_profile(self, profile: str) -> None: ...
    def set_pre_stop(self, fn: Callable[[HookInfo], object]) -> None: ...
    def set_hostname(self, hostname: str) -> None: ...
    def set_working_dir(self, path: str) -> None: ...
    def add_alias(self, alias: str) -> None: ...
    def set_label(self, name: str, value: str) -> None: ...
    def set_build_arg(self, name: str, value: str) -> None: ...
    def set_build_target(self, target: str) -> None: ...
    def add_env_file(self, path: str) -> None: ...
    def add_secret(self, name: str, path: str) -> None: ...
    def add_port_spec(self, spec: str) -> None: ...
    def set_create_options(self, json: str) -> None: ...
    def set_replicas(self, replicas: int) -> None: ...
    def add_watch(
        self,
        path: str,
        action: int,
        target: Optional[str] = ...,
        ignore: Sequence[str] = ...,
    ) -> None: ...

class ServiceResult:
    service: str
    outcome: int
    outcome_name: str
    reason: str
    container_id: str
    seconds: float

class Result:
    status: int
    status_name: str
    message: str
    cancelled: bool
    failures: int
    services: List[ServiceResult]

class PublishedPort:
    container_port: str
    host_ip: str
    host_port: int

class ServiceStatus:
    service: str
    state: str
    status_text: str
    health: str
    container_id: str
    container_name: str
    image: str
    ports: str
    outdated: bool
    published: List[PublishedPort]

class Event:
    service: Optional[str]
    phase: int
    phase_name: str
    message: str
    timestamp: float

EventCallback = Callable[[Event], object]

class Group:
    def __init__(self, name: str) -> None: ...
    @property
    def name(self) -> str: ...
    network_name: str
    directory: str
    def add_service(self, name: str, image: str) -> Service: ...
    @property
    def services(self) -> List[Service]: ...
    def find_service(self, name: str) -> Optional[Service]: ...
    def validate(self, exclude: Optional[Sequence[str]] = ...) -> None: ...
    def validate_stop(self, exclude: Optional[Sequence[str]] = ...) -> None: ...
    def start(
        self,
        client: Client,
        *,
        exclude: Optional[Sequence[str]] = ...,
        timeout: float = ...,
        run_new_containers: bool = ...,
        build: bool = ...,
        parallelism: int = ...,
        on_event: Optional[EventCallback] = ...,
        stop_timeout: float = ...,
        remove_on_exit: bool = ...,
        watch_pid: int = ...,
        only: Optional[Sequence[str]] = ...,
        profiles: Optional[Sequence[str]] = ...,
        target: int = ...,
        registry: str = ...,
    ) -> Result: ...
    def keep_on_exit(self) -> None: ...
    def stop(
        self,
        client: Client,
        *,
        exclude: Optional[Sequence[str]] = ...,
        timeout: float = ...,
        remove: bool = ...,
        on_event: Optional[EventCallback] = ...,
        target: int = ...,
    ) -> Result: ...
    def reload(
        self,
        client: Client,
        service: str,
        *,
        timeout: float = ...,
        remove: bool = ...,
        on_event: Optional[EventCallback] = ...,
        stop_timeout: float = ...,
        run_new_containers: bool = ...,
        keep_dependants: bool = ...,
        target: int = ...,
        registry: str = ...,
    ) -> Result: ...
    def cancel(self) -> None: ...
    def status(self, client: Client, *, target: int = ...) -> List[ServiceStatus]: ...
    def graph(self, *, format: str = ..., client: Optional[Client] = ...) -> str: ...
    def logs(
        self,
        client: Client,
        *,
        services: Optional[Sequence[str]] = ...,
        follow: bool = ...,
        tail: int = ...,
        callback: Callable[[str, int, str], object],
        target: int = ...,
    ) -> bool: ...
    def exec(
        self,
        client: Client,
        service: str,
        argv: Sequence[str],
        *,
        timeout: float = ...,
        user: Optional[str] = ...,
        working_dir: Optional[str] = ...,
        stdin_fd: int = ...,
        tty: bool = ...,
        stdout_fd: int = ...,
        stderr_fd: int = ...,
    ) -> Tuple[int, bytes, bytes]: ...
    def run(
        self,
        client: Client,
        service: str,
        *,
        command: Optional[Sequence[str]] = ...,
        keep: bool = ...,
        publish: bool = ...,
        tty: bool = ...,
        stdin_fd: int = ...,
        stdout_fd: int = ...,
        stderr_fd: int = ...,
        timeout: float = ...,
        stop_timeout: float = ...,
        on_event: Optional[EventCallback] = ...,
    ) -> Tuple[Optional[int], Result]: ...

def watch_action_name(action: int) -> str: ...

class WatchBatch:
    def entries(self) -> List[Tuple[str, int, List[Tuple[str, str, bool]]]]: ...
    def skipped(self) -> List[Tuple[str, str]]: ...
    def __len__(self) -> int: ...

class Watcher:
    def __init__(self, group: Group, services: Optional[Sequence[str]] = ...) -> None: ...
    def roots(self) -> List[str]: ...
    def route(self, paths: Sequence[str]) -> WatchBatch: ...
    def initial(self) -> WatchBatch: ...
    def copy_files(
        self,
        client: Client,
        service: str,
        files: Sequence[Tuple[str, str]],
        removed: Optional[Sequence[str]] = ...,
    ) -> List[str]: ...
    def restart_service(
        self,
        client: Client,
        service: str,
        *,
        timeout: float = ...,
        stop_timeout: float = ...,
        on_event: Optional[EventCallback] = ...,
    ) -> Result: ...
    def watch_apply(
        self,
        client: Client,
        batch: WatchBatch,
        index: int,
        *,
        timeout: float = ...,
        stop_timeout: float = ...,
        on_event: Optional[EventCallback] = ...,
    ) -> Result: ...
