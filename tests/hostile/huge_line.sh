#!/usr/bin/env bash
# A single enormous line (BORDERLENS_HOSTILE_LINE_BYTES, 1 GiB by default) in each line-based
# format: a CSV row, a CSV header of commas, a FollowTheMoney JSON line, UN XML element text and
# a UN XML attribute. Each import ends cleanly with its documented exit code and a message
# naming the file, line and reason, in bounded memory: peak RSS below
# BORDERLENS_HOSTILE_RSS_LIMIT_MB (512 by default). Readers keep at most 16 MiB of one record,
# and the import itself needs well under 100 MB here; the readers this guards against took
# 2 GB (CSV) to 15 GB (FtM) for such a line, or hours (expat rescanning an unfinished tag).
source "$(dirname "$0")/lib.sh"

bytes=${BORDERLENS_HOSTILE_LINE_BYTES:-1073741824}
rss_limit_kb=$(( ${BORDERLENS_HOSTILE_RSS_LIMIT_MB:-512} * 1024 ))
echo "line of $bytes bytes, peak RSS limit $((rss_limit_kb / 1024)) MiB"
new_db db.db

# fill BYTE: $bytes copies of BYTE, without a line end.
fill() { head -c "$bytes" /dev/zero | tr '\0' "$1"; }

# import_huge NAME FILE: imports FILE (then deletes it), measuring the peak RSS.
import_huge() {
  local name=$1 file=$2
  (cd "$work" && /usr/bin/time -f %M -o "$work/$name.rss" \
     "$borderlens" import db.db "$file" > "$work/$name.out" 2> "$work/$name.err")
  rc=$?
  rm -f "$work/$file"
  local rss
  rss=$(tail -n 1 "$work/$name.rss")
  echo "$name: exit $rc, peak RSS $((rss / 1024)) MiB"
  if [ "$rss" -lt "$rss_limit_kb" ]; then pass; else
    fail "$name: peak RSS $((rss / 1024)) MiB, limit $((rss_limit_kb / 1024)) MiB"
  fi
}

# A CSV row: rejected alone, named in the report; no incident is added.
remember db.db
incidents=$(info_count db.db incidents)
{ echo "$incidents_header"; fill a; } > "$work/row.csv"
import_huge row row.csv
expect_rc row 0
expect_out row "^  rejected: row\\.csv:2: the record is longer than 16 MiB$"
check "the long row added no incident" test "$(info_count db.db incidents)" = "$incidents"

# A CSV header that never ends: the file is refused, the database unchanged.
remember db.db
{ printf '%s,' "$incidents_header"; fill ,; } > "$work/header.csv"
import_huge header header.csv
expect_error header 5 "header\\.csv:1: header: the record has more than 4096 fields"
unchanged db.db "a CSV header of commas"

# A FollowTheMoney line: as the first line it decides the format, so the file is refused.
{ printf '{"id": "x", "schema": "Company", "properties": {"name": ["'; fill a; printf '"]}}\n'; } \
  > "$work/line.ftm.json"
import_huge ftm line.ftm.json
expect_error ftm 5 "line\\.ftm\\.json: not FollowTheMoney JSON lines \\(line 1: the line is longer than 16 MiB\\)"
unchanged db.db "a FollowTheMoney line"

# UN XML: an element's text, then an attribute value, each on one line.
list_start='<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2019-02-01T10:00:00.000-05:00"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>'
list_end='</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER><LISTED_ON>2016-11-30</LISTED_ON></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>'
{ printf '%s' "$list_start"; fill a; printf '%s\n' "$list_end"; } > "$work/text.xml"
import_huge xml_text text.xml
expect_error xml_text 5 "text\\.xml:1: an element's text is longer than 16 MiB; refused"
unchanged db.db "UN XML text"

{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="'; fill a
  printf '"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>\n'; } > "$work/attribute.xml"
import_huge xml_attribute attribute.xml
expect_error xml_attribute 5 "attribute\\.xml:2: a tag, attribute or comment longer than 16 MiB; refused"
unchanged db.db "a UN XML attribute"

hostile_finish
