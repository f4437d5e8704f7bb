#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/args.h"
#include "core/errors.h"
#include "ops/export_op.h"
#include "ops/filter_args.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& exportOptions() {
  static const std::vector<core::OptionSpec> options = ops::withFilterOptions({
        {"--to", "FILE", "the file to write (a directory for shp, and for fgb without .fgb)"},
        {"--format", "F", "gpkg, geojson, kml, csv, shp or fgb (default: by FILE's extension)"},
        {"--layers", "L,...", "entities, designations, incidents, links, base (default: all but base)"},
        {"--overwrite", "", "replace an existing output and its manifest"},
  }, true);
  return options;
}

} // namespace

std::string exportHelp() {
  return std::string(
             "Usage: borderlens export DB --to FILE [--format F] [--layers L,...] [--overwrite] [filters]\n\n"
             "Writes what the filters select as map layers through GDAL, with a manifest beside the\n"
             "output, FILE.manifest.json: the filters, the database's schema version, the features per\n"
             "layer, the sources cited, the creation time and the borderlens version. Every feature\n"
             "carries its sources (`sources`: publisher: title (date) URL; `source_ids`).\n\n"
             "Formats (--format, else FILE's extension):\n"
             "  gpkg     GeoPackage: a table per layer with QGIS styles (layer_styles), a `sources`\n"
             "           table, and the manifest in the GeoPackage metadata\n"
             "  geojson  GeoJSON (RFC 7946, .geojson or .json): one FeatureCollection; each feature's\n"
             "           `layer` property names its layer\n"
             "  kml      KML: a folder per layer, and per authority and round, per incident kind;\n"
             "           TimeStamp or TimeSpan elements for Google Earth's time slider\n"
             "  csv      CSV (UTF-8 with BOM): one table with `layer`, WKT, lon and lat columns\n"
             "  shp      Shapefile: --to names a directory with a .shp per layer; field names are cut\n"
             "           to 10 characters (field_names.csv maps them) and text to 254 bytes\n"
             "  fgb      FlatGeobuf: a .fgb holds one layer; --to DIR writes a file per layer;\n"
             "           records without a location are left out\n\n"
             "Layers (--layers, comma-separated):\n"
             "  entities      one feature per entity location: names, identifiers, authorities\n"
             "  designations  one row per designation, at its entity's location\n"
             "  incidents     one feature per incident: time span, place, confidence, entities\n"
             "  links         lines from entities to the entities and incidents linked to them\n"
             "  base          the base map's borders, coastline and rivers (geodata/base.gpkg)\n"
             "GeoPackage and Shapefile split a layer with several geometry types into LAYER_point,\n"
             "LAYER_line, LAYER_polygon (and LAYER_none for records without a location).\n\n"
             "The output is written under a temporary name beside FILE and renamed into place at the\n"
             "end: a failure leaves nothing behind. An existing FILE is replaced only with\n"
             "--overwrite. A filter that selects nothing writes valid, empty layers. With\n"
             "SOURCE_DATE_EPOCH set, it is the creation time, and the same database and filters give\n"
             "the same bytes. The time window ends with --until DATE here, since --to names the\n"
             "output. See docs/exports.md for every field.\n\n") +
         ops::filterSemanticsHelp() + "\nOptions:\n" + core::optionsHelp(exportOptions());
}

int runExportCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("export", args, exportOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("export takes one database (see: borderlens export --help)");
  }
  ops::ExportOptions options;
  options.database = parsed.positionals.front();
  options.output = parsed.value("--to");
  if (options.output.empty()) throw core::UsageError("export needs --to FILE");
  options.format = parsed.value("--format");
  if (parsed.has("--layers")) {
    options.layers = exports::parseLayerList(
        parsed.value("--layers"), {exports::LayerKind::Entities, exports::LayerKind::Designations,
                                   exports::LayerKind::Incidents, exports::LayerKind::Links, exports::LayerKind::Base});
  }
  options.overwrite = parsed.has("--overwrite");
  options.filter = ops::filterFromArgs(parsed, true);

  exports::VectorExportReport report;
  {
    ProgressBar bar;
    report = ops::runExport(options, bar.callback());
  }
  const exports::VectorFormat format = exports::resolveVectorFormat(options.format, options.output);
  out << "wrote " << report.output << " (" << exports::titleOf(format) << ")\n";
  for (const auto& layer : report.layers) {
    std::string name = "  " + layer.name;
    name.append(name.size() < 18 ? 18 - name.size() : 1, ' ');
    out << name << layer.features;
    for (std::size_t i = 0; i < layer.parts.size(); ++i) out << (i ? ", " : " in ") << layer.parts[i];
    out << "\n";
  }
  out << "manifest: " << report.manifest << "\n";
  for (const auto& warning : report.warnings) out << "warning: " << warning << "\n";
  return 0;
}

} // namespace borderlens::cli
