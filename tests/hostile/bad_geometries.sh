#!/usr/bin/env bash
# Self-intersecting, degenerate and empty geometries in incidents (WKT in CSV, GeoJSON): each is
# rejected alone with its file, line or record and reason; valid neighbours are imported; and
# the database still renders, exports and tiles afterwards.
source "$(dirname "$0")/lib.sh"

new_db db.db

row() {  # row ID WKT
  echo "$1,seizure,Geometry test $1,2017-08-22,,,,\"$2\",region,,,,,Press,Title,,https://example.org/$1"
}
{ echo "$incidents_header"
  row g-ok-polygon 'POLYGON((124 40,125 40,125 41,124 40))'
  row g-ok-line 'LINESTRING(124 40,124.5 40.5)'
  row g-bowtie 'POLYGON((124 40,125 41,125 40,124 41,124 40))'
  row g-spike 'POLYGON((124 40,125 40,124 40))'
  row g-short-line 'LINESTRING(124 40)'
  row g-ring-open 'POLYGON((124 40,125 40,125 41))'
  row g-point-empty 'POINT EMPTY'
  row g-polygon-empty 'POLYGON EMPTY'
  row g-line-empty 'LINESTRING EMPTY'
  row g-multi-empty 'MULTIPOLYGON EMPTY'
  row g-collection-empty 'GEOMETRYCOLLECTION EMPTY'
  row g-collection-part 'GEOMETRYCOLLECTION(POINT(124 40),POLYGON EMPTY)'
  row g-garbage 'POLYGON((124 40,'
} > "$work/geometries.csv"
incidents=$(info_count db.db incidents)
bl csv import db.db geometries.csv
expect_rc csv 0
line=4
for id in g-bowtie g-spike g-short-line g-ring-open g-point-empty g-polygon-empty g-line-empty \
          g-multi-empty g-collection-empty g-collection-part g-garbage; do
  expect_out csv "^  rejected: geometries\\.csv:$line \\($id\\): .*(wkt|geometry)"
  line=$((line + 1))
done
check "only the two valid geometries were imported" \
  test "$(info_count db.db incidents)" = $((incidents + 2))

feature() {  # feature ID GEOMETRY
  printf '{"type":"Feature","properties":{"id":"%s","kind":"seizure","title":"t","start":"2017-08-22","geo_precision":"region","source_publisher":"P","source_title":"T","source_url":"https://example.org/%s"},"geometry":%s}' "$1" "$1" "$2"
}
{ printf '{"type":"FeatureCollection","features":[\n'
  feature j-ok '{"type":"Polygon","coordinates":[[[124,40],[125,40],[125,41],[124,40]]]}'; printf ',\n'
  feature j-null 'null'; printf ',\n'
  feature j-empty '{"type":"Polygon","coordinates":[]}'; printf ',\n'
  feature j-bowtie '{"type":"Polygon","coordinates":[[[124,40],[125,41],[125,40],[124,41],[124,40]]]}'; printf ',\n'
  feature j-multi-empty '{"type":"MultiPoint","coordinates":[]}'; printf '\n]}\n'
} > "$work/geometries.geojson"
incidents=$(info_count db.db incidents)
bl geojson import db.db geometries.geojson
expect_rc geojson 0
for id in j-null j-empty j-bowtie j-multi-empty; do
  expect_out geojson "^  rejected: geometries\\.geojson: record $id: .*geometry"
done
check "only the valid feature was imported" test "$(info_count db.db incidents)" = $((incidents + 1))

# Everything stored draws and exports.
mkdir -p "$work/out"
bl render render db.db --to out/map.png --size 256x160
expect_rc render 0
bl export export db.db --to out/layers.gpkg
expect_rc export 0
bl tiles tiles db.db --to out/tiles.mbtiles --zoom 0-4
expect_rc tiles 0
bl query query db.db --bbox 123,39,126,42 --format geojson
expect_rc query 0
check "the valid polygon is found by its box" grep -q 'g-ok-polygon' "$work/query.out"

hostile_finish
