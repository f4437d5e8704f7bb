#include "ui/panels.h"

#include "geo/mercator.h"

// ImGui 1.86 takes the backend's key codes (GLFW's) for keys beyond its navigation set.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cmath>

namespace borderlens::ui {

namespace {

std::optional<std::size_t> pickAt(const ViewModel& model, const ImVec2& mouse) {
  const geo::Vec2 world = model.camera.screenToWorld({mouse.x, mouse.y});
  render::GpuFilter gpu = model.filter.toGpu(model.scene);
  if (!model.showEntities) gpu.kindMask &= ~0xfu;
  if (!model.showIncidents) gpu.kindMask &= 0xfu;
  return model.index->nearest(world.x - model.scene.originX, world.y - model.scene.originY,
                              10 * model.camera.metresPerPixel(), gpu,
                              model.camera.metresPerPixel() * render::symbolScale(model.camera.zoom));
}

} // namespace

void handleMapInput(ViewModel& model) {
  ImGuiIO& io = ImGui::GetIO();
  model.hover.reset();
  if (!io.WantCaptureMouse && ImGui::IsMousePosValid()) {
    const geo::Vec2 world = model.camera.screenToWorld({io.MousePos.x, io.MousePos.y});
    geo::Vec2 lonLat;
    geo::mercatorToLonLat({world.x, world.y}, lonLat.x, lonLat.y);
    model.cursorLonLat = lonLat;
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2)) {
      model.camera.panPixels(io.MouseDelta.x, io.MouseDelta.y);
    }
    if (io.MouseWheel != 0) model.camera.zoomAround({io.MousePos.x, io.MousePos.y}, io.MouseWheel * 0.5);
    model.hover = pickAt(model, io.MousePos);
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).x == 0 &&
        ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).y == 0) {
      if (model.hover) {
        const auto& p = model.scene.points[*model.hover];
        const auto& row = model.scene.features[p.pickId - 1];
        model.select(Selection{row.type, row.id, p.pickId});
      } else {
        model.select(std::nullopt);
      }
    }
  } else {
    model.cursorLonLat.reset();
  }
  if (io.WantCaptureKeyboard) return;
  const double step = 120;
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) model.camera.panPixels(step, 0);
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) model.camera.panPixels(-step, 0);
  if (ImGui::IsKeyPressed(GLFW_KEY_UP)) model.camera.panPixels(0, step);
  if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) model.camera.panPixels(0, -step);
  const geo::Vec2 centre{model.camera.width / 2.0, model.camera.height / 2.0};
  if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) model.camera.zoomAround(centre, 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) model.camera.zoomAround(centre, -1);
  if (ImGui::IsKeyPressed(GLFW_KEY_F)) model.fitToSelection();
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) model.select(std::nullopt);
  if (ImGui::IsKeyPressed(GLFW_KEY_L)) {
    model.script = static_cast<render::LabelScript>((static_cast<int>(model.script) + 1) % 3);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE)) model.playing = !model.playing;
}

void drawMapOverlay(ViewModel& model) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float bottom = viewport->Pos.y + viewport->Size.y - 36;
  // Scale bar: a round number of kilometres about 120 pixels long, true at the map centre.
  geo::Vec2 centreLonLat;
  geo::mercatorToLonLat({model.camera.centerX, model.camera.centerY}, centreLonLat.x, centreLonLat.y);
  const double groundPerPixel = model.camera.metresPerPixel() * std::cos(centreLonLat.y * M_PI / 180.0);
  const double target = groundPerPixel * 120;
  const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
  double nice = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude <= target) nice = m * magnitude;
  }
  const float length = static_cast<float>(nice / groundPerPixel);
  const ImVec2 start(viewport->Pos.x + 20, bottom);
  draw->AddRectFilled(ImVec2(start.x - 6, start.y - 22), ImVec2(start.x + length + 50, start.y + 6), IM_COL32(255, 255, 255, 200), 3);
  draw->AddLine(start, ImVec2(start.x + length, start.y), IM_COL32(20, 20, 20, 255), 2);
  draw->AddLine(start, ImVec2(start.x, start.y - 6), IM_COL32(20, 20, 20, 255), 2);
  draw->AddLine(ImVec2(start.x + length, start.y), ImVec2(start.x + length, start.y - 6), IM_COL32(20, 20, 20, 255), 2);
  char text[32];
  if (nice >= 1000) std::snprintf(text, sizeof text, "%.0f km", nice / 1000);
  else std::snprintf(text, sizeof text, "%.0f m", nice);
  draw->AddText(ImVec2(start.x + 4, start.y - 20), IM_COL32(20, 20, 20, 255), text);

  if (model.hover) {
    const auto& row = model.scene.features[model.scene.points[*model.hover].pickId - 1];
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(row.name.c_str());
    ImGui::TextDisabled("%s  %s%s%s  %s precision", row.kind.c_str(), row.start.c_str(),
                        row.end.empty() ? "" : " to ", row.end.c_str(), row.precision.c_str());
    if (!row.authorities.empty()) ImGui::TextDisabled("%s", row.authorities.c_str());
    ImGui::EndTooltip();
  }
}

} // namespace borderlens::ui
