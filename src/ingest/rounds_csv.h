#pragma once

#include "core/progress.h"
#include "ingest/records.h"

#include <string>

namespace borderlens::ingest {

// The rounds CSV of docs/formats.md: authority, date (a day), label, legal_basis, references
// (`;`-separated list references or entry keys), source_publisher, source_title, source_url
// (source_date too, when given). Round ids are core::Round::makeId(authority, date); a second
// row for the same authority and date is rejected. A missing required column (authority, date,
// label, source_publisher, source_url) or an unreadable file throws core::InputRejected.
ParseResult parseRoundsCsv(const std::string& path, const core::Progress& progress);

} // namespace borderlens::ingest
