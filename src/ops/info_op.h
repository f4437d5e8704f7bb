#pragma once

#include "store/store.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace borderlens::ops {

struct InfoOptions {
  std::string database;
};

struct InfoReport {
  std::string location;
  store::Stats stats;
};

InfoReport runInfo(const InfoOptions& options);

// The `info --json` document (keys documented in README: schema_version, entities, …).
nlohmann::ordered_json infoJson(const InfoReport& report);
// The human-readable summary printed by `info`.
std::string infoText(const InfoReport& report);

} // namespace borderlens::ops
