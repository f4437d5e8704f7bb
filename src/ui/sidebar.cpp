#include "ui/panels.h"

#include <imgui.h>

namespace borderlens::ui {

void drawSidebar(ViewModel& model) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + 8, viewport->Pos.y + 8), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(300, viewport->Size.y - 60), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("borderlens")) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTabBar("panels")) {
    if (ImGui::BeginTabItem("Layers")) {
      drawLayersPanel(model);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Rounds")) {
      drawRoundsPanel(model);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Filters")) {
      drawFiltersPanel(model);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

} // namespace borderlens::ui
