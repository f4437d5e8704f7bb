#!/usr/bin/env bash
# Every command against a PostGIS database gives what it gives against a SpatiaLite file, and no
# output, error or written file ever shows the password of the connection string.
#   pg_cli.sh BORDERLENS FIXTURES_DIR GEODATA_DIR WORK_DIR
# Needs BORDERLENS_TEST_PG (a server where it may CREATE DATABASE; tools/test starts one);
# without it, exits 77, which ctest reports as skipped.
set -euo pipefail

borderlens=$1
fixtures=$2
geodata=$3
work=$4/pg_cli.$$

if [ -z "${BORDERLENS_TEST_PG:-}" ]; then
  echo "SKIPPED: BORDERLENS_TEST_PG is not set (no PostgreSQL server to test against)"
  exit 77
fi

password=s3cretpw
database=bl_cli_$$_$RANDOM
# URLs for the server's maintenance database and for this test's database, the latter with a
# password that trust authentication ignores and borderlens must never show.
read -r admin_url url kv_location < <(python3 - "$BORDERLENS_TEST_PG" "$database" "$password" <<'EOF'
import sys, urllib.parse
server, name, password = sys.argv[1:4]
if not server.startswith(("postgresql://", "postgres://")):
    sys.exit("pg_cli.sh: BORDERLENS_TEST_PG must be a postgresql:// URL")
u = urllib.parse.urlsplit(server)
user = u.username or "postgres"
host = u.hostname or "localhost"
port = u.port or 5432
netloc = f"{urllib.parse.quote(user)}@{host}:{port}"
admin = urllib.parse.urlunsplit((u.scheme, netloc, "/postgres", u.query, ""))
secret = f"{urllib.parse.quote(user)}:{password}@{host}:{port}"
url = urllib.parse.urlunsplit((u.scheme, secret, "/" + name, u.query, ""))
kv = f"PG:host={host} port={port} user={user} password={password} dbname={name}"
print(admin, url, kv)
EOF
)
psql=(psql -X -q -v ON_ERROR_STOP=1)
[ -x /usr/lib/postgresql/15/bin/psql ] && psql[0]=/usr/lib/postgresql/15/bin/psql

