#pragma once

#include "core/progress.h"
#include "ingest/records.h"

#include <string>

namespace borderlens::ingest {

// OFAC's legacy sdn.xml (sdnList): one entity per sdnEntry with the same content as the legacy
// CSV, structured (programList, idList, akaList, addressList, nationalityList, dateOfBirthList),
// plus the list's Publish_Date. No designation dates. Malformed XML aborts; an entry without uid
// or name is rejected alone.
ParseResult parseOfacXml(const std::string& path, const core::Progress& progress);

// OFAC's SDN advanced XML (sdn_advanced.xsd): DistinctParties with their identities, features
// (locations, birth dates, nationalities) and documents; SanctionsEntries whose earliest
// EntryEvent date is the designation date (round "OFAC-YYYY-MM-DD") with its legal basis;
// ProfileRelationships as entity links. Every reference value is resolved through the file's
// own ReferenceValueSets, never through hard-wired ids.
ParseResult parseOfacAdvancedXml(const std::string& path, const core::Progress& progress);

} // namespace borderlens::ingest
