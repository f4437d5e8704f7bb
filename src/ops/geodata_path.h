#pragma once

#include <optional>
#include <string>

namespace borderlens::ops {

// Where geodata/ lives: $BORDERLENS_GEODATA, else the source tree this binary was built from.
// nullopt when neither holds base.gpkg.
std::optional<std::string> findGeodataDir();

// Where assets/ lives (style, icons): $BORDERLENS_ASSETS, else the source tree. nullopt when
// neither holds style.json.
std::optional<std::string> findAssetsDir();

// The demo database that tools/run builds: $BORDERLENS_DEMO_DB, else build/demo.db in the source
// tree. nullopt when neither exists.
std::optional<std::string> findDemoDatabase();

// The layer of base.gpkg that holds the national border lines, and the border that
// distance-to-border filters measure from: China–North Korea.
inline constexpr const char* kBorderLayer = "borders_f";
inline constexpr const char* kBorderCountries = "CN-KP";

const char* version();

} // namespace borderlens::ops
