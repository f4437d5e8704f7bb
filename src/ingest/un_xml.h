#pragma once

#include "core/date.h"
#include "core/progress.h"
#include "ingest/records.h"

#include <optional>
#include <string>

namespace borderlens::ingest {

// Parses the UN Security Council Consolidated List (sc-sanctions.xsd), every list type:
// INDIVIDUAL records become persons, ENTITY records organizations or vessels. One designation
// per record (authority UN, program = UN_LIST_TYPE, reference = REFERENCE_NUMBER, listed =
// LISTED_ON). Names, references and values are trimmed of the list's padding; IMO numbers the
// record states as its own (in COMMENTS1) become `imo` identifiers, and an entity with an IMO
// number whose name is no company name, or whose comments say it is a vessel, is a vessel.
// Malformed XML aborts (core::InputRejected with file and line); a record without reference or
// name, with an unreadable date or a duplicate reference is rejected alone.
ParseResult parseUnXml(const std::string& path, const core::Progress& progress);

// A UN Security Council resolution on the DPRK, as the round label names it.
struct UnResolution {
  int number = 0;
  core::Date adopted;
};

// The DPRK sanctions resolution adopted on `date`, if any: designations listed that day were made
// by the resolution itself; on other days they are 1718 Committee decisions.
std::optional<UnResolution> dprkResolutionAdoptedOn(const core::Date& date);

} // namespace borderlens::ingest
