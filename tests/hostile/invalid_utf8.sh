#!/usr/bin/env bash
# Invalid UTF-8 in every place it can come from: inside a list file (the whole XML file is
# refused with its line; a CSV row or an FtM line is rejected alone and named), in a CSV header,
# in a file name, and in command-line filter values. Nothing ends as an internal error (exit 1),
# and what is refused leaves the database unchanged.
source "$(dirname "$0")/lib.sh"

new_db db.db
remember db.db

# XML: the file is refused, naming the line of the bad byte.
cp "$fixtures/un/invalid_utf8.xml" "$work/"
bl un import db.db invalid_utf8.xml
expect_error un 5 "invalid_utf8\\.xml:6: malformed XML: invalid UTF-8"
unchanged db.db "invalid UTF-8 in UN XML"

sed '0,/<lastName>/s//&\xff\xfe/' "$fixtures/ofac/sdn.xml" > "$work/sdn.xml"
line=$(grep -an $'\xff' "$work/sdn.xml" | head -1 | cut -d: -f1)
bl ofac import db.db sdn.xml
expect_error ofac 5 "sdn\\.xml:$line: malformed XML: invalid UTF-8"
unchanged db.db "invalid UTF-8 in OFAC XML"

# A CSV header: the file is refused.
{ printf '%s,not\xe9utf8\n' "$incidents_header"; tail -n +2 "$fixtures/incidents/good.csv"; } \
  > "$work/header.csv"
bl header import db.db header.csv
expect_error header 5 "header\\.csv:1: the header is not valid UTF-8"
unchanged db.db "a CSV header with invalid UTF-8"

# A CSV row and an FtM line: rejected alone, the rest imported.
incidents=$(info_count db.db incidents)
{ echo "$incidents_header"
  echo "u-1,seizure,Good row,2017-08-22,,124.383,40.117,,city,,,,,Press,Title,,https://example.org/u1"
  printf 'u-2,seizure,Bad \xc3\x28 row,2017-08-22,,124.383,40.117,,city,,,,,Press,Title,,https://example.org/u2\n'
  printf 'u-3,seizure,Overlong \xc0\xaf slash,2017-08-22,,124.383,40.117,,city,,,,,Press,Title,,https://example.org/u3\n'
  printf 'u-4,seizure,Surrogate \xed\xa0\x80,2017-08-22,,124.383,40.117,,city,,,,,Press,Title,,https://example.org/u4\n'
} > "$work/rows.csv"
bl rows import db.db rows.csv
expect_rc rows 0
for row in 3 4 5; do expect_out rows "^  rejected: rows\\.csv:$row: invalid UTF-8 in column 'title'$"; done
check "one incident imported from rows.csv" test "$(info_count db.db incidents)" = $((incidents + 1))

{ echo '{"id": "u-co-1", "schema": "Company", "properties": {"name": ["Utf Fixture One"], "country": ["cn"]}}'
  printf '{"id": "u-co-2", "schema": "Company", "properties": {"name": ["Bad \xff Name"], "country": ["cn"]}}\n'
} > "$work/lines.ftm.json"
entities=$(info_count db.db entities)
bl ftm import db.db lines.ftm.json
expect_rc ftm 0
expect_out ftm "^  rejected: lines\\.ftm\\.json:2: invalid UTF-8 \\(at byte [0-9]+\\)$"
check "one entity imported from lines.ftm.json" test "$(info_count db.db entities)" = $((entities + 1))

# A file name that is not UTF-8: imported; the JSON report stays valid JSON.
name=$'bad\xffname.csv'
cp "$fixtures/incidents/good.csv" "$work/$name"
bl name import db.db "$name" --json
expect_rc name 0
check "the report of a non-UTF-8 file name is UTF-8" iconv -f UTF-8 -t UTF-8 "$work/name.out" -o /dev/null
check "the report names the file with U+FFFD for the bad byte" \
  grep -qF "\"file\": \"bad"$'\xef\xbf\xbd'"name.csv\"" "$work/name.out"

# Filter values that are not UTF-8: refused as usage, or matching nothing; exports still write
# valid JSON manifests.
remember db.db
bl text query db.db --text $'\xff\xfe'
expect_error text 2 "--text"
bl kind query db.db --kind $'\xff'
expect_error kind 2 "unknown --kind"
mkdir -p "$work/out"
for format in geojson gpkg; do
  bl "export_$format" export db.db --to "out/a.$format" --authority $'U\xffN' --text $'Dan\xffdong'
  expect_rc "export_$format" 0
  check "the $format manifest is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$work/out/a.$format.manifest.json" -o /dev/null
done
bl tiles tiles db.db --to out/t.mbtiles --zoom 0-2 --authority $'U\xffN'
expect_rc tiles 0
bl render render db.db --to out/m.png --size 64x64 --authority $'U\xffN' --title $'T\xff'
expect_rc render 0
unchanged db.db "queries and exports with non-UTF-8 filters"

hostile_finish
