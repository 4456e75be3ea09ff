#!/usr/bin/env bash
# Checks the installed library the way its users meet it: installs the build
# in BUILD_DIR into a temporary prefix, then, from outside the source tree,
#   - builds examples/c with nothing but pkg-config and runs them,
#   - builds a CMake project that uses find_package(drillmaster),
#   - checks that the installed library finds the installed drillmaster-reaper
#     (libexec/drillmaster) and that it removes a group started with
#     remove_on_exit once the program that started it has exited,
#   - checks that the shared library exports only dm_* symbols, each with a
#     symbol version, and that DRILLMASTER_0.1 holds exactly the functions
#     drillmaster 0.1 exported (abi/libdrillmaster-0.1.abi lists them): none
#     missing, none added, none moved to a newer version.
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

# Removal on exit, with nothing but the installed tree: the library looks
# beside itself, then in <libdir>/../libexec/drillmaster.
unset DRILLMASTER_REAPER
reaper=$(find "$prefix" -name drillmaster-reaper -type f -perm -u+x | head -n1)
case $reaper in
  "$prefix"/libexec/drillmaster/drillmaster-reaper) ;;
  *) echo "install: drillmaster-reaper is not in $prefix/libexec/drillmaster (found: '$reaper')"; exit 1 ;;
esac
cc -Wall -Wextra -Werror "$root/tests/install/remove_on_exit.c" \
  $(pkg-config --cflags --libs drillmaster) -o "$work/remove_on_exit"
group="dmt-install-reap-$$"
"$work/remove_on_exit" "${DM_TEST_IMAGE:-drillmaster-test/busybox:latest}" "$group" \
  >"$work/remove_on_exit.log" 2>&1 || { cat "$work/remove_on_exit.log"; echo "install: remove_on_exit failed"; exit 1; }
if ! grep -q "($libdir/[^)]*libexec/drillmaster/drillmaster-reaper)" "$work/remove_on_exit.log"; then
  cat "$work/remove_on_exit.log"; echo "install: the library did not use the installed drillmaster-reaper"; exit 1
fi
# The reaper sweeps at once and again after 2 and 6 s; 30 s is generous.
left=
for _ in $(seq 300); do
  left=$(docker ps -aq --filter "label=io.drillmaster.group=$group"; docker network ls -q --filter "label=io.drillmaster.group=$group")
  [ -z "$left" ] && break
  sleep 0.1
done
if [ -n "$left" ]; then
  docker rm -f $(docker ps -aq --filter "label=io.drillmaster.group=$group") >/dev/null 2>&1 || true
  docker network rm $(docker network ls -q --filter "label=io.drillmaster.group=$group") >/dev/null 2>&1 || true
  echo "install: the installed reaper did not remove group $group within 30 s"; exit 1
fi
echo "install: the installed drillmaster-reaper is found and removes a group on exit"

soname=$(objdump -p "$libdir/libdrillmaster.so.0" | awk '/SONAME/ {print $2}')
[ "$soname" = "libdrillmaster.so.0" ] || { echo "install: SONAME is '$soname'"; exit 1; }
# Defined dynamic symbols, less the version definitions (DRILLMASTER_0.1...).
symbols=$(nm -D --defined-only "$libdir/libdrillmaster.so.0" | awk '$2 != "A" {print $3}')
others=$(echo "$symbols" | grep -v '^dm_' || true)
if [ -n "$others" ]; then
  echo "install: symbols other than dm_* are exported:"; echo "$others" | head; exit 1
fi
echo "install: SONAME $soname, $(echo "$symbols" | wc -l) symbols, all dm_*"

# Symbol versions, as objdump -T shows them: "<version> <name>" for each
# defined symbol; "Base" (or none) for one exported without a version.
versions=$(objdump -T "$libdir/libdrillmaster.so.0" | awk '
  /^[0-9a-f]+ / && $0 !~ /\*UND\*/ {
    name = $NF; version = $(NF - 1)
    if (name == version) next              # the version definitions themselves
    print version, name
  }' | sort -k2)
unversioned=$(echo "$versions" | awk '$1 !~ /^DRILLMASTER_[0-9]+\.[0-9]+$/ {print $2 " (" $1 ")"}')
if [ -n "$unversioned" ]; then
  echo "install: exported without a DRILLMASTER_x.y symbol version (add them to src/capi/exports.map):"
  echo "$unversioned"; exit 1
fi
baseline="$root/abi/libdrillmaster-0.1.abi"
released=$(grep -o "elf-symbol name='[^']*' version='DRILLMASTER_0.1'" "$baseline" |
  cut -d"'" -f2 | sort)
in_01=$(echo "$versions" | awk '$1 == "DRILLMASTER_0.1" {print $2}' | sort)
if [ "$released" != "$in_01" ]; then
  echo "install: DRILLMASTER_0.1 must hold exactly the functions of drillmaster 0.1;"
  echo "  '<' released in 0.1 but missing or under another version, '>' not in 0.1:"
  { diff <(echo "$released") <(echo "$in_01") || true; } | grep '^[<>]' | sed 's/^/  /'
  for name in $released; do
    echo "$versions" | awk -v n="$name" '$2 == n && $1 != "DRILLMASTER_0.1" {print "  " n " is under " $1}'
  done
  exit 1
fi
echo "install: symbol versions: $(echo "$versions" | awk '{print $1}' | sort | uniq -c |
  awk '{printf "%s%s %d", sep, $2, $1; sep = ", "}')"
echo "install: 1 passed, 0 failed"
