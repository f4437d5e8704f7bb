#!/bin/bash
# The light `borderlens` runs the reading commands itself, without GDAL, OpenGL or GLFW, and hands
# every other command line, unchanged, to borderlens-full beside it.
#   light_binary.sh BORDERLENS BORDERLENS_FULL
set -u
light=$(realpath "$1")
full=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/borderlens-light.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# Loading GDAL's and the window's libraries was the cost this binary exists to avoid.
heavy=$(ldd "$light" | grep -E 'libgdal|libOpenGL|libGLX|libEGL|libglfw|libpng' || true)
[ -z "$heavy" ] || fail "borderlens loads: $heavy"
ldd "$full" | grep -q libgdal || fail "borderlens-full does not load GDAL (is this check still meaningful?)"

# Handed over whole: arguments with spaces, exit codes and output.
mkdir -p "$work/with space"
"$light" init "$work/with space/a b.db" > "$work/init.out" 2> "$work/init.err"
rc=$?
[ "$rc" = 0 ] || fail "init through borderlens: exit $rc: $(cat "$work/init.err")"
[ -f "$work/with space/a b.db" ] || fail "init through borderlens made no file at the path with spaces"
"$light" info "$work/with space/a b.db" --json > "$work/info.json" || fail "info on the new file"
grep -q '"schema_version"' "$work/info.json" || fail "info printed no schema version"
for args in "import --help" "render --help" "view --help" "--help" "--version"; do
  # shellcheck disable=SC2086
  diff <("$light" $args 2>&1; echo "exit $?") <("$full" $args 2>&1; echo "exit $?") > "$work/diff" ||
    fail "'$args' differs between borderlens and borderlens-full: $(head -5 "$work/diff")"
done
"$light" import "$work/with space/a b.db" "$work/missing.csv" > /dev/null 2> "$work/import.err"
rc=$?
[ "$rc" = 5 ] || fail "import of a missing file: exit $rc, not 5 (input rejected)"
[ "$(cat "$work/import.err")" = "borderlens: error: $work/missing.csv: no such file" ] ||
  fail "import of a missing file said: $(cat "$work/import.err")"

# Alone, it still reads; what needs borderlens-full says where it looked.
mkdir "$work/alone"
cp "$light" "$work/alone/borderlens"
"$work/alone/borderlens" query "$work/with space/a b.db" --format csv > "$work/query.csv" ||
  fail "query without borderlens-full beside it"
"$work/alone/borderlens" import "$work/with space/a b.db" "$work/missing.csv" > /dev/null 2> "$work/alone.err"
rc=$?
[ "$rc" = 1 ] || fail "import without borderlens-full: exit $rc, not 1"
expected="borderlens: error: cannot run $work/alone/borderlens-full (No such file or directory): 'import' runs there"
[ "$(cat "$work/alone.err")" = "$expected" ] || fail "import without borderlens-full said: $(cat "$work/alone.err")"

if [ "$failed" -ne 0 ]; then
  echo "$failed check(s) failed"
  exit 1
fi
echo "all checks passed"
