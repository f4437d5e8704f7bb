#include "ui/panels.h"

#include "core/errors.h"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace borderlens::ui {

void runSearch(ViewModel& model, bool fly) {
  model.searchResults.clear();
  model.searchMessage.clear();
  if (!model.db || model.searchText.empty()) return;
  store::FilterSpec filter;
  filter.text = model.searchText;
  try {
    model.db->forEachFeature(filter, {false, 50}, [&](const store::FeatureRow& row) {
      model.searchResults.push_back(row);
      return true;
    });
  } catch (const core::Error& e) {
    model.searchMessage = e.what();
    return;
  }
  if (model.searchResults.empty()) model.searchMessage = "no match";
  if (!fly) return;
  for (const auto& row : model.searchResults) {
    if (!row.lon || !row.lat) continue;
    model.flyTo(*row.lon, *row.lat, 10);
    std::uint32_t pickId = 0;
    for (std::size_t i = 0; i < model.scene.features.size(); ++i) {
      const auto& f = model.scene.features[i];
      if (f.type == row.type && f.id == row.id && f.locationId == row.locationId) pickId = static_cast<std::uint32_t>(i + 1);
    }
    model.select(Selection{row.type, row.id, pickId});
    break;
  }
}

void drawSearchPanel(ViewModel& model) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - 328, viewport->Pos.y + 8), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(320, 200), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Search")) {
    ImGui::End();
    return;
  }
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputTextWithHint("##search", "name, alias or identifier (丹东, 단둥, KPe.029)", &model.searchText,
                               ImGuiInputTextFlags_EnterReturnsTrue)) {
    runSearch(model, true);
  }
  if (!model.searchMessage.empty()) ImGui::TextDisabled("%s", model.searchMessage.c_str());
  for (const auto& row : model.searchResults) {
    ImGui::PushID(static_cast<int>(row.id * 2 + (row.type == store::FeatureType::Incident ? 1 : 0)));
    const std::string label = std::string(row.type == store::FeatureType::Entity ? "[" + row.kind + "] " : "[incident] ") + row.name;
    if (ImGui::Selectable(label.c_str(), model.selection && model.selection->id == row.id && model.selection->type == row.type)) {
      std::uint32_t pickId = 0;
      for (std::size_t i = 0; i < model.scene.features.size(); ++i) {
        const auto& f = model.scene.features[i];
        if (f.type == row.type && f.id == row.id) pickId = static_cast<std::uint32_t>(i + 1);
      }
      model.select(Selection{row.type, row.id, pickId});
      if (row.lon && row.lat) model.flyTo(*row.lon, *row.lat, 10);
    }
    ImGui::PopID();
  }
  ImGui::End();
}

} // namespace borderlens::ui
