#!/usr/bin/env bash
# Checks the installed library the way its users meet it: installs the build
# in BUILD_DIR into a temporary prefix, then, from outside the source tree,
#   - builds examples/c with nothing but pkg-config and runs them,
#   - builds a CMake project that uses find_package(drillmaster),
#   - checks that the shared library exports only dm_* symbols.
# Usage: tests/install/check.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: check.sh BUILD_DIR}" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libdrillmaster.so.0' | head -n1)")
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export LD_LIBRARY_PATH="$libdir"

echo "install: pkg-config --cflags --libs drillmaster = $(pkg-config --cflags --libs drillmaster)"
work="$prefix/work"
mkdir -p "$work"
for example in version start_group; do
  cc -Wall -Wextra -Werror "$root/examples/c/$example.c" $(pkg-config --cflags --libs drillmaster) \
    -o "$work/$example"
done
"$work/version"
"$work/start_group" "${DM_TEST_IMAGE:-drillmaster-test/busybox:latest}" >"$work/start_group.log" \
  || { cat "$work/start_group.log"; echo "install: start_group failed"; exit 1; }
tail -n 1 "$work/start_group.log"

cmake -S "$root/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLE_SOURCE="$root/examples/c/version.c" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/version" | head -n 1
echo "install: find_package(drillmaster) works"

soname=$(objdump -p "$libdir/libdrillmaster.so.0" | awk '/SONAME/ {print $2}')
[ "$soname" = "libdrillmaster.so.0" ] || { echo "install: SONAME is '$soname'"; exit 1; }
others=$(nm -D --defined-only "$libdir/libdrillmaster.so.0" | awk '{print $3}' | grep -v '^dm_' || true)
if [ -n "$others" ]; then
  echo "install: symbols other than dm_* are exported:"; echo "$others" | head; exit 1
fi
echo "install: SONAME $soname, $(nm -D --defined-only "$libdir/libdrillmaster.so.0" | wc -l) symbols, all dm_*"
echo "install: 1 passed, 0 failed"
