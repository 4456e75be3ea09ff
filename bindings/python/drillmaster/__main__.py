"""``python -m drillmaster`` (and the ``drillmaster`` command): alone, the
version and the engine drillmaster would use; ``convert compose.yaml``
writes a spec for a compose file (see :mod:`drillmaster._convert`)."""

from __future__ import annotations

import sys
from typing import Sequence

from . import _core
from ._errors import Error

USAGE = """usage: drillmaster [convert [--check] COMPOSE_FILE]

  (nothing)  the version, and the engine drillmaster would use
  convert    write a spec for a compose file to standard output
"""


def run(args: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if args is None else list(args)
    if not args:
        return _version()
    if args[0] == "convert":
        from . import _convert  # only for convert: plain `drillmaster` stays short

        return _convert.main(args[1:])
    if args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    sys.stderr.write(USAGE + f"\nError: no command {args[0]!r}\n")
    return 2


def _version() -> int:
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
