#pragma once

#include "core/progress.h"
#include "export/layers.h"
#include "store/filter.h"
#include "store/store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Vector exports of what a filter selects (docs/exports.md): entities, designations, incidents,
// links and the base map's lines, written through GDAL/OGR (KML through our own writer, for
// nested folders and time spans at the data's precision), each with a manifest beside it.
namespace borderlens::exports {

enum class VectorFormat { GeoPackage, GeoJson, Kml, Csv, Shapefile, FlatGeobuf };

const char* nameOf(VectorFormat format);   // "gpkg", as --format takes it
const char* titleOf(VectorFormat format);  // "GeoPackage"
const std::vector<VectorFormat>& allVectorFormats();

// The format of an export from --format (may be empty) and the output path's extension. Throws
// core::UsageError for an unknown format, a path whose format cannot be told, an extension that
// contradicts --format, and a .shp path (a Shapefile export is a directory).
VectorFormat resolveVectorFormat(const std::string& formatName, const std::string& output);

// The layers a vector export writes when --layers is not given.
const std::vector<LayerKind>& defaultVectorLayers();

struct VectorExportOptions {
  std::string output;
  VectorFormat format = VectorFormat::GeoPackage;
  std::vector<LayerKind> layers = defaultVectorLayers();
  store::FilterSpec filter;
  bool overwrite = false;
  std::string database;    // as the user named it, for the manifest
  std::string geodataDir;  // holds base.gpkg and SOURCES.md; needed for the base layers
  std::string stylePath;   // assets/style.json: colours of GeoPackage and KML styles
  std::string version;     // borderlens version, for the manifest
  std::string createdAt;   // ISO 8601 UTC (creationTime()); empty: creationTime()
};

struct LayerCount {
  std::string name;
  std::uint64_t features = 0;
  std::vector<std::string> parts;  // a layer split by geometry type: its tables or files
};

struct VectorExportReport {
  std::string output;
  std::string manifest;
  std::vector<LayerCount> layers;
  std::vector<std::string> warnings;
};

// The manifest's path for an output: FILE.manifest.json (DIR.manifest.json for a directory).
std::string manifestPathFor(const std::string& output);

// Checks everything that can be checked without reading the database: the format against the
// layers (a single .fgb file holds one layer), the output and manifest paths (core::OutputFailed
// for a missing directory, an existing file without `overwrite`). Throws core::UsageError or
// core::OutputFailed.
void checkVectorExport(const VectorExportOptions& options);

// Writes the export and its manifest. Everything is written under temporary names beside the
// output and renamed into place at the end, so a failure or a cancel leaves nothing behind and an
// existing output untouched. A filter that selects nothing gives valid empty layers.
VectorExportReport writeVectorExport(store::Store& store, const VectorExportOptions& options,
                                     const core::Progress& progress = {});

} // namespace borderlens::exports
