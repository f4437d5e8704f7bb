#include "ops/rounds_op.h"

#include "ops/text_output.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace borderlens::ops {

std::vector<store::RoundRow> runRounds(const RoundsOptions& options) {
  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  std::vector<store::RoundRow> rounds;
  db->forEachRound([&](const store::RoundRow& row) {
    rounds.push_back(row);
    return true;
  });
  return rounds;
}

nlohmann::ordered_json roundsJson(const std::vector<store::RoundRow>& rounds) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& row : rounds) {
    nlohmann::ordered_json j;
    j["id"] = row.round.id;
    j["authority"] = row.round.authority;
    j["date"] = row.round.date.toString();
    j["label"] = row.round.label;
    j["legal_basis"] = row.round.legalBasis;
    j["designations"] = row.designations;
    list.push_back(std::move(j));
  }
  return list;
}

std::string roundsText(const std::vector<store::RoundRow>& rounds) {
  std::ostringstream out;
  TextTable table({{"ID", 22}, {"AUTHORITY", 10}, {"DATE", 10}, {"COUNT", 5}, {"LABEL", 0}});
  out << table.header();
  for (const auto& row : rounds) {
    out << table.row({row.round.id, row.round.authority, row.round.date.toString(),
                      std::to_string(row.designations), row.round.label});
  }
  if (rounds.empty()) out << "(no rounds)\n";
  return out.str();
}

} // namespace borderlens::ops
