#include "ui/panels.h"

#include <imgui.h>

namespace borderlens::ui {

void drawLayersPanel(ViewModel& model) {
  bool changed = ImGui::Checkbox("Entities", &model.showEntities);
  changed = ImGui::Checkbox("Incidents", &model.showIncidents) || changed;
  if (changed) {
    model.renderer->setFeaturesVisible(model.showEntities, model.showIncidents);
    model.countsDirty = true;
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Base map");
  for (const auto& layer : model.style.base) {
    ImGui::PushID(layer.layer.c_str());
    float opacity = model.renderer->layerOpacity(layer.layer);
    bool visible = opacity > 0;
    if (ImGui::Checkbox("##on", &visible)) model.renderer->setLayerOpacity(layer.layer, visible ? 1.0f : 0.0f);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    if (ImGui::SliderFloat(layer.layer.c_str(), &opacity, 0.0f, 1.0f, "%.2f")) {
      model.renderer->setLayerOpacity(layer.layer, opacity);
    }
    ImGui::PopID();
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Labels");
  int script = static_cast<int>(model.script);
  ImGui::RadioButton("Latin", &script, 0);
  ImGui::SameLine();
  ImGui::RadioButton("中文", &script, 1);
  ImGui::SameLine();
  ImGui::RadioButton("한글", &script, 2);
  model.script = static_cast<render::LabelScript>(script);
  ImGui::Separator();
  if (ImGui::Button("Export...")) model.exportDialogOpen = true;
  ImGui::TextDisabled("Drop list or incident files on the map to import them.");
}

} // namespace borderlens::ui
