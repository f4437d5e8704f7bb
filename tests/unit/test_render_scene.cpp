#include "geo/mercator.h"
#include "geo/tessellate.h"
#include "render/scene/camera.h"
#include "render/scene/glyph_atlas.h"
#include "render/scene/labels.h"
#include "render/scene/map_scene.h"
#include "render/scene/point_index.h"
#include "render/scene/style.h"
#include "core/errors.h"
#include "support/printers.h"

#include <doctest/doctest.h>
#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace borderlens;

namespace {

std::string wkbOf(const std::string& wkt) {
  GEOSContextHandle_t h = GEOS_init_r();
  GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
  GEOSGeometry* g = GEOSWKTReader_read_r(h, reader, wkt.c_str());
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  std::size_t size = 0;
  unsigned char* bytes = GEOSWKBWriter_write_r(h, writer, g, &size);
  std::string out(reinterpret_cast<char*>(bytes), size);
  GEOSFree_r(h, bytes);
  GEOSWKBWriter_destroy_r(h, writer);
  GEOSGeom_destroy_r(h, g);
  GEOSWKTReader_destroy_r(h, reader);
  GEOS_finish_r(h);
  return out;
}

double triangleArea(const std::vector<geo::Vec2>& t) {
  double area = 0;
  for (std::size_t i = 0; i + 2 < t.size(); i += 3) {
    area += std::abs((t[i + 1].x - t[i].x) * (t[i + 2].y - t[i].y) - (t[i + 2].x - t[i].x) * (t[i + 1].y - t[i].y)) / 2;
  }
  return area;
}

const char* kStyle = R"({
  "background": "#c6d9e8", "highlight": "#ffd31a", "link_line": "#333333", "other_authority": "#777777",
  "lod": [{"suffix": "l", "max_zoom": 6}, {"suffix": "f", "max_zoom": 99}],
  "base": [{"layer": "land", "kind": "fill", "color": "#f3f0e8"},
           {"layer": "rivers", "kind": "line", "color": "#4a86c0", "width": 1.5}],
  "entity_kinds": {"person": {"shape": "circle", "color": "#111111"}, "other": {"shape": "square", "color": "#222222"}},
  "incident_kinds": {"seizure": {"shape": "diamond", "color": "#e67e22"}, "other": {"shape": "hexagon", "color": "#333333"}},
  "authorities": {"UN": "#1f6fb4", "OFAC": "#c0392b"},
  "labels": {"town": {"size": 14, "color": "#000000", "halo": "#ffffff", "priority": 30},
             "entity": {"size": 12, "color": "#000000", "halo": "#ffffff", "min_zoom": 9, "priority": 10}}
})";

store::FeatureRow feature(store::FeatureType type, core::RecordId id, const std::string& kind, double lon,
                          double lat, const std::string& rounds, const std::string& authorities,
                          std::optional<std::int32_t> first, std::optional<std::int32_t> last) {
  store::FeatureRow row;
  row.type = type;
  row.id = id;
  row.kind = kind;
  row.name = kind + " " + std::to_string(id);
  row.lon = lon;
  row.lat = lat;
  row.precision = "exact";
  row.rounds = rounds;
  row.authorities = authorities;
  row.firstDay = first;
  row.lastDay = last;
  if (type == store::FeatureType::Incident) row.confidence = 0.6;
  return row;
}

render::SceneGeometry sampleScene(const render::Style& style) {
  render::MapData data;
  data.rounds.push_back({{"UN-2017-12-22", "UN", core::Date::ymd(2017, 12, 22), "UN", "", {}}, 1});
  data.rounds.push_back({{"OFAC-2018-01-24", "OFAC", core::Date::ymd(2018, 1, 24), "OFAC", "", {}}, 1});
  const auto day = [](int y, unsigned m, unsigned d) { return core::Date::ymd(y, m, d).firstDay(); };
  data.features.push_back(feature(store::FeatureType::Entity, 1, "person", 124.40, 40.10, "UN-2017-12-22", "UN",
                                  day(2017, 12, 22), std::nullopt));
  data.features.back().programs = "UNSCR 1718";
  data.features.push_back(feature(store::FeatureType::Entity, 2, "organization", 124.36, 40.00, "OFAC-2018-01-24",
                                  "OFAC", day(2018, 1, 24), std::nullopt));
  data.features.back().programs = "DPRK3,NPWMD";
  data.features.push_back(feature(store::FeatureType::Incident, 1, "seizure", 124.39, 40.11, "", "",
                                  day(2019, 1, 1), day(2019, 12, 31)));
  data.features.push_back(feature(store::FeatureType::Entity, 3, "vessel", 0, 0, "", "", std::nullopt, std::nullopt));
  data.features.back().lon.reset();
  data.features.back().lat.reset();
  return render::buildScene(std::move(data), style);
}

} // namespace

