#!/usr/bin/env bash
# Crash safety: an import of lists and a generated incidents file is killed with SIGKILL at
# random moments across its run (reading, matching, writing, committing), many times over the
# same database. After every kill no rollback journal is left, SQLite's integrity check, the
# R*Tree checks and the FTS5 index check pass, and `info --json` equals the state before with
# the file's bytes unchanged (or, for a kill after the commit, the state after the whole
# import). Then the same import, run to the end, succeeds and
# leaves exactly the state that an uninterrupted import leaves.
#   BORDERLENS_CRASH_ROWS   incident rows to generate at least (12000)
#   BORDERLENS_CRASH_KILLS  kills that must land before the import ends (20)
#   BORDERLENS_CRASH_SEED   the random seed; printed, so that a failure can be replayed
source "$(dirname "$0")/lib.sh"

rows=${BORDERLENS_CRASH_ROWS:-12000}
kills=${BORDERLENS_CRASH_KILLS:-20}
seed=${BORDERLENS_CRASH_SEED:-$(( $(date +%s) % 100000 ))}
echo "seed $seed (replay with BORDERLENS_CRASH_SEED=$seed), $kills kills"
RANDOM=$seed

mkdir -p "$work/in/ofac"
cp "$fixtures/un/consolidated.xml" "$fixtures/ftm/good.ftm.json" "$work/in/"
cp "$fixtures/ofac/csv/"*.csv "$work/in/ofac/"
files=(in/consolidated.xml in/ofac/sdn.csv in/good.ftm.json in/incidents.csv)
generate_incidents() {
  awk -v rows="$rows" -v header="$incidents_header" 'BEGIN {
    print header
    for (i = 0; i < rows; i++) {
      printf "crash-%d,seizure,Crash test incident %d,2018-%02d-%02d,,%.4f,%.4f,,exact,Crash place %d,", i, i, i % 12 + 1, i % 28 + 1, 124 + (i % 1000) / 1000, 40 + (i % 997) / 1000, i
      printf "Row %d of the crash test.,0.5,,Crash Press,Crash report %d,2018-01-01,https://example.org/crash/%d\n", i, i % 50, i
    }
  }' > "$work/in/incidents.csv"
}

new_db db.db
before_info=$(info_json db.db)
before_sha=$(file_sha "$work/db.db")

# The uninterrupted import, on a copy: its duration bounds the kill times, its end state is
# what the resumed import must reach. An import over in a moment leaves little to land in, so
# the incidents file doubles until the import takes a second and a half (this sizes the input;
# nothing is asserted about time).
while :; do
  generate_incidents
  cp "$work/db.db" "$work/reference.db"
  start=$(date +%s%N)
  bl reference import reference.db "${files[@]}"
  duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$duration_ms" -lt 1500 ] && [ "$rows" -lt 1000000 ] && [ "$rc" = 0 ] || break
  rows=$((rows * 2))
done
expect_rc reference 0
reference_info=$(info_json reference.db)
echo "an uninterrupted import of $rows incident rows takes $duration_ms ms"

# database_intact WHAT: the checks after a kill. A kill that lands after the commit (while the
# report is printed, or the process exits) finds the import whole: the state after it, never a
# part. Returns 1 in that case, after putting the database back to the state before.
database_intact() {
  local what=$1 sha_now
  sha_now=$(file_sha "$work/db.db")
  if [ -e "$work/db.db-journal" ]; then fail "$what: a rollback journal was left"; else pass; fi
  local checks
  # Not quick_check: SQLite 3.40's reports NULLs in the NOT NULL key column of a WITHOUT ROWID
  # table that holds none (integrity_check, its superset, does not).
  checks=$(sqlite3 "$work/db.db" "PRAGMA integrity_check;
    SELECT rtreecheck('idx_incidents_geom'); SELECT rtreecheck('idx_locations_geom');
    SELECT rtreecheck('incidents_span_rtree');
    INSERT INTO search(search) VALUES ('integrity-check');" 2>&1)
  if [ "$checks" != $'ok\nok\nok\nok' ]; then fail "$what: integrity checks: $checks"; else pass; fi
  local now
  now=$(info_json db.db)
  if [ "$now" = "$reference_info" ]; then
    echo "$what: the import had committed; the database holds all of it"
    new_db db.db
    before_sha=$(file_sha "$work/db.db")
    return 1
  fi
  if [ "$now" != "$before_info" ]; then
    fail "$what: info --json is neither the state before the import nor after it:"
    diff <(echo "$before_info") <(echo "$now") | head -20
  else
    pass
  fi
  if [ "$sha_now" != "$before_sha" ]; then fail "$what: the database file changed"; else pass; fi
}

landed=0 attempts=0
while [ "$landed" -lt "$kills" ] && [ "$attempts" -lt $((kills * 3)) ]; do
  attempts=$((attempts + 1))
  # Within the first 90% of the measured run: a kill after the end tests nothing.
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % (duration_ms * 9 / 10) ))
  start=$(date +%s%N)
  (cd "$work" && exec "$borderlens" import db.db "${files[@]}" > import.out 2> import.err) &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2> /dev/null
  { wait "$pid"; } 2> /dev/null
  status=$?
  if [ "$status" = 0 ]; then
    # It finished first (the machine was faster this time): start again from the state before.
    echo "kill $attempts at ${delay_ms} ms: the import had already finished"
    # The machine runs faster now than when the import was timed: aim within this run's time.
    took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$took_ms" -lt "$duration_ms" ] && duration_ms=$((took_ms > 10 ? took_ms : 10))
    new_db db.db
    before_sha=$(file_sha "$work/db.db")
    continue
  fi
  if [ "$status" != 137 ]; then
    fail "kill $attempts at $delay_ms ms: the import exited $status on its own: $(head -c 300 "$work/import.err")"
    continue
  fi
  echo "kill $attempts at $delay_ms ms"
  database_intact "kill $attempts at $delay_ms ms" && landed=$((landed + 1))
done
check "$kills kills landed before the import ended (landed $landed of $attempts)" test "$landed" -ge "$kills"

bl resumed import db.db "${files[@]}"
expect_rc resumed 0
resumed_info=$(info_json db.db)
if [ "$resumed_info" != "$reference_info" ]; then
  fail "the import after the kills left another state than an uninterrupted one:"
  diff <(echo "$reference_info") <(echo "$resumed_info") | head -20
else
  pass
fi
check "the import added the generated incidents" \
  test "$(info_count db.db incidents)" -ge "$rows"
checks=$(sqlite3 "$work/db.db" "PRAGMA integrity_check; INSERT INTO search(search) VALUES ('integrity-check');" 2>&1)
check "the imported database passes the integrity check ($checks)" test "$checks" = ok

hostile_finish
