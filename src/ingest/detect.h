#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace borderlens::ingest {

// The formats `borderlens import` reads; the names are its --format values.
const std::vector<std::string>& importFormats();
bool isImportFormat(std::string_view name);

// Formats detection can tell that are not imported on their own: the companions of an OFAC
// sdn.csv, and a rounds table (given with --rounds).
inline constexpr const char* kOfacAddCsv = "ofac-add";
inline constexpr const char* kOfacAltCsv = "ofac-alt";
inline constexpr const char* kRoundsCsv = "rounds-csv";

// Tells a file's format from its content, never from its name: the XML root element
// (CONSOLIDATED_LIST, sdnList, Sanctions, kml), a JSON document's shape (FollowTheMoney lines,
// GeoJSON), a CSV header (targets.simple.csv, incidents, ACLED, rounds) or the shape of a
// header-less OFAC row, or a binary signature (GeoPackage/SQLite, shapefile, FlatGeobuf).
// Returns one of importFormats() or the three names above. Throws core::InputRejected naming
// the file when it is empty, unreadable or of no known format.
std::string detectFormat(const std::string& path);

} // namespace borderlens::ingest