TEST_CASE("polygons triangulate to their own area, holes left open") {
  const auto parts = geo::decomposeWkb(
      wkbOf("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))"), true);
  CHECK(triangleArea(parts.triangles) == doctest::Approx(96.0));
  CHECK(parts.lines.size() == 2);  // outer ring and hole outline
  const auto concave = geo::decomposeWkb(wkbOf("POLYGON((0 0, 4 0, 4 4, 2 1, 0 4, 0 0))"), true);
  CHECK(triangleArea(concave.triangles) == doctest::Approx(10.0));
}

TEST_CASE("a large polygon is triangulated in cells without losing area") {
  // A 3x3 degree square with 4000 vertices on its boundary: split into 0.5-degree cells.
  std::string wkt = "POLYGON((";
  const int perSide = 1000;
  for (int side = 0; side < 4; ++side) {
    for (int i = 0; i < perSide; ++i) {
      const double t = 3.0 * i / perSide;
      const double x = side == 0 ? t : side == 1 ? 3 : side == 2 ? 3 - t : 0;
      const double y = side == 0 ? 0 : side == 1 ? t : side == 2 ? 3 : 3 - t;
      wkt += std::to_string(120 + x) + " " + std::to_string(40 + y) + ", ";
    }
  }
  wkt += "120 40))";
  const auto parts = geo::decomposeWkb(wkbOf(wkt), true);
  CHECK(triangleArea(parts.triangles) == doctest::Approx(9.0).epsilon(1e-6));
}

TEST_CASE("self-intersecting polygons are repaired before filling") {
  const auto parts = geo::decomposeWkb(wkbOf("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))"), true);
  CHECK(triangleArea(parts.triangles) == doctest::Approx(2.0));
}

