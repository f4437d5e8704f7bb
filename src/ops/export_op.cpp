#include "ops/export_op.h"

#include "export/manifest.h"
#include "ops/geodata_path.h"
#include "store/store.h"

#include <algorithm>
#include <filesystem>

namespace borderlens::ops {

exports::VectorExportReport runExport(const ExportOptions& options, const core::Progress& progress) {
  exports::VectorExportOptions v;
  v.output = options.output;
  v.format = exports::resolveVectorFormat(options.format, options.output);
  v.layers = options.layers;
  v.filter = options.filter;
  v.overwrite = options.overwrite;
  v.database = options.database;
  v.version = version();
  v.createdAt = exports::creationTime();
  if (std::find(v.layers.begin(), v.layers.end(), exports::LayerKind::Base) != v.layers.end()) {
    v.geodataDir = findGeodataDir().value_or("");
  }
  if (const auto assets = findAssetsDir()) v.stylePath = (std::filesystem::path(*assets) / "style.json").string();
  exports::checkVectorExport(v);

  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  return exports::writeVectorExport(*db, v, progress);
}

} // namespace borderlens::ops
