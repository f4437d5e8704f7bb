#include "ui/panels.h"

#include "core/model.h"
#include "render/scene/map_scene.h"

#include <imgui.h>

namespace borderlens::ui {

void drawFiltersPanel(ViewModel& model) {
  FilterState& f = model.filter;
  bool changed = false;
  ImGui::TextUnformatted("Entity kinds");
  for (std::size_t i = 0; i < 4; ++i) {
    changed = ImGui::Checkbox(core::nameOf(core::allEntityKinds()[i]), &f.entityKinds[i]) || changed;
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Incident kinds");
  const auto& kinds = core::incidentKinds();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    bool on = f.incidentKinds[i] != 0;
    if (ImGui::Checkbox(kinds[i].c_str(), &on)) {
      f.incidentKinds[i] = on ? 1 : 0;
      changed = true;
    }
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Authorities");
  const auto& authorities = render::knownAuthorities();
  for (std::size_t i = 0; i < authorities.size(); ++i) {
    changed = ImGui::Checkbox(authorities[i].c_str(), &f.authorities[i]) || changed;
    if (i % 3 != 2) ImGui::SameLine();
  }
  changed = ImGui::Checkbox("other", &f.authorities[render::kAuthorityOtherBit]) || changed;
  ImGui::SameLine();
  changed = ImGui::Checkbox("none", &f.authorities[render::kAuthorityNoneBit]) || changed;
  if (!model.scene.programs.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted("Programs");
    for (std::size_t i = 0; i < model.scene.programs.size(); ++i) {
      bool on = f.programOn[i] != 0;
      if (ImGui::Checkbox(model.scene.programs[i].c_str(), &on)) {
        f.programOn[i] = on ? 1 : 0;
        changed = true;
      }
      if (i % 2 == 0 && i + 1 < model.scene.programs.size()) ImGui::SameLine(140);
    }
  }
  ImGui::Separator();
  ImGui::SetNextItemWidth(150);
  changed = ImGui::SliderFloat("min confidence", &f.minConfidence, 0.0f, 1.0f, "%.2f") || changed;
  changed = ImGui::Checkbox("within", &f.borderActive) || changed;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  changed = ImGui::SliderFloat("km of the border", &f.borderKm, 1.0f, 200.0f, "%.0f") || changed;
  if (changed) model.countsDirty = true;
}

} // namespace borderlens::ui
