"""Docker Compose's service keys, and what each is in drillmaster: one table.

Every key of the Compose service reference has one row in :data:`KEYS`. A
key that a drillmaster attribute maps is found through the field table
(``field(..., compose="...")`` in :mod:`drillmaster._fields`), never written
here again; a key that none maps says why (``instead``), and, when the
engine's create request has a place for it, which one (``host_config`` or
``config``: ``create_options = {"HostConfig": {...}}`` or
``{"<key>": ...}``). ``convert`` carries the value of such a key over into
``create_options`` when the row has no ``instead``: Compose's value is then
the engine's own.

Three readers derive from it: the advice a service class gets for an
attribute named as Compose names it (:func:`advice`), ``drillmaster
convert`` (:mod:`drillmaster._convert`), and the README's "Coming from
Compose" table (:func:`markdown_table`, checked by the tests).
"""

from __future__ import annotations

import dataclasses
from typing import Iterator

from ._fields import FIELDS, Field

__all__ = ["KEYS", "Key", "advice", "field_for", "markdown_table", "mapped_sub_keys"]


@dataclasses.dataclass(frozen=True)
class Key:
    """One key of a Compose service. ``instead``: why no drillmaster
    attribute maps it and what to use (empty when a field maps it);
    ``host_config`` / ``config``: its place in the engine's create request,
    for ``create_options``."""

    compose: str
    instead: str = ""
    host_config: str = ""
    config: str = ""

    @property
    def create_options(self) -> str:
        """``create_options`` holding the key's value, as Python text ('' if none)."""
        if self.host_config:
            return f'create_options = {{"HostConfig": {{"{self.host_config}": ...}}}}'
        if self.config:
            return f'create_options = {{"{self.config}": ...}}'
        return ""

    def reason(self) -> str:
        """What a user writes instead (for a key no field maps)."""
        parts = [self.instead] if self.instead else []
        if self.create_options:
            parts.append(f"use {self.create_options}")
        return "; ".join(parts)


_SWARM = (
    "the rest of Compose's deployment settings (placement, update and rollback configs, "
    "reservations) are not carried"
)
_NOT_PULLED = "drillmaster runs the image the engine has (or builds it)"

#: Every key of the Compose service reference, in its order.
KEYS: tuple[Key, ...] = (
    Key("annotations", "Engine API 1.43 and later", host_config="Annotations"),
    Key("attach", "drillmaster does not attach to service output; use `./spec.py logs SERVICE`"),
    Key("blkio_config", "block I/O limits", host_config="BlkioWeight"),
    Key("build"),
    Key("cap_add"),
    Key("cap_drop"),
    Key("cgroup", host_config="CgroupnsMode"),
    Key("cgroup_parent", host_config="CgroupParent"),
    Key("command"),
    Key(
        "configs",
        'no config objects: mount the file with `volumes` (`["./app.conf:/app.conf:ro"]`)',
    ),
    Key(
        "container_name",
        "drillmaster names each container `<group>-<service>-1` so that groups never clash; "
        "set the service's `name`",
    ),
    Key("cpu_count", "Windows only", host_config="CpuCount"),
    Key("cpu_percent", "Windows only", host_config="CpuPercent"),
    Key("cpu_shares", host_config="CpuShares"),
    Key("cpu_period", host_config="CpuPeriod"),
    Key("cpu_quota", host_config="CpuQuota"),
    Key("cpu_rt_runtime", host_config="CpuRealtimeRuntime"),
    Key("cpu_rt_period", host_config="CpuRealtimePeriod"),
    Key("cpus"),
    Key("cpuset", host_config="CpusetCpus"),
    Key("credential_spec", "Windows managed service accounts are not supported"),
    Key("depends_on"),
    Key(
        "deploy",
        _SWARM,
    ),
    Key("develop", "its watch rules are the attribute `watch` (`./spec.py watch`)"),
    Key("device_cgroup_rules", host_config="DeviceCgroupRules"),
    Key("devices", "as the engine's device mappings", host_config="Devices"),
    Key("dns", host_config="Dns"),
    Key("dns_opt", host_config="DnsOptions"),
    Key("dns_search", host_config="DnsSearch"),
    Key("domainname", config="Domainname"),
    Key(
        "driver_opts",
        "the group has one network, created by drillmaster; its driver options are not set "
        "per service",
    ),
    Key("entrypoint"),
    Key("env_file"),
    Key("environment"),
    Key(
        "expose",
        "not needed: every service reaches every port of another on the group network",
    ),
    Key(
        "extends",
        "derive the class from another (a base class with `abstract = True` is not a "
        "service itself); `drillmaster convert` resolves `extends`",
    ),
    Key(
        "external_links",
        "containers outside the group are not on its network: reach them by their "
        "published address",
    ),
    Key("extra_hosts"),
    Key("gpus", "as the engine's device requests", host_config="DeviceRequests"),
    Key("group_add", host_config="GroupAdd"),
    Key("healthcheck"),
    Key("hostname"),
    Key("image"),
    Key("init"),
    Key("ipc", host_config="IpcMode"),
    Key("isolation", "Windows only", host_config="Isolation"),
    Key("labels"),
    Key("label_file", "read the file in the spec and set the labels"),
    Key(
        "links",
        "not needed: services reach each other by name on the group network",
    ),
    Key("logging", "the engine's log configuration", host_config="LogConfig"),
    Key("mac_address", config="MacAddress"),
    Key("mem_limit"),
    Key("mem_reservation", "in bytes", host_config="MemoryReservation"),
    Key("mem_swappiness", host_config="MemorySwappiness"),
    Key("memswap_limit", "in bytes", host_config="MemorySwap"),
    Key("models", "Docker Model Runner's models are not supported"),
    Key(
        "network_mode",
        "every service joins its group's network, which drillmaster manages",
    ),
    Key(
        "networks",
        "a group has one network (`--network-name`, `Session(network_name=...)`); the "
        "service is reachable there under its `name`",
    ),
    Key("oom_kill_disable", host_config="OomKillDisable"),
    Key("oom_score_adj", host_config="OomScoreAdj"),
    Key("pid", host_config="PidMode"),
    Key("pids_limit", host_config="PidsLimit"),
    Key("platform", _NOT_PULLED + ", for the engine's platform"),
    Key("ports"),
    Key(
        "post_start",
        "the hook `def post_start_init(self)` (or `post_start`) runs on the host once the "
        "service is ready",
    ),
    Key(
        "pre_stop",
        "Compose's commands run in the container before it stops; drillmaster's `def "
        "pre_stop(self)` runs on the host before the stop, and can `self.exec([...])` there",
    ),
    Key("privileged"),
    Key("profiles"),
    Key("provider", "Compose's provider services are not supported"),
    Key("pull_policy", _NOT_PULLED),
    Key("pull_refresh_after", _NOT_PULLED),
    Key("read_only"),
    Key("restart"),
    Key("runtime", host_config="Runtime"),
    Key(
        "scale",
        "`replicas` on a swarm target (`--target swarm`); the local target runs one container "
        "per service: define a class per instance (sharing a base class with `abstract = True`)",
    ),
    Key("secrets"),
    Key("security_opt", host_config="SecurityOpt"),
    Key("shm_size"),
    Key("stdin_open", "a service's container has no stdin", config="OpenStdin"),
    Key("stop_grace_period"),
    Key("stop_signal"),
    Key("storage_opt", host_config="StorageOpt"),
    Key("sysctls", host_config="Sysctls"),
    Key("tmpfs"),
    Key("tty", "a service's container has no terminal: `docker exec -it CONTAINER sh` gives one"),
    Key("ulimits"),
    Key(
        "use_api_socket",
        "mount the engine's socket with `volumes` (`[\"/var/run/docker.sock:/var/run/"
        'docker.sock"]`)',
    ),
    Key("user"),
    Key("userns_mode", host_config="UsernsMode"),
    Key("uts", host_config="UTSMode"),
    Key("volumes"),
    Key("volumes_from", "the engine's volumes-from, by container name", host_config="VolumesFrom"),
    Key("working_dir"),
)

