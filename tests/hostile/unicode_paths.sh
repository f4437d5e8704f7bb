#!/usr/bin/env bash
# File and directory names with spaces and Chinese and Korean characters, for the database, the
# imported files and every output: init, import, info, query, rounds, export, tiles and render
# work on them, and reports name them as given.
source "$(dirname "$0")/lib.sh"

db="분석 db/边境 (test).db"
data="丹东 data"
mkdir -p "$work/분석 db" "$work/$data" "$work/출력 地图"
cp "$fixtures/un/consolidated.xml" "$work/$data/단둥 list.xml"
cp "$fixtures/incidents/good.csv" "$work/$data/사건 incidents 事件.csv"
cp "$fixtures/ofac/csv/"*.csv "$work/$data/"

bl init init "$db"
expect_rc init 0
expect_out init "^created 분석 db/边境 \\(test\\)\\.db "

bl import import "$db" "$data/단둥 list.xml" "$data/사건 incidents 事件.csv" "$data/sdn.csv"
expect_rc import 0
expect_out import "^$data/단둥 list\\.xml \\(un-xml, "
expect_out import "^$data/사건 incidents 事件\\.csv \\(incidents, "
expect_out import "^imported into 분석 db/边境 \\(test\\)\\.db$"
check "entities were imported" test "$(info_count "$db" entities)" -gt 0
check "incidents were imported" test "$(info_count "$db" incidents)" -gt 0

bl import_json import "$db" "$data/사건 incidents 事件.csv" --json
expect_rc import_json 0
check "the JSON report names the file" grep -qF '"file": "丹东 data/사건 incidents 事件.csv"' "$work/import_json.out"

bl info info "$db"
expect_rc info 0
expect_out info "^분석 db/边境 \\(test\\)\\.db$"
bl query query "$db" --format csv
expect_rc query 0
check "query lists records" test "$(wc -l < "$work/query.out")" -gt 2
bl rounds rounds "$db"
expect_rc rounds 0

for format in gpkg geojson kml csv; do
  bl "export_$format" export "$db" --to "출력 地图/레이어 图层.$format"
  expect_rc "export_$format" 0
  check "the $format export exists" test -s "$work/출력 地图/레이어 图层.$format"
  check "the $format manifest exists" test -s "$work/출력 地图/레이어 图层.$format.manifest.json"
done
bl export_shp export "$db" --to "출력 地图/셰이프 目录" --format shp
expect_rc export_shp 0
check "the shapefile directory holds .shp files" \
  bash -c "ls '$work/출력 地图/셰이프 目录/'*.shp > /dev/null"

bl tiles tiles "$db" --to "출력 地图/타일 瓦片.mbtiles" --zoom 0-4
expect_rc tiles 0
check "the tiles exist" test -s "$work/출력 地图/타일 瓦片.mbtiles"

bl render render "$db" --to "출력 地图/지도 地图.png" --size 320x200
expect_rc render 0
check "the PNG exists" test -s "$work/출력 地图/지도 地图.png"
bl render_tif render "$db" --to "출력 地图/지도 地图.tif" --size 320x200
expect_rc render_tif 0
check "the GeoTIFF exists" test -s "$work/출력 地图/지도 地图.tif"

# Errors name such paths as given, too.
bl missing info "없는 db/缺少.db"
expect_error missing 3 "없는 db/缺少\\.db: no such database file"

hostile_finish
