#pragma once

#include "store/store.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace borderlens::ops {

struct RoundsOptions {
  std::string database;
};

std::vector<store::RoundRow> runRounds(const RoundsOptions& options);

// `rounds --json`: a list of {id, authority, date, label, legal_basis, designations}.
nlohmann::ordered_json roundsJson(const std::vector<store::RoundRow>& rounds);
std::string roundsText(const std::vector<store::RoundRow>& rounds);

} // namespace borderlens::ops
