#!/usr/bin/env bash
# SQL metacharacters and FTS5 query syntax in text search and filters: every value is searched
# for as text or refused as a usage error (exit 2, one line), never run as SQL or as an FTS5
# expression, and never changes the database. Names that themselves hold quotes, semicolons and
# FTS operators are imported and found by their own text.
source "$(dirname "$0")/lib.sh"

new_db db.db
cat > "$work/odd.ftm.json" <<'EOF'
{"id": "odd-1", "schema": "Company", "properties": {"name": ["O'Brien \"Quoted\"; DROP TABLE entities; -- Trading"], "country": ["cn"]}}
{"id": "odd-2", "schema": "Company", "properties": {"name": ["NEAR AND OR NOT Shipping"], "country": ["kp"]}}
{"id": "odd-3", "schema": "Company", "properties": {"name": ["Percent 100% _Under_ Score*"], "country": ["cn"]}}
EOF
bl import import db.db odd.ftm.json
expect_rc import 0
remember db.db

found() {  # found NAME TEXT EXPECTED_ID: query --text TEXT lists the entity from odd-N
  bl "$1" query db.db --text "$2" --format csv
  expect_rc "$1" 0
  if grep -qF "$3" "$work/$1.out"; then pass; else fail "$1: --text '$2' did not find '$3'"; fi
}
found quote "O'Brien" "O'Brien"
found semicolon "DROP TABLE entities" "O'Brien"
found double_quote '"Quoted"' "O'Brien"
found operators "NEAR AND OR NOT" "NEAR AND OR NOT Shipping"
found percent "100%" "Percent 100%"
found underscore "_Under_" "Percent 100%"

bl all query db.db --format csv
all_rows=$(($(wc -l < "$work/all.out") - 1))
n=0
while IFS= read -r text; do
  n=$((n + 1))
  bl "text$n" query db.db --text "$text" --format csv
  if [ "$rc" = 2 ]; then
    expect_error "text$n" 2 "--text"
  else
    expect_rc "text$n" 0
  fi
  # A wildcard or an operator never matches everything.
  rows=$(($(wc -l < "$work/text$n.out") - 1))
  if [ "$rows" -lt "$all_rows" ]; then pass; else
    fail "--text '$text' matched all $rows rows, as if it were a wildcard"
  fi
done <<'EOF'
'; DROP TABLE entities; --
" OR 1=1 --
x' OR '1'='1
*
"
a*
^Dandong
NEAR(Dandong Fixture, 5)
Dandong NOT Fixture
Dandong AND OR
body:Dandong
kind:organization
{body kind}:x
(Dandong
)
-Dandong
+
%
_
\
'
''
;
--
/* */
Dandong"*
丹东" OR "단둥
EOF

# Filters that are matched as values: SQL in them finds nothing and runs nothing.
for flag in --round --authority --program; do
  for value in "x' OR 1=1 --" "UN' OR 'a'='a" "%" "*" "'; DELETE FROM entities; --"; do
    n=$((n + 1))
    bl "filter$n" query db.db "$flag" "$value" --format csv
    expect_rc "filter$n" 0
    check "$flag '$value' matches nothing" test "$(wc -l < "$work/filter$n.out")" = 1
  done
done
bl kind query db.db --kind "organization' OR 1=1 --"
expect_error kind 2 "unknown --kind"

# The same text through an export.
mkdir -p "$work/out"
bl export export db.db --to out/odd.geojson --text "O'Brien \"Quoted\"; DROP"
expect_rc export 0
check "the export holds the entity" grep -qF 'Brien' "$work/out/odd.geojson"

unchanged db.db "searching with SQL and FTS5 syntax"
check "the entities table is still there" bash -c "[ \$(sqlite3 '$work/db.db' 'SELECT count(*) FROM entities') -ge 7 ]"

hostile_finish
