#include "core/args.h"
#include "core/errors.h"
#include "ops/filter_args.h"
#include "ops/geodata_path.h"
#include "ops/render_op.h"
#include "store/store.h"
#include "ui/app.h"
#include "ui/settings.h"
#include "ui/view.h"

#include <filesystem>
#include <ostream>

namespace borderlens::ui {

namespace {

const std::vector<core::OptionSpec>& viewOptions() {
  static const std::vector<core::OptionSpec> options = ops::withFilterOptions({
        {"--screenshot", "FILE", "draw the settled window to FILE (.png) and exit"},
        {"--size", "WxH", "window size in pixels (default 1600x1000)"},
        {"--script", "S", "label script: latin (default), chinese or korean"},
        {"--overwrite", "", "with --screenshot: replace an existing file"},
  });
  return options;
}

} // namespace

std::string viewHelp() {
  return std::string(
             "Usage: borderlens view [DB] [--screenshot FILE.png] [--bbox W,S,E,N] [--size WxH] [filters]\n\n"
             "Opens the map window on DB; without DB, on the last database opened, else on the demo\n"
             "database that tools/run builds. The filters preset the panels: --bbox frames the\n"
             "view, --text searches and selects the first match, the others set the layer,\n"
             "timeline and round filters. Needs a display (X11); without one, use `borderlens render`.\n\n"
             "Mouse: drag to pan, wheel to zoom at the cursor, click a symbol to inspect it.\n"
             "Keys: arrows pan, +/- zoom, F fit to the selection (or to what is shown),\n"
             "Esc clear the selection, L cycle label script (Latin, 中文, 한글), Space play/pause.\n\n") +
         "Options:\n" + core::optionsHelp(viewOptions());
}

int runViewCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("view", args, viewOptions());
  if (parsed.positionals.size() > 1) {
    throw core::UsageError("view takes at most one database (see: borderlens view --help)");
  }
  ViewOptions options;
  if (!parsed.positionals.empty()) {
    options.database = parsed.positionals.front();
  } else {
    const Settings settings = Settings::load(Settings::defaultPath());
    std::error_code ec;
    if (!settings.database.empty() && (store::isServerLocation(settings.database) ||
                                        std::filesystem::exists(settings.database, ec))) {
      options.database = settings.database;
    } else if (auto demo = ops::findDemoDatabase()) {
      options.database = *demo;
    } else {
      throw core::DatabaseUnavailable("no database given, none remembered and no demo database "
                                      "built (give one: borderlens view DB, or run tools/run)");
    }
  }
  options.screenshot = parsed.value("--screenshot");
  options.overwrite = parsed.has("--overwrite");
  if (parsed.has("--size")) ops::parseSize(parsed.value("--size"), options.width, options.height);
  if (parsed.has("--script")) {
    const std::string script = parsed.value("--script");
    if (script == "latin") options.script = render::LabelScript::Latin;
    else if (script == "chinese" || script == "zh") options.script = render::LabelScript::Chinese;
    else if (script == "korean" || script == "ko") options.script = render::LabelScript::Korean;
    else throw core::UsageError("unknown --script '" + script + "': expected latin, chinese or korean");
  }
  options.filter = ops::filterFromArgs(parsed);
  if (options.filter.bbox) options.bbox = options.filter.bbox;
  if (!options.screenshot.empty()) {
    std::error_code ec;
    if (std::filesystem::path(options.screenshot).extension() != ".png") {
      throw core::UsageError("--screenshot '" + options.screenshot + "': only .png is written");
    }
    if (std::filesystem::exists(options.screenshot, ec) && !options.overwrite) {
      throw core::OutputFailed(options.screenshot + ": exists (use --overwrite to replace it)");
    }
  }
  // The database must open before a window appears, so a bad path fails fast and plainly.
  if (!options.database.empty()) store::openStore(options.database, store::OpenMode::ReadOnly);

  App app(options);
  if (options.screenshot.empty()) {
    app.run();
    return 0;
  }
  app.capture().writePng(options.screenshot);
  out << "wrote " << options.screenshot << "\n";
  return 0;
}

} // namespace borderlens::ui
