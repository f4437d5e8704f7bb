#include "ui/panels.h"

#include "core/date.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace borderlens::ui {

namespace {

int monthIndex(std::int32_t day, std::int32_t minDay) {
  const core::Date d = core::Date::fromDays(day);
  const core::Date m = core::Date::fromDays(minDay);
  return (d.year() - m.year()) * 12 + static_cast<int>(d.month()) - static_cast<int>(m.month());
}

} // namespace

void prepareTimeline(ViewModel& model) {
  std::int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (const auto& row : model.scene.features) {
    if (row.firstDay) lo = std::min(lo, *row.firstDay), hi = std::max(hi, *row.firstDay);
    if (row.type == store::FeatureType::Incident && row.lastDay) hi = std::max(hi, *row.lastDay);
  }
  if (lo > hi) {
    lo = core::Date::ymd(2006, 1, 1).firstDay();
    hi = core::today().firstDay();
  }
  const core::Date first = core::Date::fromDays(lo);
  const core::Date last = core::Date::fromDays(hi);
  model.minDay = core::Date::ymd(first.year(), first.month(), 1).firstDay();
  model.maxDay = core::Date::ym(last.year(), last.month()).lastDay();
  const int months = monthIndex(model.maxDay, model.minDay) + 1;
  model.incidentsPerMonth.assign(static_cast<std::size_t>(months), 0);
  model.listingsPerMonth.assign(static_cast<std::size_t>(months), 0);
  for (const auto& row : model.scene.features) {
    if (!row.firstDay) continue;
    const auto index = static_cast<std::size_t>(std::clamp(monthIndex(*row.firstDay, model.minDay), 0, months - 1));
    (row.type == store::FeatureType::Incident ? model.incidentsPerMonth : model.listingsPerMonth)[index]++;
  }
  if (!model.filter.windowActive) {
    model.filter.fromDay = model.minDay;
    model.filter.toDay = model.maxDay;
  }
}

void stepRound(ViewModel& model, int direction) {
  const auto& rounds = model.scene.rounds;
  if (rounds.empty()) return;
  FilterState& f = model.filter;
  const std::int32_t current = f.windowActive ? f.toDay : (direction > 0 ? model.minDay - 1 : model.maxDay + 1);
  std::optional<std::int32_t> target;
  for (const auto& row : rounds) {
    const std::int32_t day = row.round.date.firstDay();
    if (direction > 0 && day > current && (!target || day < *target)) target = day;
    if (direction < 0 && day < current && (!target || day > *target)) target = day;
  }
  if (!target) return;
  // The window grows up to the round: the map shows everything listed by then.
  if (!f.windowActive) f.fromDay = model.minDay;
  f.windowActive = true;
  f.toDay = *target;
  if (f.fromDay > f.toDay) f.fromDay = model.minDay;
  model.countsDirty = true;
}

void drawTimelinePanel(ViewModel& model, float deltaSeconds) {
  FilterState& f = model.filter;
  if (model.playing && f.windowActive) {
    const auto step = static_cast<std::int32_t>(std::lround(model.playDaysPerSecond * deltaSeconds));
    const std::int32_t width = f.toDay - f.fromDay;
    f.toDay = std::min(model.maxDay, f.toDay + std::max(step, 1));
    f.fromDay = f.toDay - width;
    if (f.toDay >= model.maxDay) model.playing = false;
    model.countsDirty = true;
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + 316, viewport->Pos.y + viewport->Size.y - 160), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x - 316 - 336, 120), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Timeline")) {
    ImGui::End();
    return;
  }
  if (ImGui::Checkbox("Time window", &f.windowActive)) model.countsDirty = true;
  ImGui::SameLine();
  ImGui::Text("%s  to  %s", dayText(f.fromDay).c_str(), dayText(f.toDay).c_str());
  ImGui::SameLine();
  if (ImGui::Button(model.playing ? "Pause" : "Play")) {
    model.playing = !model.playing;
    if (model.playing && !f.windowActive) {
      f.windowActive = true;
      f.fromDay = model.minDay;
      f.toDay = model.minDay + 365;
    }
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::SliderFloat("days/s", &model.playDaysPerSecond, 7.0f, 720.0f, "%.0f", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  if (ImGui::Button("< round")) stepRound(model, -1);
  ImGui::SameLine();
  if (ImGui::Button("round >")) stepRound(model, +1);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(100.0f, ImGui::GetContentRegionAvail().x);
  const float height = std::max(40.0f, ImGui::GetContentRegionAvail().y - 4);
  ImGui::InvisibleButton("histogram", ImVec2(width, height));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), IM_COL32(245, 245, 245, 255));
  const auto months = model.incidentsPerMonth.size();
  int peak = 1;
  for (std::size_t i = 0; i < months; ++i) peak = std::max(peak, model.incidentsPerMonth[i] + model.listingsPerMonth[i]);
  const float span = static_cast<float>(std::max(1, model.maxDay - model.minDay));
  const auto xOf = [&](std::int32_t day) { return origin.x + width * static_cast<float>(day - model.minDay) / span; };
  const auto dayOf = [&](float x) {
    return model.minDay + static_cast<std::int32_t>(std::lround((x - origin.x) / width * span));
  };
  const float barWidth = width / static_cast<float>(std::max<std::size_t>(months, 1));
  for (std::size_t i = 0; i < months; ++i) {
    const float x0 = origin.x + barWidth * static_cast<float>(i);
    const float hIncidents = height * static_cast<float>(model.incidentsPerMonth[i]) / static_cast<float>(peak);
    const float hListings = height * static_cast<float>(model.listingsPerMonth[i]) / static_cast<float>(peak);
    const float bottom = origin.y + height;
    draw->AddRectFilled(ImVec2(x0, bottom - hIncidents), ImVec2(x0 + std::max(1.0f, barWidth - 1), bottom),
                        IM_COL32(22, 160, 133, 255));
    draw->AddRectFilled(ImVec2(x0, bottom - hIncidents - hListings),
                        ImVec2(x0 + std::max(1.0f, barWidth - 1), bottom - hIncidents), IM_COL32(192, 57, 43, 255));
  }
  for (const auto& row : model.scene.rounds) {
    const float x = xOf(row.round.date.firstDay());
    draw->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + 6), IM_COL32(40, 40, 40, 200));
  }
  if (f.windowActive) {
    draw->AddRectFilled(ImVec2(xOf(f.fromDay), origin.y), ImVec2(xOf(f.toDay), origin.y + height),
                        IM_COL32(31, 111, 180, 50));
    draw->AddRect(ImVec2(xOf(f.fromDay), origin.y), ImVec2(xOf(f.toDay), origin.y + height),
                  IM_COL32(31, 111, 180, 200));
  }
  // Brushing: drag across the histogram to choose the window; double-click to clear it.
  static float dragStart = 0;
  if (ImGui::IsItemActivated()) dragStart = ImGui::GetIO().MousePos.x;
  if (ImGui::IsItemActive() && std::abs(ImGui::GetIO().MousePos.x - dragStart) > 3) {
    const float a = std::clamp(dragStart, origin.x, origin.x + width);
    const float b = std::clamp(ImGui::GetIO().MousePos.x, origin.x, origin.x + width);
    f.windowActive = true;
    f.fromDay = dayOf(std::min(a, b));
    f.toDay = dayOf(std::max(a, b));
    model.countsDirty = true;
  }
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    f.windowActive = false;
    model.countsDirty = true;
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s  (green: incidents, red: listings per month)", dayText(dayOf(ImGui::GetIO().MousePos.x)).c_str());
  }
  ImGui::End();
}

} // namespace borderlens::ui
