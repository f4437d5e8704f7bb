#pragma once

#include "core/progress.h"
#include "ingest/records.h"

#include <string>

namespace borderlens::ingest {

// OFAC's legacy CSV trio: sdn.csv (the entries) with add.csv (addresses) and alt.csv (aliases).
// Empty paths: that companion is absent.
struct OfacCsvFiles {
  std::string sdn;
  std::string add;
  std::string alt;
};

// add.csv and alt.csv beside sdn.csv (any letter case), where present.
OfacCsvFiles ofacCsvCompanions(const std::string& sdnPath);

// Parses the legacy CSV trio: no header; `-0- ` is null; CRLF line ends and a trailing 0x1A
// byte are tolerated. Each sdn.csv row is an entity with one OFAC designation (reference
// ent_num, programs split from "DPRK3] [DPRK4"); its Remarks give IMO numbers, birth dates,
// nationalities, passports, a.k.a. names and `Linked To:` links. Companion rows join by ent_num
// and may come from another snapshot: rows for unknown entries are counted in the warnings.
// The CSV carries no designation date. A row with the wrong column count, a bad ent_num or
// invalid UTF-8 is rejected alone; a file with no valid row at all is refused.
ParseResult parseOfacCsv(const OfacCsvFiles& files, const core::Progress& progress);

// Applies OFAC Remarks text ("DOB 27 Apr 1941; nationality Korea, North; Linked To: X.") to a
// record; what it does not recognise goes to the notes. Shared by the CSV and legacy XML parsers.
void applyOfacRemarks(const std::string& remarks, EntityRecord& record);

// Splits OFAC's program field: "DPRK3] [DPRK4" -> {"DPRK3", "DPRK4"}.
std::vector<std::string> splitOfacPrograms(const std::string& field);

// The source fields OFAC's lists share; `format` names the publication ("legacy CSV").
void describeOfacSource(core::Source& source, const std::string& format, const std::string& url);

} // namespace borderlens::ingest
