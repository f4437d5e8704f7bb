#include "ui/panels.h"

#include "core/model.h"

#include <imgui.h>

namespace borderlens::ui {

namespace {

void sourceLine(const core::Source& s) {
  ImGui::BulletText("%s: %s%s%s", s.publisher.c_str(), s.title.c_str(),
                    s.published.empty() ? "" : ", ", s.published.c_str());
  const std::string& where = s.url.empty() ? s.file : s.url;
  if (where.empty()) return;
  ImGui::Indent();
  ImGui::PushID(static_cast<int>(s.id));
  ImGui::TextWrapped("%s", where.c_str());
  if (ImGui::SmallButton("copy")) ImGui::SetClipboardText(where.c_str());
  if (!s.sha256.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("sha256 %.12s...", s.sha256.c_str());
  }
  ImGui::PopID();
  ImGui::Unindent();
}

std::uint32_t pickIdOf(const ViewModel& model, store::FeatureType type, core::RecordId id) {
  for (std::size_t i = 0; i < model.scene.features.size(); ++i) {
    const auto& f = model.scene.features[i];
    if (f.type == type && f.id == id) return static_cast<std::uint32_t>(i + 1);
  }
  return 0;
}

std::string roundLabel(const ViewModel& model, const std::string& id) {
  for (const auto& row : model.scene.rounds) {
    if (row.round.id == id) return row.round.label;
  }
  return id;
}

} // namespace

void drawInspectorPanel(ViewModel& model) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - 328, viewport->Pos.y + 216), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(320, viewport->Size.y - 270), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Inspector")) {
    ImGui::End();
    return;
  }
  if (!model.selection) {
    ImGui::TextDisabled("Click a symbol on the map, or search.");
    ImGui::End();
    return;
  }
  const InspectorData& data = model.inspector;
  if (data.entity) {
    const core::Entity& e = *data.entity;
    ImGui::TextWrapped("%s", e.primaryName().c_str());
    ImGui::TextDisabled("%s", core::nameOf(e.kind));
    if (ImGui::CollapsingHeader("Names", ImGuiTreeNodeFlags_DefaultOpen)) {
      for (const auto& n : e.names) {
        ImGui::BulletText("%s  (%s%s%s)", n.text.c_str(), core::nameOf(n.script),
                          n.primary ? ", primary" : "", n.quality.empty() ? "" : (", " + n.quality).c_str());
      }
    }
    if (!e.identifiers.empty() && ImGui::CollapsingHeader("Identifiers", ImGuiTreeNodeFlags_DefaultOpen)) {
      for (const auto& id : e.identifiers) ImGui::BulletText("%s  %s", id.scheme.c_str(), id.value.c_str());
    }
    if (ImGui::CollapsingHeader("Designations", ImGuiTreeNodeFlags_DefaultOpen)) {
      for (const auto& d : data.designations) {
        std::string programs;
        for (const auto& p : d.programs) programs += (programs.empty() ? "" : ", ") + p;
        ImGui::BulletText("%s %s  listed %s%s%s", d.authority.c_str(), programs.c_str(),
                          d.listed ? d.listed->toString().c_str() : "(date unknown)",
                          d.delisted ? ", delisted " : "", d.delisted ? d.delisted->toString().c_str() : "");
        if (!d.roundId.empty()) {
          ImGui::Indent();
          ImGui::TextDisabled("round: %s", roundLabel(model, d.roundId).c_str());
          ImGui::Unindent();
        }
      }
      if (data.designations.empty()) ImGui::TextDisabled("none");
    }
    if (ImGui::CollapsingHeader("Locations", ImGuiTreeNodeFlags_DefaultOpen)) {
      for (const auto& l : e.locations) {
        ImGui::BulletText("%s precision: %s", core::nameOf(l.precision), l.address.c_str());
      }
      if (e.locations.empty()) ImGui::TextDisabled("not located");
    }
    if (!e.notes.empty()) ImGui::TextWrapped("%s", e.notes.c_str());
  } else if (data.incident) {
    const core::Incident& i = *data.incident;
    ImGui::TextWrapped("%s", i.title.c_str());
    ImGui::TextDisabled("%s, %s%s%s, confidence %.2f", i.kind.c_str(), i.span.start.toString().c_str(),
                        i.span.end ? " to " : "", i.span.end ? i.span.end->toString().c_str() : "", i.confidence);
    ImGui::Text("%s precision: %s", core::nameOf(i.precision), i.place.c_str());
    if (!i.description.empty()) ImGui::TextWrapped("%s", i.description.c_str());
  }
  if (ImGui::CollapsingHeader("Linked", ImGuiTreeNodeFlags_DefaultOpen)) {
    for (const auto& link : data.links) {
      ImGui::PushID(static_cast<int>(link.id * 2 + (link.type == store::FeatureType::Incident ? 1 : 0)));
      const std::string label = (link.type == store::FeatureType::Entity ? "entity: " : "incident: ") + link.name +
                                (link.relation.empty() ? "" : "  (" + link.relation + ")");
      if (ImGui::Selectable(label.c_str())) {
        const Selection next{link.type, link.id, pickIdOf(model, link.type, link.id)};
        if (link.lon && link.lat) model.flyTo(*link.lon, *link.lat, model.camera.zoom);
        model.select(next);
        ImGui::PopID();
        break;
      }
      ImGui::PopID();
    }
    if (data.links.empty()) ImGui::TextDisabled("none");
  }
  if (ImGui::CollapsingHeader("Sources", ImGuiTreeNodeFlags_DefaultOpen)) {
    for (const auto& s : data.sources) sourceLine(s);
    if (data.sources.empty()) ImGui::TextColored(ImVec4(0.75f, 0.2f, 0.2f, 1), "no source recorded");
  }
  ImGui::End();
}

} // namespace borderlens::ui
