#include "ui/panels.h"

#include <imgui.h>

#include <map>

namespace borderlens::ui {

void setRoundEnabled(ViewModel& model, std::size_t round, bool enabled) {
  if (round >= model.filter.roundOn.size()) return;
  model.filter.roundOn[round] = enabled ? 1 : 0;
  model.countsDirty = true;
}

void setAllRounds(ViewModel& model, bool enabled) {
  for (auto& on : model.filter.roundOn) on = enabled ? 1 : 0;
  model.filter.noRoundOn = enabled;
  model.countsDirty = true;
}

void drawRoundsPanel(ViewModel& model) {
  if (ImGui::SmallButton("All")) setAllRounds(model, true);
  ImGui::SameLine();
  if (ImGui::SmallButton("None")) setAllRounds(model, false);
  ImGui::SameLine();
  bool noRound = model.filter.noRoundOn;
  if (ImGui::Checkbox("records in no round", &noRound)) {
    model.filter.noRoundOn = noRound;
    model.countsDirty = true;
  }
  std::map<std::string, std::vector<std::size_t>> byAuthority;
  for (std::size_t i = 0; i < model.scene.rounds.size(); ++i) {
    byAuthority[model.scene.rounds[i].round.authority].push_back(i);
  }
  for (const auto& [authority, rounds] : byAuthority) {
    if (!ImGui::CollapsingHeader(authority.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    for (std::size_t i : rounds) {
      const auto& row = model.scene.rounds[i];
      bool on = model.filter.roundOn[i] != 0;
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Checkbox("##round", &on)) setRoundEnabled(model, i, on);
      ImGui::SameLine();
      ImGui::Text("%s  %s  (%lld)", row.round.date.toString().c_str(), row.round.label.c_str(),
                  static_cast<long long>(row.designations));
      if (ImGui::IsItemHovered() && !row.round.legalBasis.empty()) {
        ImGui::SetTooltip("%s", row.round.legalBasis.c_str());
      }
      ImGui::PopID();
    }
  }
  if (model.scene.rounds.empty()) ImGui::TextDisabled("No designation rounds in this database.");
}

} // namespace borderlens::ui
