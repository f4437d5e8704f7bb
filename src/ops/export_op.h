#pragma once

#include "core/progress.h"
#include "export/vector_export.h"
#include "store/filter.h"

#include <string>
#include <vector>

namespace borderlens::ops {

struct ExportOptions {
  std::string database;
  std::string output;
  std::string format;  // gpkg, geojson, kml, csv, shp or fgb; empty: from the output's extension
  std::vector<exports::LayerKind> layers = exports::defaultVectorLayers();
  store::FilterSpec filter;
  bool overwrite = false;
};

// Writes a vector export of what the filter selects, with its manifest (docs/exports.md). The
// format, the layers and the output path are checked before the database is opened; the creation
// time comes from SOURCE_DATE_EPOCH when set. Throws core::UsageError, core::OutputFailed,
// core::DatabaseUnavailable, core::InputRejected (base map or style missing) or core::Cancelled.
exports::VectorExportReport runExport(const ExportOptions& options, const core::Progress& progress = {});

} // namespace borderlens::ops
