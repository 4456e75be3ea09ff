"""Benchmark: ``reload app`` of a ten-service stack, beside Compose v2 and miniboss.

    python bench/reload.py [ROUNDS]      (default 5; at least 5)

Run by bench/run with the build's Python module on PYTHONPATH. The stack,
the same for each tool: ``app`` built from a copy of bench/reload-app, in
the middle of the graph (it needs db and cache; web and worker need it),
and eight busybox services sleeping. Each timed run first writes a new
version.txt into the tool's copy of the context, so every run builds a
changed image and replaces app's container:

- drillmaster: ``./spec.py reload app`` (Python's start-up included);
- Compose v2: ``docker compose up -d --build app``, when ``docker compose
  version`` works (bench/compose-install builds it);
- miniboss 0.4.5: ``./spec.py reload app``, when its package can be
  imported by this Python (bench/run tries to install it into its venv).

One warm-up run, then ROUNDS timed runs of each tool, alternated; the
medians and drillmaster's ratio to each. The seconds depend on the machine
and its load: read them against each other, from the same run.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peers import compose_found

IMAGE = "drillmaster-test/busybox:latest"
COMMAND = ["sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait"]
CONTEXT = Path(__file__).resolve().parent / "reload-app"
# name -> dependencies; app is built, the others run IMAGE.
STACK = {
    "db": [],
    "cache": [],
    "queue": [],
    "auth": ["db"],
    "app": ["db", "cache"],
    "web": ["app"],
    "worker": ["app", "queue"],
    "metrics": ["db"],
    "mail": ["queue"],
    "search": ["db"],
}

DRILLMASTER_SPEC = """#! {python}
import drillmaster

drillmaster.group_name({group!r})
for name, dependencies in {stack!r}.items():
    built = name == "app"
    type(name.title(), (drillmaster.Service,), {{
        "name": name, "image": {app_image!r} if built else {image!r},
        "dependencies": dependencies,
        **({{"build_from": "app"}} if built else {{"cmd": {command!r}}}),
    }})

if __name__ == "__main__":
    drillmaster.main()
"""

MINIBOSS_SPEC = """#! {python}
import miniboss

miniboss.group_name({group!r})
services = []  # miniboss finds its services as live subclasses: keep them
for name, dependencies in {stack!r}.items():
    built = name == "app"
    services.append(type(name.title(), (miniboss.Service,), {{
        "name": name, "image": {app_image!r} if built else {image!r},
        "dependencies": dependencies,
        **({{"build_from": "app"}} if built else {{"cmd": {command!r}}}),
    }}))

if __name__ == "__main__":
    miniboss.cli()
"""


def miniboss_found() -> bool:
    return importlib.util.find_spec("miniboss") is not None


def keep_dependants_found() -> bool:
    """Whether this drillmaster has ``reload --keep-dependants``."""
    import drillmaster

    return "keep_dependants" in inspect.signature(drillmaster.Session.reload).parameters


class Tool:
    """One tool's stack in ``directory``, with its own copy of the context."""

    name = ""

    def __init__(self, root: Path) -> None:
        self.directory = root / self.name
        self.directory.mkdir()
        shutil.copytree(CONTEXT, self.directory / "app")
        self.group = f"bench-reload-{self.name}"
        self.app_image = f"{self.group}/app:latest"
        self.edits = 0

    def run(self, args: list[str], check: bool = True) -> float:
        began = time.perf_counter()
        done = subprocess.run(args, cwd=self.directory, capture_output=True, check=False)
        seconds = time.perf_counter() - began
        if done.returncode != 0 and check:
            errors = done.stderr.decode(errors="replace").strip()
            raise SystemExit(f"{self.name}: {' '.join(args)} failed:\n{errors}")
        return seconds

    def edit(self) -> None:
        self.edits += 1
        (self.directory / "app" / "version.txt").write_text(f"{self.name} {self.edits}\n")

    def timed_reload(self) -> float:
        self.edit()
        return self.reload()

    def start(self) -> None:
        raise NotImplementedError

    def reload(self) -> float:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def write_spec(self, template: str) -> str:
        """The stack as a spec script of the tool (`template`), executable."""
        spec = self.directory / "spec.py"
        spec.write_text(
            template.format(
                python=sys.executable,
                group=self.group,
                stack=STACK,
                app_image=self.app_image,
                image=IMAGE,
                command=COMMAND,
            )
        )
        spec.chmod(0o755)
        return str(spec)

    def remove_image(self) -> None:
        subprocess.run(["docker", "rmi", "-f", self.app_image], capture_output=True, check=False)


