#include "ui/panels.h"

#include "core/redact.h"
#include "geo/mercator.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace borderlens::ui {

void drawStatusBar(ViewModel& model) {
  if (model.countsDirty) model.recount();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float height = ImGui::GetFrameHeight() + 6;
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x, viewport->Pos.y + viewport->Size.y - height));
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x, height));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav;
  ImGui::Begin("##status", nullptr, flags);
  if (model.cursorLonLat) {
    ImGui::Text("%.5f E  %.5f N", model.cursorLonLat->x, model.cursorLonLat->y);
  } else {
    ImGui::TextDisabled("-");
  }
  ImGui::SameLine(200);
  const double lat = model.cursorLonLat ? model.cursorLonLat->y : 40.0;
  // Ground resolution at the cursor's latitude, and the matching 1:N scale at 96 dpi.
  const double metresPerPixel = model.camera.metresPerPixel() * std::cos(lat * M_PI / 180.0);
  ImGui::Text("zoom %.1f  1:%.0f", model.camera.zoom, metresPerPixel / 0.0254 * 96);
  ImGui::SameLine(400);
  ImGui::Text("shown %zu of %zu", model.shown, model.scene.points.size());
  ImGui::SameLine(580);
  const std::string status = model.message.empty() ? core::redactSecrets(model.database) : model.message;
  ImGui::TextDisabled("%s", status.c_str());
  // Attribution from geodata/SOURCES.md: as much as fits, the whole on hover.
  std::string attribution;
  for (const auto& line : model.scene.attribution) attribution += (attribution.empty() ? "" : "  ") + line;
  if (!attribution.empty()) {
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float room = right - 900;
    std::string shown = attribution;
    while (shown.size() > 8 && ImGui::CalcTextSize(shown.c_str()).x > room) shown.resize(shown.size() - 8);
    if (shown.size() < attribution.size()) shown += "...";
    ImGui::SameLine(std::max(900.0f, right - ImGui::CalcTextSize(shown.c_str()).x));
    ImGui::TextDisabled("%s", shown.c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      for (const auto& line : model.scene.attribution) ImGui::TextUnformatted(line.c_str());
      ImGui::EndTooltip();
    }
  }
  ImGui::End();
}

} // namespace borderlens::ui
