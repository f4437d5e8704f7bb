#pragma once

#include "render/gl/map_renderer.h"
#include "render/scene/camera.h"
#include "render/scene/map_scene.h"
#include "render/scene/point_index.h"
#include "render/scene/style.h"
#include "store/store.h"
#include "ui/background_job.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The state the panels share. Panels read and change it; the map is drawn from it each frame.
namespace borderlens::ui {

// What the filter panels select, in the panels' own terms; turned into GPU uniforms each frame.
struct FilterState {
  bool windowActive = false;
  std::int32_t fromDay = 0;   // days since 1970-01-01
  std::int32_t toDay = 0;
  std::vector<char> roundOn;  // per scene round
  bool noRoundOn = true;      // features in no round
  std::vector<char> programOn; // per scene program
  std::array<bool, 4> entityKinds{true, true, true, true};
  std::vector<char> incidentKinds;          // per core::incidentKinds()
  std::array<bool, 8> authorities{true, true, true, true, true, true, true, true};
  float minConfidence = 0;
  bool borderActive = false;
  float borderKm = 10;

  static FilterState from(const store::FilterSpec& spec, const render::SceneGeometry& scene);
  render::GpuFilter toGpu(const render::SceneGeometry& scene) const;
  // The same selection as a store filter, for exports of what the analyst sees.
  store::FilterSpec toSpec(const render::SceneGeometry& scene) const;
};

struct Selection {
  store::FeatureType type = store::FeatureType::Entity;
  core::RecordId id = 0;
  std::uint32_t pickId = 0;   // 0 when the record has no symbol on the map
};

struct InspectorData {
  std::optional<core::Entity> entity;
  std::vector<core::Designation> designations;
  std::optional<core::Incident> incident;
  std::vector<store::LinkedRecord> links;
  std::vector<core::Source> sources;
};

struct ViewModel {
  std::string database;
  std::unique_ptr<store::Store> db;   // read-only, for search and the inspector
  render::Style style;
  render::SceneGeometry scene;
  std::unique_ptr<render::gl::MapRenderer> renderer;
  std::unique_ptr<render::PointIndex> index;
  render::Camera camera;
  render::LabelScript script = render::LabelScript::Latin;
  FilterState filter;
  bool showEntities = true;
  bool showIncidents = true;

  std::optional<Selection> selection;
  InspectorData inspector;
  std::optional<std::size_t> hover;   // index into scene.points

  // Timeline: the data's time range and a monthly histogram of incidents and listings.
  std::int32_t minDay = 0;
  std::int32_t maxDay = 0;
  std::vector<int> incidentsPerMonth;
  std::vector<int> listingsPerMonth;
  bool playing = false;
  float playDaysPerSecond = 90;

  std::string searchText;
  std::vector<store::FeatureRow> searchResults;
  std::string searchMessage;

  std::size_t shown = 0;
  bool countsDirty = true;
  std::optional<geo::Vec2> cursorLonLat;
  std::string rendererName;
  std::string message;   // one line for the status bar (errors, import results)

  // Imports dropped on the window and exports run here, off the drawing thread.
  BackgroundJob job;
  bool reloadAfterJob = false;
  bool exportDialogOpen = false;

  // Selects a record (or clears with nullopt), loads its details and draws its links.
  void select(const std::optional<Selection>& next);
  // Centres the map on a lon/lat, zooming in to at least `minZoom`.
  void flyTo(double lon, double lat, double minZoom);
  // Frames everything the current filter shows (or the selection and its links).
  void fitToSelection();
  void recount();
};

// The time window's bounds as text ("2016-03-02").
std::string dayText(std::int32_t day);

} // namespace borderlens::ui
