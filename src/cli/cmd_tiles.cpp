#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/args.h"
#include "core/errors.h"
#include "ops/filter_args.h"
#include "ops/text_output.h"
#include "ops/tiles_op.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& tilesOptions() {
  static const std::vector<core::OptionSpec> options = ops::withFilterOptions({
        {"--to", "FILE", "the MBTiles file to write (.mbtiles)"},
        {"--zoom", "MIN-MAX", "zoom levels to build (default 0-14, at most 22)"},
        {"--layers", "L,...", "entities, incidents, links, base (default: entities,incidents)"},
        {"--overwrite", "", "replace an existing output and its manifest"},
  }, true);
  return options;
}

} // namespace

std::string tilesHelp() {
  return std::string(
             "Usage: borderlens tiles DB --to FILE.mbtiles [--zoom MIN-MAX] [--layers L,...] [filters]\n\n"
             "Writes what the filters select as Mapbox Vector Tiles (MVT 2.1) in an MBTiles file, for\n"
             "web maps and QGIS, with a manifest FILE.mbtiles.manifest.json beside it.\n"
             "Layers: entities (points), incidents (points and areas), links (lines) and base (the\n"
             "base map's borders, coastline and rivers). Features keep the fields a map draws and\n"
             "filters by (kind, names, authority, rounds, time_begin/time_end, precision, confidence,\n"
             "source_ids); long texts stay in `borderlens export`. Records without a location are\n"
             "left out. Every point is in the tiles of the deepest zoom; above it a tile keeps one\n"
             "point a pixel (the lowest id), coarser where a tile would hold over 8,192 points.\n"
             "Levels with tiles over 500 KB once compressed are named at the end: web maps draw\n"
             "such tiles slowly.\n"
             "A progress bar is drawn on standard error when it is a terminal, a zoom level at a\n"
             "time. The output is written under a temporary name and renamed into place; an existing\n"
             "file is replaced only with --overwrite. The time window ends with --until DATE, since\n"
             "--to names the output.\n\n") +
         ops::filterSemanticsHelp() + "\nOptions:\n" + core::optionsHelp(tilesOptions());
}

int runTilesCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("tiles", args, tilesOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("tiles takes one database (see: borderlens tiles --help)");
  }
  ops::TilesOptions options;
  options.database = parsed.positionals.front();
  options.output = parsed.value("--to");
  if (options.output.empty()) throw core::UsageError("tiles needs --to FILE.mbtiles");
  if (parsed.has("--zoom")) exports::parseZoomRange(parsed.value("--zoom"), options.minZoom, options.maxZoom);
  if (parsed.has("--layers")) options.layers = exports::parseLayerList(parsed.value("--layers"), exports::tileLayerKinds());
  options.overwrite = parsed.has("--overwrite");
  options.filter = ops::filterFromArgs(parsed, true);

  exports::TilesReport report;
  {
    ProgressBar bar;
    report = ops::runTiles(options, bar.callback());
  }
  out << "wrote " << report.output << " (MBTiles, zoom " << options.minZoom << "-" << options.maxZoom << ")\n";
  for (const auto& layer : report.layers) {
    std::string name = "  " + layer.name;
    name.append(name.size() < 18 ? 18 - name.size() : 1, ' ');
    out << name << layer.features << "\n";
  }
  out << "manifest: " << report.manifest << "\n";
  for (const auto& large : report.largeTiles) {
    std::string largest;
    ops::appendFixed(largest, static_cast<double>(large.largestBytes) / 1e6, 1);
    out << "note: zoom " << large.zoom << " has " << large.count << " tile" << (large.count == 1 ? "" : "s")
        << " over " << report.largeTileBytes / 1000 << " KB (the largest " << largest
        << " MB), which web maps draw slowly"
        << (large.zoom == options.maxZoom
                ? "; the deepest level keeps every point, and a deeper --zoom spreads them over more tiles\n"
                : "\n");
  }
  return 0;
}

} // namespace borderlens::cli
