#include "ui/view_model.h"

#include "core/date.h"
#include "core/model.h"
#include "geo/mercator.h"

#include <algorithm>

namespace borderlens::ui {

std::string dayText(std::int32_t day) { return core::Date::fromDays(day).toString(); }

FilterState FilterState::from(const store::FilterSpec& spec, const render::SceneGeometry& scene) {
  FilterState state;
  state.roundOn.assign(scene.roundIds.size(), 1);
  state.incidentKinds.assign(core::incidentKinds().size(), 1);
  state.programOn.assign(scene.programs.size(), 1);
  const render::GpuFilter gpu = render::gpuFilterFrom(spec, scene);
  if (gpu.windowActive) {
    state.windowActive = true;
    state.fromDay = spec.window.from.value_or(scene.originDay - 20000);
    state.toDay = spec.window.to.value_or(scene.originDay + 20000);
  }
  if (gpu.roundsActive) {
    for (std::size_t i = 0; i < state.roundOn.size(); ++i) {
      state.roundOn[i] = (gpu.roundMask[i / 32] >> (i % 32)) & 1u ? 1 : 0;
    }
    state.noRoundOn = false;
  }
  if (gpu.programsActive) {
    for (std::size_t i = 0; i < state.programOn.size(); ++i) state.programOn[i] = (gpu.programMask >> i) & 1u ? 1 : 0;
  }
  for (std::size_t i = 0; i < 4; ++i) state.entityKinds[i] = (gpu.kindMask >> i) & 1u;
  for (std::size_t i = 0; i < state.incidentKinds.size(); ++i) {
    state.incidentKinds[i] = (gpu.kindMask >> (i + 4)) & 1u ? 1 : 0;
  }
  for (std::size_t i = 0; i < 8; ++i) state.authorities[i] = (gpu.authorityMask >> i) & 1u;
  state.minConfidence = gpu.minConfidence;
  if (spec.borderKm) {
    state.borderActive = true;
    state.borderKm = static_cast<float>(*spec.borderKm);
  }
  return state;
}

render::GpuFilter FilterState::toGpu(const render::SceneGeometry& scene) const {
  render::GpuFilter gpu;
  if (windowActive) {
    gpu.windowActive = true;
    gpu.from = static_cast<float>(fromDay - scene.originDay);
    gpu.to = static_cast<float>(toDay - scene.originDay);
  }
  const bool allRounds = noRoundOn && std::all_of(roundOn.begin(), roundOn.end(), [](char on) { return on != 0; });
  if (!allRounds) {
    gpu.roundsActive = true;
    for (std::size_t i = 0; i < roundOn.size(); ++i) {
      if (roundOn[i]) gpu.roundMask[i / 32] |= 1u << (i % 32);
    }
    if (noRoundOn) gpu.roundMask[render::kNoRoundBit / 32] |= 1u << (render::kNoRoundBit % 32);
  }
  if (!std::all_of(programOn.begin(), programOn.end(), [](char on) { return on != 0; })) {
    gpu.programsActive = true;
    for (std::size_t i = 0; i < programOn.size(); ++i) gpu.programMask |= programOn[i] ? 1u << i : 0u;
  }
  gpu.kindMask = 0;
  for (std::size_t i = 0; i < 4; ++i) gpu.kindMask |= entityKinds[i] ? 1u << i : 0u;
  for (std::size_t i = 0; i < incidentKinds.size(); ++i) gpu.kindMask |= incidentKinds[i] ? 1u << (i + 4) : 0u;
  gpu.authorityMask = 0;
  for (std::size_t i = 0; i < 8; ++i) gpu.authorityMask |= authorities[i] ? 1u << i : 0u;
  gpu.minConfidence = minConfidence;
  if (borderActive) gpu.maxBorderKm = borderKm;
  return gpu;
}

store::FilterSpec FilterState::toSpec(const render::SceneGeometry& scene) const {
  store::FilterSpec spec;
  if (windowActive) spec.window = {fromDay, toDay};
  const bool allRounds = noRoundOn && std::all_of(roundOn.begin(), roundOn.end(), [](char on) { return on != 0; });
  if (!allRounds) {
    for (std::size_t i = 0; i < roundOn.size(); ++i) {
      if (roundOn[i]) spec.rounds.push_back(scene.roundIds[i]);
    }
    // The store has no "in no round" filter: with every round off, nothing in a round is
    // wanted, which a round id that exists nowhere expresses.
    if (spec.rounds.empty()) spec.rounds.push_back("(none)");
  }
  if (!std::all_of(programOn.begin(), programOn.end(), [](char on) { return on != 0; })) {
    for (std::size_t i = 0; i < programOn.size(); ++i) {
      if (programOn[i]) spec.programs.push_back(scene.programs[i]);
    }
    if (spec.programs.empty()) spec.programs.push_back("(none)");
  }
  const bool allKinds = std::all_of(entityKinds.begin(), entityKinds.end(), [](bool on) { return on; }) &&
                        std::all_of(incidentKinds.begin(), incidentKinds.end(), [](char on) { return on != 0; });
  if (!allKinds) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (entityKinds[i]) spec.entityKinds.push_back(core::allEntityKinds()[i]);
    }
    for (std::size_t i = 0; i < incidentKinds.size(); ++i) {
      if (incidentKinds[i]) spec.incidentKinds.push_back(core::incidentKinds()[i]);
    }
  }
  const auto& known = render::knownAuthorities();
  const bool allAuthorities = std::all_of(authorities.begin(), authorities.end(), [](bool on) { return on; });
  if (!allAuthorities) {
    for (std::size_t i = 0; i < known.size(); ++i) {
      if (authorities[i]) spec.authorities.push_back(known[i]);
    }
    if (spec.authorities.empty()) spec.authorities.push_back("(none)");
  }
  if (minConfidence > 0) spec.minConfidence = minConfidence;
  if (borderActive) spec.borderKm = borderKm;
  return spec;
}

