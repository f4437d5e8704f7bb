# Shared by the tests/hostile scripts (sourced, not run): each script is called as
#   SCRIPT BORDERLENS FIXTURE_BUILDER FIXTURES_DIR
# and runs `borderlens` end to end in a fresh work directory, counting its checks. It ends with
# hostile_finish, which prints "N passed, M failed" and exits non-zero on any failure.
set -u

borderlens=$(realpath "$1")
make_fixture=$(realpath "$2")
fixtures=$(realpath "$3")
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/borderlens-hostile.XXXXXX")
# Another user (the read-only tests run as `nobody`) must be able to reach the work directory.
chmod 755 "$work"
[ -n "${KEEP_WORK:-}" ] || trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}
check() {  # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
  local what=$1
  shift
  if "$@"; then pass; else fail "$what"; fi
}

hostile_finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit $?
}

# bl NAME ARGS...: runs borderlens in $work with ARGS; stdout and stderr go to $work/NAME.out
# and $work/NAME.err, the exit code to $rc.
rc=0
bl() {
  local name=$1
  shift
  run_in_work "$name" "$borderlens" "$@"
}
# run_in_work NAME COMMAND...: the same for any command.
run_in_work() {
  local name=$1
  shift
  (cd "$work" && "$@" > "$work/$name.out" 2> "$work/$name.err")
  rc=$?
}

# expect_rc NAME CODE: the last `bl NAME` exited with CODE.
expect_rc() {
  if [ "$rc" = "$2" ]; then pass; else
    fail "$1: exit code $rc, expected $2; stderr: $(head -c 600 "$work/$1.err")"
  fi
}

# expect_error NAME CODE REGEX: exit CODE and exactly one line on stderr, "borderlens: error: ..."
# matching the extended REGEX (which should name the file, line or record and the reason).
expect_error() {
  local name=$1 code=$2 regex=$3
  expect_rc "$name" "$code"
  local lines
  lines=$(wc -l < "$work/$name.err")
  if [ "$lines" != 1 ]; then
    fail "$name: expected one line on stderr, got $lines: $(head -c 600 "$work/$name.err")"
  elif ! grep -Eq "^borderlens: error: .*$regex" "$work/$name.err"; then
    fail "$name: stderr does not match '$regex': $(cat "$work/$name.err")"
  else
    pass
  fi
}

# expect_out NAME REGEX: stdout of `bl NAME` has a line matching the extended REGEX.
expect_out() {
  if grep -Eq -- "$2" "$work/$1.out"; then pass; else
    fail "$1: stdout has no line matching '$2': $(head -c 1500 "$work/$1.out")"
  fi
}

# A database's state as borderlens reports it, and its file's bytes.
info_json() { (cd "$work" && "$borderlens" info --json "$1"); }
file_sha() { sha256sum < "$1" | cut -d' ' -f1; }

# remember DB: records DB's info and checksum; unchanged DB WHAT: checks both are as remembered.
declare -A remembered_info remembered_sha
remember() {
  remembered_info[$1]=$(info_json "$1") || { echo "info --json $1 failed"; exit 1; }
  remembered_sha[$1]=$(file_sha "$work/$1")
}
unchanged() {
  local db=$1 what=$2 now
  now=$(info_json "$db")
  if [ "$now" != "${remembered_info[$db]}" ]; then
    fail "$what changed what info --json reports for $db:"
    diff <(echo "${remembered_info[$db]}") <(echo "$now") | head -20
  else
    pass
  fi
  if [ "$(file_sha "$work/$db")" != "${remembered_sha[$db]}" ]; then
    fail "$what changed the bytes of $db"
  else
    pass
  fi
}

# info_count DB FIELD: one number from info --json.
info_count() { info_json "$1" | sed -n "s/^  \"$2\": \\([0-9]*\\),\$/\\1/p"; }

# new_db NAME: a fresh copy of the test fixture database in $work.
new_db() {
  mkdir -p "$(dirname "$work/$1")"
  "$make_fixture" "$work/$1" > /dev/null || { echo "fixture build failed"; exit 1; }
}

# The incidents CSV header (docs/formats.md).
incidents_header='id,kind,title,start,end,lon,lat,wkt,geo_precision,place,description,confidence,links,source_publisher,source_title,source_date,source_url'