_BY_NAME = {key.compose: key for key in KEYS}


#: Sub-keys that map to a field whose own Compose key is another (Compose
#: says the same thing twice): written once here.
ALSO: dict[str, str] = {
    "deploy.resources.limits.memory": "mem_limit",
    "deploy.resources.limits.cpus": "cpus",
    "deploy.restart_policy": "restart",
}


def _fields_by_compose() -> dict[str, Field]:
    by_name = {f.name: f for f in FIELDS}
    also = {key: by_name[name] for key, name in ALSO.items() if name in by_name}
    return {**{f.compose: f for f in FIELDS if f.compose}, **also}


def field_for(compose: str) -> Field | None:
    """The field that maps the Compose key (``build.dockerfile`` for a sub-key)."""
    return _fields_by_compose().get(compose)


def mapped_sub_keys(compose: str) -> dict[str, Field]:
    """The fields that map sub-keys of ``compose`` (``build`` -> ``dockerfile``...),
    by sub-key."""
    prefix = compose + "."
    return {
        key[len(prefix) :]: f for key, f in _fields_by_compose().items() if key.startswith(prefix)
    }


def key(compose: str) -> Key | None:
    return _BY_NAME.get(compose)


def _spelling(compose: str) -> str:
    """How drillmaster spells the key (with its mapped sub-keys), or ''."""
    f = field_for(compose)
    if f is None:
        return ""
    subs = mapped_sub_keys(compose)
    shown = f"`{f.name}`"
    if subs:
        shown += " (" + ", ".join(f"`{sub}`: `{g.name}`" for sub, g in subs.items()) + ")"
    return shown


def advice(attr: str) -> str | None:
    """For an attribute named as Compose names a service key that no
    drillmaster attribute maps: why, and what to write instead; None for
    any other name."""
    row = _BY_NAME.get(attr)
    if row is None or attr in {f.name for f in FIELDS}:
        return None
    if field_for(attr) is not None:
        return None  # spelled otherwise: the near-miss check names the field
    return f"Compose's {attr!r} is not supported by drillmaster: {row.reason()}"


def rows() -> Iterator[tuple[str, str]]:
    """(Compose key, drillmaster spelling or why none) for every key."""
    for row in KEYS:
        subs = mapped_sub_keys(row.compose)
        text = _spelling(row.compose) or row.reason()
        if subs and field_for(row.compose) is None:
            text += "; " + ", ".join(f"`{sub}`: `{f.name}`" for sub, f in subs.items())
        yield row.compose, text


def markdown_table() -> str:
    """The README's "Coming from Compose" table."""
    lines = ["| Compose | drillmaster |", "| --- | --- |"]
    lines += [f"| `{compose}` | {text} |" for compose, text in rows()]
    return "\n".join(lines) + "\n"
