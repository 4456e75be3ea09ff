"""Benchmark: drillmaster's command line as a user runs it, beside Docker Compose v2.

    python bench/cli.py [ROUNDS]      (default 9; at least 5)

Run by bench/run with the build's Python module on PYTHONPATH. Two cases,
each the same services for both tools (busybox sleeping, fanned out from
one root, on the group's network):

- warm start: 50 services already running; ``./spec.py start`` (a Python
  spec, Python's start-up included) against Compose's ``up -d``: the median
  wall time of ROUNDS runs each, alternated;
- scale: 200 services; start, warm start and stop with removal (``stop
  --remove``, ``down``), wall times, and the peak memory (VmHWM, from the
  kernel's accounting of the child) of each tool's process.

Compose is measured when ``docker compose version`` works; bench/compose-install
builds and installs it. The seconds depend on the machine and its load:
read them against each other.
"""

from __future__ import annotations

import json
import os
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
WARM_SERVICES = 50
SCALE_SERVICES = 200
MEMORY_GOAL_MB = 60

SPEC = """#! {python}
import drillmaster

drillmaster.group_name({group!r})
for i in range({n}):
    type(f"S{{i}}", (drillmaster.Service,), {{
        "name": f"s{{i}}", "image": {image!r}, "cmd": {command!r},
        "dependencies": [] if i == 0 else ["s0"],
    }})

if __name__ == "__main__":
    drillmaster.main()
"""


class Tool:
    """One tool's commands on one group of ``n`` services in ``directory``."""

    def __init__(self, name: str, directory: Path, n: int) -> None:
        self.name = name
        self.directory = directory
        self.n = n

    def run(self, args: list[str], check: bool = True) -> tuple[float, float]:
        """Runs one command: its wall time in seconds and its peak memory in
        MB. ``check``: a failure ends the benchmark; otherwise (a stop: a busy
        dockerd 20.10 may refuse to remove a network whose containers are
        gone) its last line is shown and the time kept."""
        began = time.perf_counter()
        child = subprocess.Popen(
            args, cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
        if child.returncode != 0:
            if check:
                raise SystemExit(f"{self.name}: {' '.join(args)} failed:\n{errors.strip()}")
            last = (errors.strip().splitlines() or ["no message"])[-1]
            print(f"  ({self.name}: {' '.join(args)} failed, time kept: {last.strip()})")
        return seconds, usage.ru_maxrss / 1024  # KiB on Linux


class Drillmaster(Tool):
    def __init__(self, directory: Path, n: int) -> None:
        super().__init__("drillmaster", directory, n)
        spec = directory / "spec.py"
        group = f"bench-cli-{n}"
        spec.write_text(
            SPEC.format(python=sys.executable, group=group, n=n, image=IMAGE, command=COMMAND)
        )
        spec.chmod(0o755)
        self.spec = str(spec)

    def start(self) -> tuple[float, float]:
        return self.run([self.spec, "start", "-q"])

    def stop(self) -> tuple[float, float]:
        return self.run([self.spec, "stop", "--remove", "-q"], check=False)


class Compose(Tool):
    def __init__(self, directory: Path, n: int) -> None:
        super().__init__("compose", directory, n)
        project = f"bench-cli-compose-{n}"
        services = {
            f"s{i}": {
                "image": IMAGE,
                "command": COMMAND,
                **({"depends_on": ["s0"]} if i else {}),
            }
            for i in range(n)
        }
        document = {
            "name": project,
            "services": services,
            "networks": {"default": {"name": project}},
        }
        (directory / "compose.yaml").write_text(json.dumps(document))  # JSON is YAML

    def start(self) -> tuple[float, float]:
        return self.run(["docker", "compose", "up", "-d", "--quiet-pull"])

    def stop(self) -> tuple[float, float]:
        return self.run(["docker", "compose", "down"], check=False)


def tools(root: Path, n: int, compose: bool) -> list[Tool]:
    made: list[Tool] = []
    for kind in [Drillmaster, Compose] if compose else [Drillmaster]:
        directory = root / f"{kind.__name__.lower()}-{n}"
        directory.mkdir()
        made.append(kind(directory, n))
    return made


def warm_start(root: Path, rounds: int, compose: bool) -> dict[str, float]:
    """The median wall time of a start with everything running already."""
    group = tools(root, WARM_SERVICES, compose)
    times: dict[str, list[float]] = {t.name: [] for t in group}
    try:
        for tool in group:
            tool.start()
        for _ in range(rounds):
            for tool in group:
                times[tool.name].append(tool.start()[0])
    finally:
        for tool in group:
            tool.stop()
    return {name: statistics.median(t) for name, t in times.items()}


def scale(root: Path, compose: bool) -> dict[str, dict[str, float]]:
    """Start, warm start and stop of SCALE_SERVICES services, one tool after
    the other; the peak memory of each tool's process over the three."""
    out: dict[str, dict[str, float]] = {}
    for tool in tools(root, SCALE_SERVICES, compose):
        row: dict[str, float] = {}
        try:
            row["start"], start_mb = tool.start()
            row["warm"], warm_mb = tool.start()
        finally:
            row["stop"], stop_mb = tool.stop()
        row["peak_mb"] = max(start_mb, warm_mb, stop_mb)
        out[tool.name] = row
    return out


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    compose = compose_found()
    if not compose:
        print("Docker Compose v2 not found: measured without it (bench/compose-install)")
    root = Path(tempfile.mkdtemp(prefix="drillmaster-bench-"))
    try:
        warm = warm_start(root, max(rounds, 5), compose)
        print(f"\nwarm start, {WARM_SERVICES} services running (median of {max(rounds, 5)})")
        print(f"  drillmaster ./spec.py start: {warm['drillmaster']:.3f}s")
        if "compose" in warm:
            ratio = warm["drillmaster"] / warm["compose"]
            print(f"  compose up -d:               {warm['compose']:.3f}s  (ratio {ratio:.2f}x)")
        rows = scale(root, compose)
        print(f"\nscale, {SCALE_SERVICES} services")
        print(f"  {'tool':<12} {'start':>8} {'warm':>8} {'stop':>8} {'peak MB':>8}")
        for name, row in rows.items():
            print(
                f"  {name:<12} {row['start']:7.2f}s {row['warm']:7.2f}s {row['stop']:7.2f}s "
                f"{row['peak_mb']:8.1f}"
            )
        peak = rows["drillmaster"]["peak_mb"]
        verdict = "met" if peak < MEMORY_GOAL_MB else "NOT met"
        print(f"  drillmaster peak memory {peak:.1f} MB: goal under {MEMORY_GOAL_MB} MB {verdict}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
