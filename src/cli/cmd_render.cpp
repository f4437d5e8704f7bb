#include "core/args.h"
#include "cli/commands.h"
#include "ops/filter_args.h"
#include "core/errors.h"
#include "geo/bbox.h"
#include "ops/render_op.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& renderOptions() {
  static const std::vector<core::OptionSpec> options = ops::withFilterOptions({
        {"--to", "FILE", "the image to write: .png, or .tif for a georeferenced GeoTIFF (EPSG:3857)"},
        {"--size", "WxH", "image size in pixels (default 1600x1000)"},
        {"--script", "S", "label script: latin (default), chinese or korean"},
        {"--style", "FILE", "style file (default assets/style.json)"},
        {"--title", "T", "a title at the top left, above the caption of what is shown"},
        {"--bare", "", "the map alone: no legend, scale bar, north arrow, caption or attribution"},
        {"--overwrite", "", "replace an existing output file"},
  }, true);
  return options;
}

render::LabelScript parseScript(const std::string& text) {
  if (text == "latin") return render::LabelScript::Latin;
  if (text == "chinese" || text == "zh") return render::LabelScript::Chinese;
  if (text == "korean" || text == "ko") return render::LabelScript::Korean;
  throw core::UsageError("unknown --script '" + text + "': expected latin, chinese or korean");
}

} // namespace

std::string renderHelp() {
  return std::string("Usage: borderlens render [DB] --to FILE.png|FILE.tif [--bbox W,S,E,N] [--size WxH] [filters]\n\n"
                     "Draws the map without a window or display (OpenGL through EGL surfaceless,\n"
                     "the same renderer as the map window) and writes it as a PNG, or as a GeoTIFF\n"
                     "georeferenced in EPSG:3857 (gdalinfo shows its CRS and geotransform). Without DB, the\n"
                     "base map alone. The view is --bbox, else the extent of the matching records,\n"
                     "else the whole border region. The time window ends with --until DATE here,\n"
                     "since --to names the image. Filters select what the store returns.\n\n") +
         ops::filterSemanticsHelp() + "\nOptions:\n" + core::optionsHelp(renderOptions());
}

int runRenderCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("render", args, renderOptions());
  if (parsed.positionals.size() > 1) {
    throw core::UsageError("render takes at most one database (see: borderlens render --help)");
  }
  ops::RenderOptions options;
  if (!parsed.positionals.empty()) options.database = parsed.positionals.front();
  options.output = parsed.value("--to");
  if (options.output.empty()) throw core::UsageError("render needs --to FILE.png");
  if (parsed.has("--size")) ops::parseSize(parsed.value("--size"), options.width, options.height);
  if (parsed.has("--script")) options.script = parseScript(parsed.value("--script"));
  options.stylePath = parsed.value("--style");
  options.overwrite = parsed.has("--overwrite");
  options.title = parsed.value("--title");
  options.furniture = !parsed.has("--bare");
  options.filter = ops::filterFromArgs(parsed, true);
  if (options.filter.bbox) options.bbox = options.filter.bbox;
  const ops::RenderReport report = ops::runRender(options);
  out << "wrote " << options.output << " (" << report.width << "x" << report.height << ", "
      << report.entities << " entities, " << report.incidents << " incidents, " << report.labels
      << " labels)\n";
  return 0;
}

} // namespace borderlens::cli
