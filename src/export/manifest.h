#pragma once

#include "core/model.h"
#include "export/base_layers.h"
#include "store/filter.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

// The manifest every export carries (FILE.manifest.json beside it; inside a GeoPackage also as
// gpkg_metadata): what was asked, from which database, what came out and from which sources.
namespace borderlens::exports {

struct ManifestLayer {
  std::string name;
  std::uint64_t features = 0;
  std::vector<std::string> parts;  // split layers: the tables or files it became
};

struct ManifestInput {
  std::string command;              // "export" or "tiles"
  std::string format;               // "gpkg", "mbtiles", ...
  std::string database;
  int schemaVersion = 0;
  store::FilterSpec filter;
  std::vector<ManifestLayer> layers;
  std::vector<core::Source> sources;
  std::vector<BaseSource> baseSources;
  std::string createdAt;            // ISO 8601 UTC
  std::string version;              // borderlens version
  std::vector<std::string> warnings;
  nlohmann::ordered_json extra;     // format-specific facts (zoom levels, field names)
};

// The manifest without its `files` member (which a GeoPackage cannot hold about itself).
nlohmann::ordered_json manifestJson(const ManifestInput& input);
// The filters as JSON: only those set, dates as YYYY-MM-DD.
nlohmann::ordered_json filterJson(const store::FilterSpec& filter);

// Lists the files of an output under `files` with size and SHA-256 (a file as `outputName`, a
// directory's files by name), and writes the manifest to `path`. Throws core::OutputFailed.
void writeManifest(nlohmann::ordered_json manifest, const std::string& outputPath, const std::string& outputName,
                   const std::string& path);

// The creation time of an export: SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set, so
// that rebuilding an export reproduces it byte for byte; otherwise now. Throws
// core::UsageError for a SOURCE_DATE_EPOCH that is not a number of seconds.
std::string creationTime();
// The same time in the form GDAL's OGR_CURRENT_DATE takes ("YYYY-MM-DDTHH:MM:SS.000Z").
std::string gdalTimestamp(const std::string& createdAt);

} // namespace borderlens::exports
