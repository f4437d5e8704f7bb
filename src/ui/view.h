#pragma once

#include "geo/bbox.h"
#include "render/scene/labels.h"
#include "store/filter.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace borderlens::ui {

struct ViewOptions {
  std::string database;
  std::string screenshot;                  // write the settled window here and exit
  bool overwrite = false;
  std::optional<geo::BBox> bbox;
  int width = 1600;
  int height = 1000;
  store::FilterSpec filter;
  std::optional<render::LabelScript> script;
  std::string settingsPath;                // empty: $XDG_CONFIG_HOME/borderlens/view.json
};

// Opens the map window (GLFW + OpenGL 3.3 core + Dear ImGui) and runs until it is closed, or
// writes one screenshot and returns. Throws core::Error subclasses with a one-line cause.
void runView(const ViewOptions& options);

// `borderlens view`: the subcommand, registered by the executable (the CLI module cannot
// depend on the UI).
int runViewCommand(const std::vector<std::string>& args, std::ostream& out);
std::string viewHelp();

} // namespace borderlens::ui
