#pragma once

#include <optional>
#include <string>
#include <vector>

namespace borderlens::ops {

struct InitOptions {
  std::string database;
  // base.gpkg to take the border geometry from; empty: the default geodata (findGeodataDir).
  std::string geodata;
  // Skip the border geometry (distance-to-border filters then match nothing).
  bool noBorder = false;
};

struct InitReport {
  bool created = false;      // a new file was written
  int previousVersion = 0;   // 0 for a new database
  int schemaVersion = 0;
  std::size_t borderLines = 0;
  std::vector<std::string> warnings;
};

// Creates a borderlens database, or upgrades an older one in place. A new file that fails to
// initialise is removed, so a failed init leaves nothing behind.
InitReport runInit(const InitOptions& options);

} // namespace borderlens::ops
