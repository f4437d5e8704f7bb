#!/usr/bin/env bash
# No secret reaches a log: every subcommand `borderlens --help` lists is run with connection
# strings that carry a password (port 1 of 127.0.0.1 refuses connections, so no server is
# needed), and the password appears in no standard output, standard error or file any command
# leaves behind — the settings file of the map window included (HOME points into the work
# directory). Each command must fail with one error line, and the location it names, if any, is
# redacted.
# With BORDERLENS_TEST_PG set (a PostgreSQL server where tests may CREATE DATABASE, as for the
# store tests) the commands also run to success against a fresh database there, reached with a
# password in the URL (a trust-authenticated server ignores it): reports, info and manifests then
# name the database too.
source "$(dirname "$0")/lib.sh"

secret=TopSecret123
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
unset DISPLAY WAYLAND_DISPLAY
new_db fixture.db
cp "$fixtures/incidents/good.csv" "$work/incidents.csv"

locations=(
  "postgresql://ana:$secret@127.0.0.1:1/x"
  "postgres://ana:$secret@127.0.0.1:1/x?sslmode=disable"
  "postgresql://ana@127.0.0.1:1/x?password=$secret&sslmode=disable"
  "PG:host=127.0.0.1 port=1 password=$secret dbname=x"
  "PG:host=127.0.0.1 port=1 password='$secret' dbname=x"
)

mapfile -t commands < <("$borderlens" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "borderlens --help lists the subcommands" test "${#commands[@]}" -ge 8

# arguments_for COMMAND LOCATION N: the arguments that make COMMAND use LOCATION as its database.
arguments_for() {
  local command=$1 location=$2 n=$3
  case $command in
    import) args=(import "$location" incidents.csv) ;;
    export) args=(export "$location" --to "out$n/layers.gpkg") ;;
    tiles) args=(tiles "$location" --to "out$n/tiles.mbtiles") ;;
    render) args=(render "$location" --to "out$n/map.png" --size 64x64) ;;
    copy) args=(copy fixture.db "$location") ;;
    *) args=("$command" "$location") ;;
  esac
}

# no_secret NAME: the secret is in neither output of `bl NAME`.
no_secret() {
  if grep -qF "$secret" "$work/$1.out" "$work/$1.err"; then
    fail "$1 printed the password: $(grep -hF "$secret" "$work/$1.out" "$work/$1.err" | head -3)"
  else
    pass
  fi
}

n=0
for location in "${locations[@]}"; do
  for command in "${commands[@]}"; do
    n=$((n + 1))
    mkdir -p "$work/out$n"
    arguments_for "$command" "$location" "$n"
    run_in_work "$command$n" timeout 120 "$borderlens" "${args[@]}"
    no_secret "$command$n"
    if [ "$rc" = 0 ] || [ "$rc" -ge 124 ]; then
      fail "$command$n: exit code $rc for an unreachable database '${location//$secret/***}'"
    elif [ "$(wc -l < "$work/$command$n.err")" != 1 ]; then
      fail "$command$n: expected one error line: $(head -c 600 "$work/$command$n.err")"
    else
      pass
    fi
  done
  # The reversed copy: the server is the source.
  if [[ " ${commands[*]} " == *" copy "* ]]; then
    n=$((n + 1))
    run_in_work "copy_from$n" timeout 120 "$borderlens" copy "$location" "copy$n.db"
    no_secret "copy_from$n"
  fi
done

# With a server: the same commands succeeding.
if [ -n "${BORDERLENS_TEST_PG:-}" ] && command -v psql > /dev/null; then
  database="bl_hostile_secret_$$"
  if psql "$BORDERLENS_TEST_PG" -qAt -c "CREATE DATABASE $database" > /dev/null; then
    trap 'psql "$BORDERLENS_TEST_PG" -qAt -c "DROP DATABASE IF EXISTS $database" > /dev/null 2>&1; rm -rf "$work"' EXIT
    # BORDERLENS_TEST_PG is postgresql://USER@HOST:PORT/DB: the same server and user, with a
    # password, and the fresh database.
    base=${BORDERLENS_TEST_PG%%\?*}
    base=${base%/*}
    url="$base/$database?password=$secret"
    userinfo=${base#*://}
    with_user=$url
    [[ $userinfo == *@* && ${userinfo%%@*} != *:* ]] && with_user="${base/@/:$secret@}/$database"
    for step in "init $url" "import $url incidents.csv" "info $url" "info --json $url" \
                "query $url" "rounds $url" "export $url --to live/layers.gpkg" \
                "export $url --to live/layers.geojson" "tiles $url --to live/tiles.mbtiles" \
                "render $url --to live/map.png --size 64x64" "import --json $url incidents.csv" \
                "info $with_user" "copy $with_user live/copy.db"; do
      n=$((n + 1))
      mkdir -p "$work/live"
      read -ra args <<< "$step"
      bl "live$n" "${args[@]}"
      expect_rc "live$n" 0
      no_secret "live$n"
    done
    check "the live commands named the database, redacted" grep -rqF '***' "$work/live"
  else
    fail "cannot create a database on BORDERLENS_TEST_PG"
  fi
else
  echo "BORDERLENS_TEST_PG not set: the commands ran against unreachable servers only"
fi

leaks=$(grep -rlF "$secret" "$work" --exclude='*.out' --exclude='*.err' 2>/dev/null)
check "no file holds the password${leaks:+: $leaks}" test -z "$leaks"

hostile_finish
