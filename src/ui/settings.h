#pragma once

#include <optional>
#include <string>

namespace borderlens::ui {

// What the map window remembers between runs.
struct Settings {
  std::string database;
  double centerX = 0;
  double centerY = 0;
  double zoom = 0;
  int script = 0;
  bool hasView = false;

  // Missing or unreadable settings are simply absent: the window then opens on defaults.
  static Settings load(const std::string& path);
  // Returns false (and the caller reports it in the status bar) when the file cannot be written.
  bool save(const std::string& path) const;
  static std::string defaultPath();
};

} // namespace borderlens::ui