rm -rf "$work"
mkdir -p "$work"
cleanup() {
  "${psql[@]}" "$admin_url" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${psql[@]}" "$admin_url" -c "CREATE DATABASE $database" >/dev/null

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run NAME ARGS...: runs borderlens, keeping stdout, stderr and the exit code under $work/NAME.
run() {
  local name=$1
  shift
  set +e
  "$borderlens" "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
  set -e
}

expect_rc() {
  local name=$1 want=$2
  local got
  got=$(cat "$work/$name.rc")
  if [ "$got" != "$want" ]; then
    fail "$name: exit code $got, expected $want"
    sed 's/^/    /' "$work/$name.err" | head -5
  fi
}

# same NAME: the PostGIS run's output equals the SpatiaLite run's, once each database's location
# is written as DB and times of day as TIME (the two runs are seconds apart).
same() {
  local name=$1
  local time='s/[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}/TIME/g'
  sed -E -e "s|$work/lite.db|DB|g" -e "$time" "$work/lite_$name.out" >"$work/lite_$name.norm"
  sed -E -e "s|postgresql://postgres:\*\*\*@[^ \"]*/$database|DB|g" -e "$time" \
    "$work/pg_$name.out" >"$work/pg_$name.norm"
  if ! diff -u "$work/lite_$name.norm" "$work/pg_$name.norm" >"$work/$name.diff"; then
    fail "$name: PostGIS output differs from SpatiaLite"
    head -20 "$work/$name.diff"
  fi
  if [ ! -s "$work/lite_$name.norm" ]; then fail "$name: no output to compare"; fi
}

lite=$work/lite.db
border=(--geodata "$geodata/base.gpkg")
[ -f "$geodata/base.gpkg" ] || border=(--no-border)

# The same steps on both backends.
for backend in lite pg; do
  db=$lite
  [ "$backend" = pg ] && db=$url
  run "${backend}_init" init "$db" "${border[@]}"
  run "${backend}_import" import "$db" "$fixtures/un/consolidated.xml" "$fixtures/ofac/sdn.xml" \
    "$fixtures/incidents/good.csv"
  run "${backend}_import_again" import "$db" "$fixtures/incidents/incidents.geojson" \
    "$fixtures/incidents/good.csv"
  run "${backend}_info" info "$db" --json
  run "${backend}_query" query "$db" --format csv
  run "${backend}_query_geometry" query "$db" --format csv --bbox 120,35,130,45
  run "${backend}_query_text" query "$db" --format csv --text fixture
  run "${backend}_query_round" query "$db" --format csv --round UN-2017-12-22 --from 2016
  run "${backend}_query_near" query "$db" --format csv --near 124.38,40.1 --within-km 50
  run "${backend}_rounds" rounds "$db" --json
  run "${backend}_export" export "$db" --to "$work/$backend.gpkg"
  # Bare: the attribution names the database, which differs.
  run "${backend}_render" render "$db" --to "$work/$backend.png" --size 400x300 --bare
  run "${backend}_render_furnished" render "$db" --to "$work/${backend}_furnished.png" \
    --size 400x300 --text fixture --title "A title"
  for step in init import import_again info query query_geometry query_text query_round \
    query_near rounds export render render_furnished; do
    expect_rc "${backend}_$step" 0
  done
done

for step in import import_again info query query_geometry query_text query_round query_near \
  rounds; do
  same "$step"
done
grep -q '"incidents"' "$work/pg_info.out" || fail "info --json reports no incidents"
[ "$(wc -l <"$work/pg_query.out")" -gt 10 ] || fail "query lists too few rows"

# The exported layers and the rendered pixels are the same.
if command -v ogrinfo >/dev/null; then
  for backend in lite pg; do
    ogrinfo -ro -al -q "$work/$backend.gpkg" | grep -v -e "^INFO" -e "manifest" >"$work/${backend}_layers.out"
  done
  same layers
fi
if command -v gdalinfo >/dev/null; then
  for backend in lite pg; do
    gdalinfo -checksum "$work/$backend.png" | grep Checksum >"$work/${backend}_pixels.out"
  done
  same pixels
fi

# init on a database that has the schema changes nothing.
run pg_init_again init "$url" --no-border
expect_rc pg_init_again 0
grep -q "nothing to do" "$work/pg_init_again.out" || fail "a second init did not see the schema"
grep -q "created" "$work/pg_init.out" || fail "the first init did not report creating the schema"

# A libpq key/value location opens the same database.
run pg_kv_info info "$kv_location" --json
expect_rc pg_kv_info 0
grep -q '"schema_version": 5' "$work/pg_kv_info.out" || fail "info on a PG: location"

# Credentials and settings come from libpq's own sources too: a service file, PGUSER.
read -r host port < <(python3 -c 'import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); print(u.hostname or "localhost", u.port or 5432)' "$url")
printf '[bltest]\nhost=%s\nport=%s\nuser=postgres\ndbname=%s\n' "$host" "$port" "$database" \
  >"$work/pg_service.conf"
PGSERVICEFILE=$work/pg_service.conf run pg_service_rounds rounds "PG:service=bltest" --json
expect_rc pg_service_rounds 0
cmp -s "$work/pg_rounds.out" "$work/pg_service_rounds.out" || fail "PG:service= reads other rounds"
PGUSER=postgres run pg_env_rounds rounds "postgresql://$host:$port/$database" --json
expect_rc pg_env_rounds 0
cmp -s "$work/pg_rounds.out" "$work/pg_env_rounds.out" || fail "PGUSER: other rounds"

# The map window opens the database through the same loaders (under Xvfb, where there is one).
if command -v xvfb-run >/dev/null; then
  set +e
  xvfb-run -a -s "-screen 0 1280x800x24" "$borderlens" view "$url" --screenshot "$work/view.png" \
    --size 640x400 >"$work/pg_view.out" 2>"$work/pg_view.err"
  echo $? >"$work/pg_view.rc"
  set -e
  expect_rc pg_view 0
fi

# An unreachable server: every command fails with exit code 3 (database unavailable).
unreachable="postgresql://analyst:$password@127.0.0.1:1/bl"
run down_init init "$unreachable" --no-border
run down_info info "$unreachable"
run down_query query "$unreachable"
run down_rounds rounds "$unreachable"
run down_import import "$unreachable" "$fixtures/incidents/good.csv"
run down_export export "$unreachable" --to "$work/down.gpkg"
run down_render render "$unreachable" --to "$work/down.png"
run down_kv info "PG:host=127.0.0.1 port=1 password=$password"
for step in init info query rounds import export render kv; do
  expect_rc "down_$step" 3
done
run wrong_password_db info "${url%/*}/no_such_database_$database"
expect_rc wrong_password_db 3

# Nothing printed, and nothing written, names the password.
if grep -rl -a "$password" "$work" --exclude='*.rc' | grep -v -e '\.norm$' >"$work/leaks"; then
  if [ -s "$work/leaks" ]; then
    fail "the password appears in: $(tr '\n' ' ' <"$work/leaks")"
  fi
fi
grep -q '\*\*\*' "$work/pg_import.out" || fail "the import report does not show the redacted location"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all PostGIS command-line checks passed"
