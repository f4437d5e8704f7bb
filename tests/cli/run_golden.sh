#!/usr/bin/env bash
# Runs one CLI golden case: NAME.args holds borderlens's arguments, one per line, run in a fresh
# directory holding fixture.db (the test fixture), second.db (a copy of it), newer.db (the fixture
# stamped with a future schema), text.db (a text file) and existing.png. stdout, stderr and the
# exit code must equal NAME.stdout, NAME.stderr (absent: empty) and NAME.rc (absent: 0). A failing
# command must leave the database files as they were and create no database file. On a mismatch
# the actual output is kept in OUTDIR/NAME.* and a diff is printed.
set -u
borderlens=$1 fixture=$2 case_file=$3 outdir=$4
name=$(basename "$case_file" .args)
dir=$(dirname "$case_file")
work=$(mktemp -d)
result=$(mktemp -d)
trap 'rm -rf "$work" "$result"' EXIT

"$fixture" "$work/fixture.db" || { echo "fixture build failed"; exit 1; }
"$fixture" "$work/newer.db" --newer-schema || { echo "fixture build failed"; exit 1; }
cp "$work/fixture.db" "$work/second.db"
printf 'not a database\n' > "$work/text.db"
printf 'not an image\n' > "$work/existing.png"

mapfile -t args < "$case_file"
# An argument @fixtures/PATH names a file under tests/fixtures: its folder is copied into the work
# directory (so that files read beside it, such as an sdn.csv's add.csv, come along) and the
# argument becomes PATH, relative to the work directory.
fixtures=$(cd "$dir/../../fixtures" && pwd)
for i in "${!args[@]}"; do
  if [[ ${args[$i]} == @fixtures/* ]]; then
    rel=${args[$i]#@fixtures/}
    mkdir -p "$work/$(dirname "$rel")"
    cp -R "$fixtures/$(dirname "$rel")/." "$work/$(dirname "$rel")/"
    args[$i]=$rel
  fi
done
# SQLite's -wal/-shm companions come and go with connections; the databases themselves may not.
snapshot() { (cd "$work" && find . -type f ! -name '*-wal' ! -name '*-shm' -exec sha256sum {} + | sort); }
before=$(snapshot)
(cd "$work" && "$borderlens" "${args[@]}" > "$result/stdout" 2> "$result/stderr"; echo $? > "$result/rc")
after=$(snapshot)

expected_rc=0
[ -f "$dir/$name.rc" ] && expected_rc=$(cat "$dir/$name.rc")
expected_stderr=/dev/null
[ -f "$dir/$name.stderr" ] && expected_stderr="$dir/$name.stderr"

status=0
if [ "$(cat "$result/rc")" != "$expected_rc" ]; then
  echo "exit code: expected $expected_rc, got $(cat "$result/rc")"; status=1
fi
if ! diff -u "$dir/$name.stdout" "$result/stdout"; then echo "stdout differs"; status=1; fi
if ! diff -u "$expected_stderr" "$result/stderr"; then echo "stderr differs"; status=1; fi
if [ "$expected_rc" != 0 ] && [ "$before" != "$after" ]; then
  echo "a failing command changed or created files:"; diff <(echo "$before") <(echo "$after"); status=1
fi
if [ $status != 0 ]; then
  mkdir -p "$outdir"
  cp "$result/stdout" "$outdir/$name.stdout"; cp "$result/stderr" "$outdir/$name.stderr"
  cp "$result/rc" "$outdir/$name.rc"
  echo "actual output written to $outdir/$name.*"
fi
exit $status
