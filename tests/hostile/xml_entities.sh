#!/usr/bin/env bash
# XML external entities (XXE) and entity-expansion bombs, in every XML format borderlens imports
# (UN, OFAC sdn.xml, OFAC advanced, KML incidents through GDAL): the import fails with exit 5 and
# one line naming the file and line and why, nothing is fetched or expanded (the secret file's
# text appears nowhere), and the database is unchanged.
source "$(dirname "$0")/lib.sh"

secret_text=HostileXxeSecret7341
printf '%s\n' "$secret_text" > "$work/secret.txt"
new_db db.db
remember db.db

# with_doctype SOURCE OUT ROOT DECLARATIONS REFERENCE: SOURCE (a fixture list) with a DOCTYPE
# after its XML declaration and REFERENCE put into its first text element.
with_doctype() {
  local source=$1 out=$2
  doctype="<!DOCTYPE $3 [
$4
]>" reference=$5 awk '
    BEGIN { RS = "^$" }  # the whole file as one record
    {
      declaration = index($0, "?>") + 1
      body = substr($0, declaration + 1)
      if (match(body, /<(FIRST_NAME|lastName|Year|name)>/)) {
        body = substr(body, 1, RSTART + RLENGTH - 1) ENVIRON["reference"] substr(body, RSTART + RLENGTH)
      }
      printf "%s\n%s%s", substr($0, 1, declaration), ENVIRON["doctype"], body
    }' "$source" > "$out"
}

external="<!ENTITY xxe SYSTEM \"file://$work/secret.txt\">"
parameter="<!ENTITY % p SYSTEM \"file://$work/secret.txt\"> %p;"
bomb='<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">'

n=0
for list in "un/consolidated.xml CONSOLIDATED_LIST" "ofac/sdn.xml sdnList" \
            "ofac/sdn_advanced.xml Sanctions"; do
  read -r source root <<< "$list"
  for attack in external parameter bomb; do
    n=$((n + 1))
    file="attack$n.xml"
    case $attack in
      external) with_doctype "$fixtures/$source" "$work/$file" "$root" "$external" '&xxe;' ;;
      parameter) with_doctype "$fixtures/$source" "$work/$file" "$root" "$parameter" '' ;;
      bomb) with_doctype "$fixtures/$source" "$work/$file" "$root" "$bomb" '&i;' ;;
    esac
    bl "import$n" import db.db "$file"
    expect_error "import$n" 5 "$file:2: has a document type declaration"
    unchanged db.db "a $attack entity in $source"
  done
done

# An entity used without any declaration is an error of its own, not an empty string.
sed '0,/<FIRST_NAME>/s//&\&xxe;/' "$fixtures/un/consolidated.xml" > "$work/undeclared.xml"
bl undeclared import db.db undeclared.xml
expect_error undeclared 5 "undeclared.xml:[0-9]+: malformed XML: undefined entity"
unchanged db.db "an undeclared entity"

# KML goes through GDAL (its own expat): the DTD must not be read there either.
with_doctype "$fixtures/incidents/incidents.kml" "$work/attack.kml" kml "$external" '&xxe;'
bl kml import db.db attack.kml
expect_error kml 5 "attack.kml: "
unchanged db.db "an external entity in KML"

# The fixture files of the CLI golden tests, once more end to end.
cp "$fixtures/un/entity_bomb.xml" "$fixtures/un/external_entity.xml" "$work/"
for file in entity_bomb.xml external_entity.xml; do
  bl "$file" import db.db "$file"
  expect_error "$file" 5 "$file:2: has a document type declaration"
  unchanged db.db "$file"
done

check "the secret file's text appears in no output" \
  bash -c "! grep -rlF '$secret_text' '$work' --exclude=secret.txt"
# A query over everything: no record holds the entity's text.
bl query query db.db --format csv
check "no record holds the secret" bash -c "! grep -qF '$secret_text' '$work/query.out'"

hostile_finish
