#pragma once

#include <optional>
#include <string>

namespace borderlens::ops {

// Where geodata/ lives: $BORDERLENS_GEODATA, else the source tree this binary was built from.
// nullopt when neither holds base.gpkg.
std::optional<std::string> findGeodataDir();

// The layer of base.gpkg that holds the national border lines.
inline constexpr const char* kBorderLayer = "borders";

const char* version();

} // namespace borderlens::ops