void ViewModel::select(const std::optional<Selection>& next) {
  selection = next;
  inspector = {};
  std::vector<std::vector<geo::Vec2>> lines;
  if (next && db) {
    if (next->type == store::FeatureType::Entity) {
      inspector.entity = db->entity(next->id);
      inspector.designations = db->designationsOf(next->id);
    } else {
      inspector.incident = db->incident(next->id);
    }
    inspector.links = db->linksOf(next->type, next->id);
    std::vector<core::RecordId> sourceIds;
    if (inspector.entity) sourceIds = inspector.entity->sourceIds;
    if (inspector.incident) sourceIds = inspector.incident->sourceIds;
    for (const auto& d : inspector.designations) sourceIds.insert(sourceIds.end(), d.sourceIds.begin(), d.sourceIds.end());
    std::sort(sourceIds.begin(), sourceIds.end());
    sourceIds.erase(std::unique(sourceIds.begin(), sourceIds.end()), sourceIds.end());
    for (auto id : sourceIds) {
      if (auto source = db->source(id)) inspector.sources.push_back(*source);
    }
    // Lines from the selected symbol to every linked record that has a place on the map.
    if (next->pickId > 0) {
      const store::FeatureRow& row = scene.features[next->pickId - 1];
      for (const auto& link : inspector.links) {
        if (link.lon && link.lat && row.lon && row.lat) {
          lines.push_back({{*row.lon, *row.lat}, {*link.lon, *link.lat}});
        }
      }
    }
  }
  if (renderer) renderer->setLinkLines(lines);
}

void ViewModel::flyTo(double lon, double lat, double minZoom) {
  const auto m = geo::lonLatToMercator(lon, lat);
  camera.centerX = m.x;
  camera.centerY = m.y;
  camera.zoom = std::max(camera.zoom, minZoom);
}

void ViewModel::fitToSelection() {
  geo::BBox box{};
  bool any = false;
  const auto grow = [&](double lon, double lat) {
    if (!any) box = {lon, lat, lon, lat};
    else box.expand(lon, lat);
    any = true;
  };
  if (selection && selection->pickId > 0) {
    const auto& row = scene.features[selection->pickId - 1];
    if (row.lon && row.lat) grow(*row.lon, *row.lat);
    for (const auto& link : inspector.links) {
      if (link.lon && link.lat) grow(*link.lon, *link.lat);
    }
  } else {
    const render::GpuFilter gpu = filter.toGpu(scene);
    for (const auto& p : scene.points) {
      if (!gpu.passes(p)) continue;
      const auto& row = scene.features[p.pickId - 1];
      grow(*row.lon, *row.lat);
    }
  }
  if (!any) return;
  // A single point gets a town-sized box around it.
  if (box.east - box.west < 0.05) box.west -= 0.05, box.east += 0.05;
  if (box.north - box.south < 0.04) box.south -= 0.04, box.north += 0.04;
  const render::Camera fitted = render::Camera::fit(box, camera.width, camera.height, 60);
  camera.centerX = fitted.centerX;
  camera.centerY = fitted.centerY;
  camera.zoom = fitted.zoom;
}

void ViewModel::recount() {
  const render::GpuFilter gpu = filter.toGpu(scene);
  shown = 0;
  for (const auto& p : scene.points) {
    const bool incident = (p.category & render::category::kIncident) != 0;
    if ((incident ? showIncidents : showEntities) && gpu.passes(p)) ++shown;
  }
  countsDirty = false;
}

} // namespace borderlens::ui