class Drillmaster(Tool):
    name = "drillmaster"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.spec = self.write_spec(DRILLMASTER_SPEC)

    def start(self) -> None:
        self.run([self.spec, "start", "-q"])

    def reload(self) -> float:
        return self.run([self.spec, "reload", "app", "-q"])

    def stop(self) -> None:
        self.run([self.spec, "stop", "--remove", "-q"], check=False)


class DrillmasterKeep(Drillmaster):
    """``reload app --keep-dependants``: web and worker keep running, as
    Compose's ``up -d --build app`` leaves them."""

    name = "drillmaster-keep"

    def reload(self) -> float:
        return self.run([self.spec, "reload", "app", "--keep-dependants", "-q"])


class Compose(Tool):
    name = "compose"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        services = {
            name: {
                **(
                    {"build": {"context": "app"}, "image": self.app_image}
                    if name == "app"
                    else {"image": IMAGE, "command": COMMAND}
                ),
                **({"depends_on": dependencies} if dependencies else {}),
            }
            for name, dependencies in STACK.items()
        }
        document = {
            "name": self.group,
            "services": services,
            "networks": {"default": {"name": self.group}},
        }
        (self.directory / "compose.yaml").write_text(json.dumps(document))  # JSON is YAML

    def start(self) -> None:
        self.run(["docker", "compose", "up", "-d", "--build", "--quiet-pull"])

    def reload(self) -> float:
        return self.run(["docker", "compose", "up", "-d", "--build", "app"])

    def stop(self) -> None:
        self.run(["docker", "compose", "down", "-t", "1"], check=False)


class Miniboss(Tool):
    name = "miniboss"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.spec = self.write_spec(MINIBOSS_SPEC)

    def start(self) -> None:
        self.run([self.spec, "start"])

    def reload(self) -> float:
        return self.run([self.spec, "reload", "app"])

    def stop(self) -> None:
        self.run([self.spec, "stop", "--remove"], check=False)


def measure(group: list[Tool], rounds: int) -> dict[str, float]:
    """The median of `rounds` timed reloads of each tool, after one warm-up."""
    times: dict[str, list[float]] = {t.name: [] for t in group}
    try:
        for tool in group:
            tool.start()
            tool.timed_reload()  # the warm-up
        for _ in range(rounds):
            for tool in group:
                times[tool.name].append(tool.timed_reload())
    finally:
        for tool in group:
            tool.stop()
            tool.remove_image()
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    rounds = max(int(sys.argv[1]) if len(sys.argv) > 1 else 5, 5)
    kinds: list[type[Tool]] = [Drillmaster]
    if keep_dependants_found():
        kinds.append(DrillmasterKeep)
    if compose_found():
        kinds.append(Compose)
    else:
        print("Docker Compose v2 not found: not measured (bench/compose-install)")
    if miniboss_found():
        kinds.append(Miniboss)
    else:
        print("miniboss not importable (pip install miniboss==0.4.5 failed?): not measured")
    root = Path(tempfile.mkdtemp(prefix="drillmaster-bench-reload-"))
    try:
        medians = measure([kind(root) for kind in kinds], rounds)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    mine = medians["drillmaster"]
    print(f"\nreload app, {len(STACK)} services, app mid-graph (median of {rounds})")
    print(f"  {'drillmaster ./spec.py reload app:':<40}{mine:.3f}s")
    if "drillmaster-keep" in medians:
        print(f"  {'drillmaster ... --keep-dependants:':<40}{medians['drillmaster-keep']:.3f}s")
    peers = {"compose": "compose up -d --build app:", "miniboss": "miniboss 0.4.5 reload app:"}
    for name, label in peers.items():
        if name not in medians:
            continue
        ratios = f"ratio {mine / medians[name]:.2f}x"
        if "drillmaster-keep" in medians:
            ratios += f", {medians['drillmaster-keep'] / medians[name]:.2f}x keeping the dependants"
        print(f"  {label:<40}{medians[name]:.3f}s  ({ratios})")


if __name__ == "__main__":
    main()
