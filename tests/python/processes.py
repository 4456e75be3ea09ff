"""A spec command running in the background, watched line by line, and the
engine state a test checks once it has ended.

Tests wait for events (a marker file a hook writes, a line the command
prints), polling with a generous deadline; they never sleep to decide what
state something is in.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

#: How long a test waits for something that takes a second or two normally.
PATIENCE = 120.0


class Watched:
    """A running command whose stdout and stderr are read as they come."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.lines: Dict[str, List[str]] = {"stdout": [], "stderr": []}
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.lines
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str) -> None:
        stream = getattr(self.process, name)
        for line in stream:
            with self._changed:
                self.lines[name].append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return (
                "\n".join(self.lines["stdout"])
                + "\n--- stderr ---\n"
                + "\n".join(self.lines["stderr"])
            )

    def wait_for_line(self, text: str, stream: str = "stdout", timeout: float = PATIENCE) -> str:
        """The first line of ``stream`` containing ``text``, once printed."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[stream]:
                    if text in line:
                        return line
                assert self.process.poll() is None or any(r.is_alive() for r in self._readers), (
                    f"ended ({self.process.returncode}) without printing {text!r}:\n{self.output}"
                )
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{text!r} not printed within {timeout:.0f} s:\n{self.output}"
                self._changed.wait(min(remaining, 0.2))

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
        """Until ``condition()`` holds, while the command still runs."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, (
                f"ended ({self.process.returncode}) before {what}:\n{self.output}"
            )
            assert time.monotonic() < deadline, f"no {what} within {timeout:.0f} s:\n{self.output}"
            time.sleep(0.02)

    def wait_for_file(self, path: Path, timeout: float = PATIENCE) -> None:
        self.wait_for(path.exists, f"{path.name} (written by a hook)", timeout)

    def finish(self, timeout: float = PATIENCE) -> int:
        """Waits for the command to end; returns its exit status."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"still running after {timeout:.0f} s:\n{self.output}") from None
        for reader in self._readers:
            reader.join(timeout=10)
        return code


def containers(group: str) -> List[Dict[str, str]]:
    """Every container labelled with the group: name, state, id, service."""
    out = subprocess.run(
        [
            "docker",
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            f"label=io.drillmaster.group={group}",
            "--format",
            "{{json .}}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    found = []
    for line in out.splitlines():
        row = json.loads(line)
        labels = dict(
            item.split("=", 1) for item in row.get("Labels", "").split(",") if "=" in item
        )
        found.append(
            {
                "name": row["Names"],
                "state": row["State"],
                "id": row["ID"],
                "service": labels.get("io.drillmaster.service", ""),
            }
        )
    return sorted(found, key=lambda c: c["name"])


def env_of(container: str) -> Dict[str, str]:
    out = subprocess.run(
        ["docker", "inspect", "--format", "{{json .Config.Env}}", container],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return dict(item.split("=", 1) for item in json.loads(out))


def read_json(path: Path) -> Optional[dict]:
    return json.loads(path.read_text()) if path.exists() else None
