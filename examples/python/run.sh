#!/usr/bin/env bash
# Runs the example spec end to end: start, status, logs, stop --remove.
# Uses the installed drillmaster, or the build tree when DM_PYTHON_BUILD_DIR
# (default: build-py at the repository root) holds the built module.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if ! python3 -c "import drillmaster" 2>/dev/null; then
  build=${DM_PYTHON_BUILD_DIR:-$repo/build-py}
  export PYTHONPATH="$repo/bindings/python:$build/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
fi
cd "$here"
trap './spec.py stop --remove -q >/dev/null 2>&1 || true' EXIT
./spec.py start
./spec.py status
sleep 0.5
./spec.py logs app
./spec.py stop --remove
trap - EXIT
