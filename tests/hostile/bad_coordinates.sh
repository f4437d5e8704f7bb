#!/usr/bin/env bash
# NaN, infinite and out-of-range coordinates: in incidents CSV columns and WKT, GeoJSON, and
# FollowTheMoney addresses each bad record is rejected alone and named with its file, line or
# record and reason, and nothing of it is stored; on the command line (--bbox, --near,
# --within-km, --border-km, --min-confidence) the value is a usage error (exit 2) before any I/O.
source "$(dirname "$0")/lib.sh"

new_db db.db

row() {  # row ID LON LAT WKT
  echo "$1,seizure,Coordinate test $1,2017-08-22,,$2,$3,\"$4\",exact,,,,,Press,Title,,https://example.org/$1"
}
{ echo "$incidents_header"
  row c-ok 124.4 40.1 ''
  row c-nan NaN 40.1 ''
  row c-nan2 124.4 -nan ''
  row c-inf inf 40.1 ''
  row c-inf2 124.4 -Infinity ''
  row c-lon 180.0000001 40.1 ''
  row c-lat 124.4 -90.5 ''
  row c-big 1e308 40.1 ''
  row c-huge 124.4 1e999 ''
  row c-hex 0x7c 40.1 ''
  row c-wkt-nan '' '' 'POINT(nan 40)'
  row c-wkt-inf '' '' 'POINT(124 inf)'
  row c-wkt-big '' '' 'POINT(1e400 40)'
  row c-wkt-range '' '' 'LINESTRING(124 40,124 95)'
} > "$work/coords.csv"
incidents=$(info_count db.db incidents)
bl csv import db.db coords.csv
expect_rc csv 0
line=2
for id in c-ok c-nan c-nan2 c-inf c-inf2 c-lon c-lat c-big c-huge c-hex c-wkt-nan c-wkt-inf c-wkt-big c-wkt-range; do
  if [ "$id" != c-ok ]; then
    expect_out csv "^  rejected: coords\\.csv:$line \\($id\\): (lon|lat|wkt) .*(finite|range|number|parsed)"
  fi
  line=$((line + 1))
done
check "only the good row was imported" test "$(info_count db.db incidents)" = $((incidents + 1))

feature() {  # feature ID COORDINATES
  printf '{"type":"Feature","properties":{"id":"%s","kind":"seizure","title":"t","start":"2017-08-22","geo_precision":"exact","source_publisher":"P","source_title":"T","source_url":"https://example.org/%s"},"geometry":{"type":"Point","coordinates":%s}}' "$1" "$1" "$2"
}
{ printf '{"type":"FeatureCollection","features":[\n'
  feature j-ok '[124.4,40.1]'; printf ',\n'
  feature j-range '[500,40]'; printf ',\n'
  feature j-lat '[124,-91]'; printf ',\n'
  feature j-huge '[1e400,40]'; printf '\n]}\n'
} > "$work/coords.geojson"
incidents=$(info_count db.db incidents)
bl geojson import db.db coords.geojson
expect_rc geojson 0
expect_out geojson "^  rejected: coords\\.geojson: record j-range: geometry is out of range"
expect_out geojson "^  rejected: coords\\.geojson: record j-lat: geometry is out of range"
expect_out geojson "^  rejected: coords\\.geojson: record j-huge: geometry has coordinates that are not finite"
check "only the good feature was imported" test "$(info_count db.db incidents)" = $((incidents + 1))

address() {  # address ID LAT LON
  printf '{"id": "%s", "schema": "Address", "properties": {"full": ["Somewhere"], "country": ["cn"], "latitude": ["%s"], "longitude": ["%s"]}}\n' "$1" "$2" "$3"
}
{ address a-nan nan 124.4; address a-inf 40 -inf; address a-range 40 181; address a-lat 91 124
  echo '{"id": "co-1", "schema": "Company", "properties": {"name": ["Coordinate Fixture Co"], "country": ["cn"], "addressEntity": ["a-nan"]}}'
} > "$work/coords.ftm.json"
bl ftm import db.db coords.ftm.json
expect_rc ftm 0
expect_out ftm "^  rejected: coords\\.ftm\\.json:1 \\(a-nan\\): latitude 'nan' is not a finite number$"
expect_out ftm "^  rejected: coords\\.ftm\\.json:2 \\(a-inf\\): longitude '-inf' is not a finite number$"
expect_out ftm "^  rejected: coords\\.ftm\\.json:3 \\(a-range\\): longitude '181' is out of range"
expect_out ftm "^  rejected: coords\\.ftm\\.json:4 \\(a-lat\\): latitude '91' is out of range"
bl ftm_query query db.db --text "Coordinate Fixture" --format csv
check "the company kept no location from a rejected address" \
  bash -c "[ \$(grep -c 'Coordinate Fixture Co' '$work/ftm_query.out') = 1 ] && ! grep 'Coordinate Fixture Co' '$work/ftm_query.out' | grep -q '40\\.'"

# Command-line values: refused before the database is opened (a missing database would be
# exit 3, so exit 2 shows the value was checked first).
n=0
for flags in "--bbox nan,40,125,41" "--bbox 124,40,inf,41" "--bbox 124,40,200,41" "--bbox 124,95,125,96" \
             "--near nan,40 --within-km 5" "--near 124,40 --within-km inf" "--near 124,91 --within-km 5" \
             "--border-km -inf" "--border-km nan" "--min-confidence nan" "--min-confidence 1e999"; do
  n=$((n + 1))
  read -ra args <<< "$flags"
  for command in query export render; do
    extra=()
    [ "$command" = export ] && extra=(--to out.geojson)
    [ "$command" = render ] && extra=(--to out.png)
    bl "flag_${command}_$n" "$command" missing.db "${extra[@]}" "${args[@]}"
    # "invalid bbox 'VALUE': ...", "invalid --near 'VALUE': ...", "invalid number 'VALUE' for FLAG"
    expect_error "flag_${command}_$n" 2 "invalid (bbox|--near|number) '[^']*'"
  done
done
check "no output was written" test ! -e "$work/out.geojson" -a ! -e "$work/out.png"

hostile_finish
