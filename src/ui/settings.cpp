#include "ui/settings.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace borderlens::ui {

std::string Settings::defaultPath() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".config";
  else return {};
  return (base / "borderlens" / "view.json").string();
}

Settings Settings::load(const std::string& path) {
  Settings settings;
  std::ifstream in(path);
  if (!in) return settings;
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_object()) return settings;
  settings.database = json.value("database", "");
  if (json.contains("view") && json["view"].is_object()) {
    const auto& view = json["view"];
    settings.centerX = view.value("center_x", 0.0);
    settings.centerY = view.value("center_y", 0.0);
    settings.zoom = view.value("zoom", 0.0);
    settings.hasView = settings.zoom > 0;
  }
  settings.script = json.value("label_script", 0);
  return settings;
}

bool Settings::save(const std::string& path) const {
  if (path.empty()) return false;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  nlohmann::json json;
  json["database"] = database;
  json["view"] = {{"center_x", centerX}, {"center_y", centerY}, {"zoom", zoom}};
  json["label_script"] = script;
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    if (!out) return false;
    out << json.dump(2) << "\n";
    if (!out) return false;
  }
  std::filesystem::rename(temporary, path, ec);
  return !ec;
}

} // namespace borderlens::ui
