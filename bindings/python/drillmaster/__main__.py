"""``python -m drillmaster``: the version and the engine drillmaster would use."""

from __future__ import annotations

import sys

from . import _core
from ._errors import Error


def run() -> int:
    library = _core.version()
    print(f"drillmaster {library} (libdrillmaster {library}, headers {_core.HEADER_VERSION})")
    try:
        with _core.Client() as client:
            engine, api = client.engine_version()
            print(
                f"engine: {client.host} (Docker {engine}, API {client.api_version}, "
                f"engine speaks up to {api})"
            )
    except Error as exc:
        message = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        # The library's message names the address it tried.
        print(f"engine: not usable: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
