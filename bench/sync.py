"""Benchmark: the sync latency of ``watch``, beside Docker Compose's ``watch``.

    python bench/sync.py [EDITS]      (default 9; at least 5)

Run by bench/run with the build's Python module on PYTHONPATH. One service,
busybox's httpd serving /www on a published port; a sync rule maps the
spec's ``site`` folder to /www. With the watch running, each edit writes a
new content to ``site/index.html`` and polls the published port until that
content is served: the time from the write to the first answer with it. The
median of EDITS edits, for drillmaster's ``./spec.py watch`` and, when
``docker compose version`` works, Compose's ``watch`` (develop.watch, action
sync) on the same service. Goal: drillmaster under 0.3 s.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable, List, Optional

from peers import compose_found

IMAGE = "drillmaster-test/busybox:latest"
HTTPD = ["sh", "-c", "mkdir -p /www && exec httpd -f -p 8080 -h /www"]
GOAL_SECONDS = 0.3

SPEC = """#! {python}
import drillmaster

drillmaster.group_name({group!r})

class Web(drillmaster.Service):
    name = "web"
    image = {image!r}
    cmd = {command!r}
    ports = {{8080: {port}}}
    watch = [drillmaster.Watch("site", action="sync", target="/www")]

if __name__ == "__main__":
    drillmaster.main()
"""

COMPOSE = """name: {group}
services:
  web:
    image: {image}
    command: {command}
    ports: ["{port}:8080"]
    develop:
      watch:
        - path: ./site
          action: sync
          target: /www
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def served(port: int) -> Optional[str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as answer:
            return answer.read().decode()
    except OSError:
        return None


def wait_until(condition: Callable[[], bool], limit: float = 60.0) -> float:
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > limit:
            raise TimeoutError("not served within a minute")
        time.sleep(0.005)
    return time.monotonic() - began


def measure(site: Path, port: int, edits: int, tool: str) -> List[float]:
    """Edits site/index.html `edits` times (after a warm-up); each time, the
    seconds until the new content is served."""
    page = site / "index.html"
    wait_until(lambda: served(port) is not None, 120)
    times = []
    for n in range(edits + 1):
        content = f"{tool} edit {n} {time.time()}"
        began = time.monotonic()
        page.write_text(content)
        wait_until(lambda content=content: served(port) == content)
        if n:  # the first one warms up
            times.append(time.monotonic() - began)
        time.sleep(0.3)  # the files settle between edits
    return times


def run_watch(command: List[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measure_when_ready(site: Path, port: int, edits: int, tool: str) -> List[float]:
    wait_until(lambda: served(port) == "first", 120)
    time.sleep(1.0)  # the watcher is set up after the service answers
    return measure(site, port, edits, tool)


def end(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def drillmaster_case(work: Path, edits: int) -> List[float]:
    group = f"bench-sync-{os.getpid()}"
    port = free_port()
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("first")
    spec = work / "spec.py"
    spec.write_text(
        SPEC.format(python=sys.executable, group=group, image=IMAGE, command=HTTPD, port=port)
    )
    spec.chmod(0o755)
    process = run_watch([sys.executable, str(spec), "watch"], work, dict(os.environ))
    try:
        return measure_when_ready(work / "site", port, edits, "drillmaster")
    finally:
        end(process)
        subprocess.run(
            [sys.executable, str(spec), "stop", "--remove", "--timeout", "1"],
            cwd=work,
            capture_output=True,
            check=False,
        )


def compose_case(work: Path, edits: int) -> Optional[List[float]]:
    if not compose_found():
        return None
    group = f"bench-sync-compose-{os.getpid()}"
    port = free_port()
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("first")
    (work / "compose.yaml").write_text(
        COMPOSE.format(group=group, image=IMAGE, command=HTTPD, port=port)
    )
    up = subprocess.run(["docker", "compose", "up", "-d"], cwd=work, capture_output=True)
    if up.returncode != 0:
        print(f"compose up failed: {up.stderr.decode().strip()}")
        return None
    subprocess.run(
        ["docker", "compose", "cp", "site/index.html", "web:/www/index.html"],
        cwd=work,
        capture_output=True,
    )
    process = run_watch(["docker", "compose", "watch", "--no-up"], work, dict(os.environ))
    try:
        return measure_when_ready(work / "site", port, edits, "compose")
    finally:
        end(process)
        subprocess.run(["docker", "compose", "down", "-t", "1"], cwd=work, capture_output=True)


def main() -> None:
    edits = max(5, int(sys.argv[1]) if len(sys.argv) > 1 else 9)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        ours = statistics.median(drillmaster_case(Path(a), edits))
        print(
            f"sync latency, drillmaster watch: median {ours:.3f} s of {edits} edits "
            f"(goal under {GOAL_SECONDS} s: {'met' if ours < GOAL_SECONDS else 'NOT met'})"
        )
        theirs = compose_case(Path(b), edits)
        if theirs is None:
            print("sync latency, Compose watch: not measured (docker compose not found)")
        else:
            peer = statistics.median(theirs)
            print(
                f"sync latency, Compose watch:     median {peer:.3f} s of {edits} edits "
                f"(drillmaster {ours / peer:.2f}x)"
            )


if __name__ == "__main__":
    main()
