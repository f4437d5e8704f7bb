#!/usr/bin/env bash
# Database files that are truncated, damaged or not SQLite at all, given to every command that
# opens one: each fails with exit 3 and one line naming the file and what is wrong with it,
# leaves the file's bytes as they were, and writes no output.
source "$(dirname "$0")/lib.sh"

new_db good.db
size=$(stat -c %s "$work/good.db")
page=$(sqlite3 "$work/good.db" 'PRAGMA page_size')

for bytes in 50 100 4096 65536 $((size / 2)) $((size - page)); do
  head -c "$bytes" "$work/good.db" > "$work/truncated-$bytes.db"
done
: > "$work/empty.db"
printf 'not a database\n' > "$work/text.db"
awk 'BEGIN { srand(7); for (i = 0; i < 70000; i++) printf "%c", int(rand() * 256) }' > "$work/random.db"
# A SQLite header and nothing after it but garbage.
{ head -c 100 "$work/good.db"; head -c 8192 "$work/random.db"; } > "$work/header-only.db"
sqlite3 "$work/other.db" 'CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES (1)'
mkdir "$work/directory.db"
cp "$fixtures/../../geodata/base.gpkg" "$work/geopackage.db" 2>/dev/null ||
  sqlite3 "$work/geopackage.db" 'CREATE TABLE gpkg_contents(table_name TEXT)'

# expect_refused NAME DB: exit 3, one line naming DB, DB's bytes unchanged, no output written.
expect_refused() {
  local name=$1 db=$2 regex=$3
  expect_error "$name" 3 "$(printf '%s' "$db" | sed 's/[.]/\\./g'): $regex"
}

n=0
for db in $(cd "$work" && ls truncated-*.db) empty.db text.db random.db header-only.db other.db directory.db geopackage.db; do
  before=$( [ -f "$work/$db" ] && file_sha "$work/$db")
  case $db in
    empty.db) regex="an empty file, not a borderlens database" ;;
    other.db | geopackage.db) regex="a SQLite database, but not a borderlens database" ;;
    directory.db) regex="is a directory" ;;
    *) regex="not a SQLite database \\(or damaged\\)" ;;
  esac
  for command in info query rounds "export --to out.gpkg" "tiles --to out.mbtiles" \
                 "render --to out.png" "import @incidents" "copy @copy"; do
    n=$((n + 1))
    read -ra args <<< "$command"
    case ${args[1]:-} in
      @incidents) args=(import "$db" "$fixtures/incidents/good.csv") ;;
      @copy) args=(copy "$db" "copy$n.db") ;;
      *) args=("${args[0]}" "$db" "${args[@]:1}") ;;
    esac
    if [ "${args[0]}" = copy ] && ! "$borderlens" --help | grep -q '^  copy '; then continue; fi
    bl "bad$n" "${args[@]}"
    expect_refused "bad$n" "$db" "$regex"
  done
  if [ -f "$work/$db" ]; then
    check "$db's bytes are unchanged" test "$(file_sha "$work/$db")" = "$before"
  fi
done
# init refuses to turn a file that is not a database into one.
for db in text.db random.db truncated-4096.db; do
  bl "init_$db" init "$db"
  expect_refused "init_$db" "$db" "not a SQLite database \\(or damaged\\)"
done
leftovers=$(cd "$work" && ls -d out.* copy*.db 2>/dev/null)
check "no output was written${leftovers:+: $leftovers}" test -z "$leftovers"

# A page of a table overwritten: whatever reads it reports a damaged database, not a bug.
cp "$work/good.db" "$work/damaged.db"
root=$(sqlite3 "$work/damaged.db" "SELECT rootpage FROM sqlite_master WHERE name = 'names'")
printf 'X%.0s' $(seq 200) | dd of="$work/damaged.db" bs=1 seek=$(((root - 1) * page + 8)) conv=notrunc 2> /dev/null
before=$(file_sha "$work/damaged.db")
mkdir -p "$work/damaged-out"
bl damaged export damaged.db --to damaged-out/layers.geojson
expect_refused damaged damaged.db "the database is damaged \\(database disk image is malformed\\)"
check "the damaged export left no file" test -z "$(ls -A "$work/damaged-out")"
check "damaged.db's bytes are unchanged" test "$(file_sha "$work/damaged.db")" = "$before"

# A database written by a newer borderlens: exit 4, named.
"$make_fixture" "$work/newer.db" --newer-schema > /dev/null
for command in info query import; do
  args=("$command" newer.db)
  [ "$command" = import ] && args+=("$fixtures/incidents/good.csv")
  bl "newer_$command" "${args[@]}"
  expect_error "newer_$command" 4 "newer\\.db: schema version 99 is newer than this borderlens supports"
done

hostile_finish
