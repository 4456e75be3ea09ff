"""Reading compose files for ``convert``: YAML with lines, ``extends``, the
override file, and Compose's merge rules.

The values stay as written (``${VAR}`` included): ``convert`` turns them
into Python afterwards. A mapping read here is a :class:`Node` that knows
the line of each key and the anchors merged into it (``<<: *common``),
which become shared base classes.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

__all__ = ["ComposeError", "Node", "load_project"]


class ComposeError(Exception):
    """A file ``convert`` cannot read: exit status 2, with the file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


class Node(dict):
    """A YAML mapping: ``lines`` (key -> line), ``line`` (its own), ``path``
    (its file) and ``merged`` (the anchors merged in with ``<<``, as
    (name, mapping))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.line = 1
        self.path = ""
        self.merged: list[tuple[str, Node]] = []

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class Reset:
    """``!reset``: the key is removed by the merge."""

    def __repr__(self) -> str:
        return "!reset"


class Override:
    """``!override value``: the value replaces what it is merged with."""

    def __init__(self, value: Any) -> None:
        self.value = value


class _Loader(yaml.SafeLoader):
    path = ""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        node = super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        if anchor and not hasattr(node, "dm_anchor"):
            node.dm_anchor = anchor
        return node


def _anchors(node: yaml.MappingNode) -> list[yaml.Node]:
    merged = []
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            merged += value.value if isinstance(value, yaml.SequenceNode) else [value]
    return merged


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = Node()
    data.line = node.start_mark.line + 1
    data.path = loader.path
    yield data
    for anchor in _anchors(node):
        name = getattr(anchor, "dm_anchor", None)
        if name and isinstance(anchor, yaml.MappingNode):
            data.merged.append((name, loader.construct_object(anchor, deep=True)))
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except TypeError:
            raise ComposeError(
                loader.path, key_node.start_mark.line + 1, f"a key cannot be {key!r}"
            ) from None
        data.lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("!reset", lambda loader, node: Reset())
_Loader.add_constructor(
    "!override",
    lambda loader, node: Override(
        _mapping_of(loader, node)
        if isinstance(node, yaml.MappingNode)
        else loader.construct_sequence(node, deep=True)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_scalar(node)
    ),
)


def _mapping_of(loader: _Loader, node: yaml.MappingNode) -> Node:
    generator = _mapping(loader, node)
    data = next(generator)
    for _ in generator:
        pass
    return data


def load(path: str) -> Node:
    """A compose file: a mapping with ``services``; ComposeError otherwise."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except OSError as exc:
        raise ComposeError(path, 1, f"cannot read it: {exc.strerror}") from None
    loader = _Loader(text)
    loader.path = path
    try:
        doc = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ComposeError(path, mark.line + 1 if mark else 1, f"not YAML: {problem}") from None
    finally:
        loader.dispose()
    _check(path, doc)
    return doc


def _check(path: str, doc: Any) -> None:
    if not isinstance(doc, Node):
        raise ComposeError(path, 1, "not a compose file: expected a mapping with 'services'")
    services = doc.get("services")
    if not isinstance(services, Node):
        raise ComposeError(
            path,
            doc.line_of("services"),
            "not a compose file: 'services' must be a mapping of service names to definitions"
            if "services" in doc
            else "not a compose file: it has no 'services'",
        )
    for name, service in services.items():
        if not isinstance(service, Node):
            raise ComposeError(
                path, services.line_of(name), f"service {name!r}: expected a mapping"
            )


# ---- merging, as Compose merges -----------------------------------------------------------

#: Sequences an override replaces rather than extends.
_REPLACED = {"command", "entrypoint", "healthcheck.test", "dns", "dns_search"}
#: Keys written as a mapping or as a list of "KEY=value".
MAPPING_LIKE = {"environment", "labels", "annotations", "build.args", "sysctls", "extra_hosts"}


def as_mapping(value: Any, colon: bool = False) -> Any:
    """A list of "KEY=value" (or "KEY" alone: None; with ``colon``, also
    "KEY:value", as extra_hosts) as a dict; anything else as is."""
    if not isinstance(value, list):
        return value
    out: dict[str, Any] = {}
    for item in value:
        text = str(item)
        sep = ":" if colon and "=" not in text else "="
        key, found, rest = text.partition(sep)
        out[key.strip()] = rest if found else None
    return out


def _normalised(path: str, value: Any) -> Any:
    if path in MAPPING_LIKE and isinstance(value, list):
        return as_mapping(value, colon=path == "extra_hosts")
    if path == "depends_on" and isinstance(value, list):
        return {str(name): {"condition": "service_started"} for name in value}
    return value


