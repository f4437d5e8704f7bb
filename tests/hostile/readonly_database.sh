#!/usr/bin/env bash
# A database this user cannot write: a file with mode 0444, and a writable file in a directory
# without write permission (where SQLite cannot put its -wal and -shm files). The read-only
# commands (info, query, rounds, export, tiles, render) work on both; import fails with exit 3
# and one line saying which permission is missing; the file's bytes stay as they were.
# Permission bits do not stop root, so as root the commands run without the capabilities that
# let root ignore them (setpriv), or else as `nobody` (runuser); the test is skipped (exit 77)
# where neither works.
source "$(dirname "$0")/lib.sh"

as_user=()
user=$(id -un)
no_override=(setpriv --bounding-set=-dac_override,-dac_read_search --)
if [ "$(id -u)" = 0 ]; then
  # Does it work here? A file it made and set to 0444 must then refuse its writes.
  if "${no_override[@]}" sh -c ': > "$1" && chmod 0444 "$1" && ! (: >> "$1") 2> /dev/null' \
       sh "$work/probe"; then
    as_user=("${no_override[@]}")
  elif command -v runuser > /dev/null && runuser -u nobody -- "$borderlens" --version > /dev/null 2>&1; then
    as_user=(runuser -u nobody --)
    user=nobody
  else
    echo "skipped: running as root, and neither setpriv nor runuser can take root's rights away"
    exit 77
  fi
fi
echo "running as $user${as_user[*]:+ (${as_user[*]})}"

# bl_as NAME ARGS...: borderlens as the unprivileged user, in $work.
bl_as() {
  local name=$1
  shift
  run_in_work "$name" "${as_user[@]}" "$borderlens" "$@"
}

mkdir -p "$work/file" "$work/dir" "$work/out"
new_db file/readonly.db
new_db dir/writable.db
chmod 0444 "$work/file/readonly.db"
# The directory is the user's own in the first case, so only the file's mode can stop a write.
chown "$user" "$work/file" "$work/dir/writable.db" "$work/out"
chmod 0644 "$work/dir/writable.db"
remember file/readonly.db
remember dir/writable.db
# The checks above ran as root and left empty -wal and -shm files, owned by the database's
# owner; a database just copied or unpacked has none, and without them SQLite needs a writable
# directory to create them.
rm -f "$work"/file/readonly.db-* "$work"/dir/writable.db-*
chmod 0555 "$work/dir"

n=0
for db in file/readonly.db dir/writable.db; do
  for command in "info" "info --json" "query --format csv" "rounds" "export --to out/X.gpkg" \
                 "tiles --to out/X.mbtiles --zoom 0-3" "render --to out/X.png --size 128x80"; do
    n=$((n + 1))
    read -ra args <<< "${command//X/out$n}"
    bl_as "read$n" "${args[0]}" "$db" "${args[@]:1}"
    expect_rc "read$n" 0
  done
  check "query on $db listed records" test "$(wc -l < "$work/read$((n - 4)).out")" -gt 2
done
for n in $(seq 5 7) $(seq 12 14); do
  check "the output of read$n was written" bash -c "ls '$work/out/out$n.'* > /dev/null"
done

bl_as import_file import file/readonly.db "$fixtures/incidents/good.csv"
expect_error import_file 3 "file/readonly\\.db: the database file is read-only \\(no permission to write it\\)"
bl_as import_dir import dir/writable.db "$fixtures/incidents/good.csv"
expect_error import_dir 3 "dir/writable\\.db: the directory dir is not writable, and SQLite keeps the database's write-ahead log"
bl_as init_file init file/readonly.db
expect_error init_file 3 "file/readonly\\.db: the database file is read-only"
bl_as init_dir init dir/new.db
expect_error init_dir 3 "dir/new\\.db: cannot be created: no permission to write in the directory dir"

# Before root's own checks, which may create -wal and -shm anywhere.
check "no -wal or -shm was left in the read-only directory" \
  test "$(ls -A "$work/dir")" = writable.db
unchanged file/readonly.db "reading and failing to write a 0444 file"
unchanged dir/writable.db "reading and failing to write in a read-only directory"

chmod 0755 "$work/dir"
hostile_finish