TEST_CASE("style files are validated with the offending key named") {
  const auto style = render::Style::parse(kStyle, "test.json");
  CHECK(style.base.size() == 2);
  CHECK(style.lodFor(5) == "l");
  CHECK(style.lodFor(12) == "f");
  CHECK(style.entitySymbol("aircraft").shape == render::Shape::Square);  // falls back to "other"
  CHECK(render::Rgba::parse("#ff000080").a == doctest::Approx(128.0 / 255));
  const auto message = [](const std::string& json) {
    try {
      render::Style::parse(json, "s.json");
    } catch (const core::InputRejected& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  std::string bad = kStyle;
  bad.replace(bad.find("#f3f0e8"), 7, "#f3f0zz");
  CHECK(message(bad).find("s.json: 'base[0].color'") == 0);
  CHECK(message("{").find("not valid JSON") != std::string::npos);
  std::string shape = kStyle;
  shape.replace(shape.find("\"diamond\""), 9, "\"blob\"");
  CHECK(message(shape).find("unknown shape 'blob'") != std::string::npos);
}

TEST_CASE("the camera keeps the point under the cursor while zooming") {
  render::Camera camera = render::Camera::fit({124, 39.5, 125, 40.5}, 800, 600);
  const geo::Vec2 cursor{200, 150};
  const geo::Vec2 before = camera.screenToWorld(cursor);
  camera.zoomAround(cursor, 1.5);
  const geo::Vec2 after = camera.screenToWorld(cursor);
  CHECK(after.x == doctest::Approx(before.x).epsilon(1e-9));
  CHECK(after.y == doctest::Approx(before.y).epsilon(1e-9));
  const geo::BBox visible = camera.visibleBBox();
  CHECK(visible.west < visible.east);
  const auto fitted = render::Camera::fit({124, 39.5, 125, 40.5}, 800, 600, 0);
  const geo::BBox shown = fitted.visibleBBox();
  CHECK(shown.west <= 124.0 + 1e-9);
  CHECK(shown.east >= 125.0 - 1e-9);
}

TEST_CASE("labels: higher priority wins a collision, no overlaps, deterministic") {
  render::GlyphAtlas atlas(render::kDefaultFont);
  const render::Camera camera = render::Camera::fit({124, 39.5, 125, 40.5}, 800, 600);
  const auto m = geo::lonLatToMercator(124.5, 40.0);
  std::vector<render::LabelCandidate> candidates;
  for (int i = 0; i < 6; ++i) {
    render::LabelCandidate c;
    c.text = i == 3 ? "丹东 Dandong 단둥" : "Label " + std::to_string(i);
    c.x = m.x;
    c.y = m.y;
    c.priority = i == 3 ? 50 : 10;
    candidates.push_back(c);
  }
  const auto placed = render::placeLabels(candidates, camera, atlas);
  REQUIRE(!placed.empty());
  CHECK(placed.front().candidate == 3);
  // Six labels on one anchor: the right and left spots take two; above and below would touch
  // them, so the rest are dropped.
  CHECK(placed.size() == 2);
  for (std::size_t a = 0; a < placed.size(); ++a) {
    for (std::size_t b = a + 1; b < placed.size(); ++b) {
      const auto& p = placed[a];
      const auto& q = placed[b];
      const bool overlap = p.left < q.left + q.width && q.left < p.left + p.width &&
                           p.top < q.top + q.height && q.top < p.top + p.height;
      CHECK_FALSE(overlap);
    }
  }
  const auto again = render::placeLabels(candidates, camera, atlas);
  REQUIRE(again.size() == placed.size());
  for (std::size_t i = 0; i < placed.size(); ++i) CHECK(again[i].candidate == placed[i].candidate);
  CHECK(atlas.hasGlyph(U'丹'));
  CHECK(atlas.hasGlyph(U'둥'));
}

TEST_CASE("labels: a romanized name's apostrophe and dashes are as wide as their ink, CJK as the font") {
  render::GlyphAtlas atlas(render::kDefaultFont);
  atlas.require("Sunch’ŏn Sunch'ŏn P’yŏngsŏng Tumen–Rajin “Hyesan” 丹东 단둥");
  atlas.build();
  const float em = render::GlyphAtlas::kBaseSize;
  // The font sets ’ a full em wide (2048 of 2048 units); it sits in the name as ' does.
  CHECK(atlas.measure("Sunch’ŏn", em) - atlas.measure("Sunch'ŏn", em) < 0.15f * em);
  for (char32_t c : {U'’', U'–', U'“', U'”'}) {
    CAPTURE(static_cast<std::uint32_t>(c));
    const auto* g = atlas.glyph(c);
    REQUIRE(g);
    CHECK(g->advance < 0.6f * em);
    // The ink starts at the pen, not half an em after it, and ends before the next letter.
    const auto padding = static_cast<float>(render::GlyphAtlas::kPadding);
    CHECK(g->x0 + padding >= -1.0f);
    CHECK(g->x0 + padding < 0.15f * em);
    CHECK(g->advance >= g->x1 - padding - 1.0f);
  }
  // Han and Hangul keep their full width.
  CHECK(atlas.glyph(U'丹')->advance > 0.8f * em);
  CHECK(atlas.glyph(U'단')->advance > 0.8f * em);
}

TEST_CASE("the GPU filter matches the store's semantics on the CPU") {
  const auto style = render::Style::parse(kStyle, "test.json");
  const auto scene = sampleScene(style);
  REQUIRE(scene.points.size() == 3);  // the unlocated vessel has no symbol
  const auto visible = [&](const store::FilterSpec& spec) {
    const render::GpuFilter gpu = render::gpuFilterFrom(spec, scene);
    std::vector<core::RecordId> ids;
    for (const auto& p : scene.points) {
      if (gpu.passes(p)) ids.push_back(scene.features[p.pickId - 1].id * 10 + (p.category & render::category::kIncident ? 1 : 0));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  CHECK(visible({}) == std::vector<core::RecordId>{10, 11, 20});
  store::FilterSpec rounds;
  rounds.rounds = {"UN-2017-12-22"};
  CHECK(visible(rounds) == std::vector<core::RecordId>{10});  // the unlinked incident is in no round
  store::FilterSpec window;
  window.window = {core::Date::ymd(2018, 1, 1).firstDay(), core::Date::ymd(2018, 1, 31).firstDay()};
  CHECK(visible(window) == std::vector<core::RecordId>{10, 20});
  window.window = {core::Date::ymd(2019, 6, 1).firstDay(), core::Date::ymd(2019, 6, 2).firstDay()};
  CHECK(visible(window) == std::vector<core::RecordId>{10, 11, 20});
  store::FilterSpec kinds;
  kinds.incidentKinds = {"seizure"};
  CHECK(visible(kinds) == std::vector<core::RecordId>{11});
  store::FilterSpec authority;
  authority.authorities = {"OFAC"};
  CHECK(visible(authority) == std::vector<core::RecordId>{20});
  store::FilterSpec programs;
  programs.programs = {"NPWMD"};
  CHECK(visible(programs) == std::vector<core::RecordId>{20});
  CHECK(scene.programs == std::vector<std::string>{"DPRK3", "NPWMD", "UNSCR 1718"});
  store::FilterSpec confidence;
  confidence.minConfidence = 0.7;
  CHECK(visible(confidence) == std::vector<core::RecordId>{10, 20});
}

TEST_CASE("picking finds the nearest visible symbol, entities before incidents") {
  const auto style = render::Style::parse(kStyle, "test.json");
  const auto scene = sampleScene(style);
  render::PointIndex index(scene.points);
  const auto near = geo::lonLatToMercator(124.392, 40.108);  // between the person and the seizure
  render::GpuFilter all;
  const auto picked = index.nearest(near.x - scene.originX, near.y - scene.originY, 2000, all, 1.0);
  REQUIRE(picked);
  CHECK(scene.features[scene.points[*picked].pickId - 1].id == 1);
  CHECK(scene.features[scene.points[*picked].pickId - 1].type == store::FeatureType::Incident);
  render::GpuFilter entitiesOnly;
  entitiesOnly.kindMask = 0xf;
  const auto entity = index.nearest(near.x - scene.originX, near.y - scene.originY, 2000, entitiesOnly, 1.0);
  REQUIRE(entity);
  CHECK(scene.features[scene.points[*entity].pickId - 1].type == store::FeatureType::Entity);
  CHECK_FALSE(index.nearest(near.x - scene.originX, near.y - scene.originY, 10, all, 1.0));
}

TEST_CASE("viewport query returns the visible symbols in a box, edges included") {
  // A 50 x 50 grid, 100 m apart, on day x: more points than one bucket of the index, the last
  // bucket partly filled.
  std::vector<render::PointInstance> points;
  for (int y = 0; y < 50; ++y) {
    for (int x = 0; x < 50; ++x) {
      render::PointInstance p;
      p.x = static_cast<float>(x * 100);
      p.y = static_cast<float>(y * 100);
      p.t0 = p.t1 = static_cast<float>(x);
      p.category = render::category::kIncident | (1u << (render::category::kAuthorityShift + render::kAuthorityNoneBit));
      points.push_back(p);
    }
  }
  const render::PointIndex index(points);
  const auto query = [&](double minX, double minY, double maxX, double maxY, const render::GpuFilter& filter) {
    std::vector<std::size_t> hits;
    index.within(minX, minY, maxX, maxY, filter, hits);
    std::sort(hits.begin(), hits.end());
    return hits;
  };
  std::vector<std::size_t> expected;
  for (std::size_t y = 5; y <= 7; ++y) {
    for (std::size_t x = 10; x <= 20; ++x) expected.push_back(y * 50 + x);
  }
  CHECK(query(1000, 500, 2000, 700, render::GpuFilter{}) == expected);
  CHECK(query(4850, 4850, 6000, 6000, render::GpuFilter{}) == std::vector<std::size_t>{2499});
  CHECK(query(-60, -60, -10, -10, render::GpuFilter{}).empty());

  render::GpuFilter window;
  window.windowActive = true;
  window.from = 12;
  window.to = 14;
  expected.clear();
  for (std::size_t y = 5; y <= 7; ++y) {
    for (std::size_t x = 12; x <= 14; ++x) expected.push_back(y * 50 + x);
  }
  CHECK(query(1000, 500, 2000, 700, window) == expected);

  std::vector<std::size_t> appended{7};
  index.within(-10, -10, 10, 10, render::GpuFilter{}, appended);
  CHECK(appended == std::vector<std::size_t>{7, 0});

  const auto picked = index.nearest(1010, 490, 50, render::GpuFilter{}, 1.0);
  REQUIRE(picked);
  CHECK(*picked == 5 * 50 + 10);

  const std::vector<render::PointInstance> none;
  const render::PointIndex empty(none);
  std::vector<std::size_t> nothing;
  empty.within(-1e9, -1e9, 1e9, 1e9, render::GpuFilter{}, nothing);
  CHECK(nothing.empty());
  CHECK_FALSE(empty.nearest(0, 0, 1e9, render::GpuFilter{}, 1.0));
}

TEST_CASE("viewport queries agree with a scan of every symbol, whatever the filter") {
  // Clustered points with random spans, rounds, kinds and authorities; in one cluster some are in
  // no authority at all (a default filter hides those): queries of all sizes under filters that the index answers
  // from its packed arrays (window, rounds) and filters it answers from whole symbols.
  std::mt19937 random(17);
  std::uniform_real_distribution<float> offset(-3000.0f, 3000.0f);
  std::uniform_real_distribution<float> day(0.0f, 7000.0f);
  std::uniform_int_distribution<unsigned> small(0, 9);
  std::vector<render::PointInstance> points;
  for (int i = 0; i < 20000; ++i) {
    render::PointInstance p;
    const float cx = static_cast<float>((i % 5) * 20000);
    p.x = cx + offset(random);
    p.y = offset(random);
    p.t0 = day(random);
    p.t1 = small(random) < 3 ? render::kOpenTime : p.t0 + day(random) / 10;
    p.rounds[small(random) % 4] = 1u << small(random);
    if (small(random) == 0) p.rounds = {};
    p.category = small(random) |
                 (i % 5 == 0 && small(random) == 0
                      ? 0u
                      : 1u << (render::category::kAuthorityShift + small(random) % 8));
    p.confidence = static_cast<float>(small(random)) / 10.0f;
    points.push_back(p);
  }
  const render::PointIndex index(points);

  std::vector<render::GpuFilter> filters(6);
  filters[1].windowActive = true;
  filters[1].from = 2000;
  filters[1].to = 2100;
  filters[2].roundsActive = true;
  filters[2].roundMask = {0x5u, 0, 0x100u, 0};
  filters[3] = filters[1];
  filters[3].roundsActive = true;
  filters[3].roundMask = {0, 0x2u, 0, 0x80000000u};
  filters[4].kindMask = 0x2au;
  filters[5] = filters[1];
  filters[5].minConfidence = 0.35f;
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (int q = 0; q < 40; ++q) {
      const float w = 50.0f * static_cast<float>(q * q);
      const double minX = offset(random) + static_cast<float>((q % 5) * 20000), minY = offset(random);
      const double maxX = minX + w, maxY = minY + w / 2;
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i];
        if (p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY && filters[f].passes(p))
          expected.push_back(i);
      }
      std::vector<std::size_t> hits{99999};  // appended to, never cleared
      index.within(minX, minY, maxX, maxY, filters[f], hits);
      REQUIRE(hits.front() == 99999);
      hits.erase(hits.begin());
      std::sort(hits.begin(), hits.end());
      CAPTURE(f);
      CAPTURE(q);
      CHECK(hits == expected);
    }
  }
}