def _mount_target(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("target", repr(item))
    text = str(item)
    parts = text.split(":")
    return parts[1] if len(parts) > 1 else parts[0]


_BY_TARGET = {"volumes", "devices", "secrets", "configs"}


def _merge_lists(path: str, base: list, over: list) -> list:
    if path in _REPLACED:
        return over
    if path in _BY_TARGET:
        targets = {_mount_target(item) for item in over}
        return [item for item in base if _mount_target(item) not in targets] + over
    return base + [item for item in over if item not in base]


def merge(base: Any, over: Any, path: str = "") -> Any:
    """``over`` merged into ``base`` by Compose's rules: mappings key by key,
    "KEY=value" lists as mappings, command-like sequences replaced, mounts
    by target, other sequences appended; ``!reset`` removes, ``!override``
    replaces."""
    if isinstance(over, Override):
        return over.value
    base, over = _normalised(path, base), _normalised(path, over)
    if isinstance(base, dict) and isinstance(over, dict):
        out = Node(base)
        if isinstance(base, Node):
            out.lines, out.line, out.path, out.merged = dict(base.lines), base.line, base.path, []
            out.merged = list(base.merged)
        for key, value in over.items():
            if isinstance(value, Reset):
                out.pop(key, None)
                continue
            inner = f"{path}.{key}" if path else str(key)
            out[key] = merge(base[key], value, inner) if key in base else _plain(value)
            if isinstance(over, Node):
                out.lines[key] = over.line_of(key)
        if isinstance(over, Node):
            out.merged += [m for m in over.merged if m not in out.merged]
        return out
    if isinstance(base, list) and isinstance(over, list):
        return _merge_lists(path, base, over)
    return _plain(over)


def _plain(value: Any) -> Any:
    """A value without !override / !reset markers."""
    if isinstance(value, Override):
        return value.value
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if isinstance(v, Reset)]:
            del value[key]
    return value


# ---- extends and the override file -----------------------------------------------------


def _extended(files: dict[str, Node], path: str, name: str, seen: tuple) -> Node:
    """Service ``name`` of the file ``path`` with its ``extends`` resolved."""
    services = files[path]["services"]
    service = services[name]
    if "extends" not in service:
        return service
    line = service.line_of("extends")
    spec = service["extends"]
    if isinstance(spec, str):
        spec = {"service": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("service"), str):
        raise ComposeError(path, line, f"service {name!r}: extends needs a 'service' name")
    target = path
    if spec.get("file"):
        target = os.path.join(os.path.dirname(path), str(spec["file"]))
        if not os.path.isfile(target):
            raise ComposeError(
                path, line, f"service {name!r}: extends from {spec['file']!r}, which does not exist"
            )
        if target not in files:
            files[target] = load(target)
    if spec["service"] not in files[target]["services"]:
        raise ComposeError(
            path, line, f"service {name!r}: extends {spec['service']!r}, which {target} lacks"
        )
    if (target, spec["service"]) in seen:
        raise ComposeError(path, line, f"service {name!r}: extends itself through {seen}")
    base = _extended(files, target, spec["service"], (*seen, (path, name)))
    own = Node(service)
    own.lines, own.line, own.path, own.merged = service.lines, service.line, path, service.merged
    del own["extends"]
    merged = merge(_without(base, ("depends_on",)), own)
    merged.path = path
    return merged


def _without(service: Node, keys: tuple) -> Node:
    out = Node({k: v for k, v in service.items() if k not in keys})
    out.lines, out.line, out.path, out.merged = service.lines, service.line, service.path, []
    out.merged = list(service.merged)
    return out


def override_of(path: str) -> str | None:
    """Compose's override file beside ``path`` (compose.yaml ->
    compose.override.yaml or .yml), or None."""
    directory, base = os.path.split(path)
    stem = base.rsplit(".", 1)[0]
    for ext in ("yaml", "yml"):
        candidate = os.path.join(directory, f"{stem}.override.{ext}")
        if os.path.isfile(candidate):
            return candidate
    return None


def load_project(path: str) -> tuple[Node, list[str]]:
    """The compose file at ``path`` merged with its override file, extends
    resolved; and the files read."""
    files = {path: load(path)}
    names = [path]
    override = override_of(path)
    if override:
        files[override] = load(override)
        names.append(override)
    project: Node | None = None
    for name in names:
        doc = files[name]
        resolved = Node(doc)
        resolved.lines, resolved.line, resolved.path = doc.lines, doc.line, name
        services = Node()
        services.lines, services.path = doc["services"].lines, name
        for service in doc["services"]:
            services[service] = _extended(files, name, service, ())
        resolved["services"] = services
        project = resolved if project is None else _merge_projects(project, resolved)
    assert project is not None
    return project, names


def _merge_projects(project: Node, override: Node) -> Node:
    """Top-level keys merged, and each service merged on its own (the merge
    rules' paths start at the service)."""
    services = project["services"]
    merged = merge(
        {k: v for k, v in project.items() if k != "services"},
        {k: v for k, v in override.items() if k != "services"},
    )
    out = Node(merged)
    out.lines, out.line, out.path = project.lines, project.line, project.path
    both = Node(services)
    both.lines, both.path = dict(services.lines), services.path
    for name, service in override["services"].items():
        both[name] = merge(services[name], service) if name in services else service
        both.lines.setdefault(name, override["services"].line_of(name))
    out["services"] = both
    return out
