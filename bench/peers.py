"""What the benchmarks share about the tools they measure drillmaster beside."""

from __future__ import annotations

import subprocess


def compose_found() -> bool:
    """Docker Compose v2 answers (bench/compose-install builds and installs it)."""
    try:
        done = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0
