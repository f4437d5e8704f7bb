#include "render/scene/map_scene.h"

#include "core/model.h"
#include "geo/mercator.h"
#include "geo/tessellate.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <numbers>
#include <set>
#include <tuple>
#include <unordered_map>

namespace borderlens::render {

namespace {

const core::Date kOriginDate = core::Date::ymd(2000, 1, 1);

std::vector<std::string> splitList(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t comma = joined.find(',', start);
    out.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

class Projector {
 public:
  Projector(double originX, double originY) : m_originX(originX), m_originY(originY) {}
  geo::Vec2 operator()(const geo::Vec2& lonLat) const {
    const auto m = geo::lonLatToMercator(lonLat.x, lonLat.y);
    return {m.x - m_originX, m.y - m_originY};
  }

 private:
  double m_originX;
  double m_originY;
};

void appendPolyline(const std::vector<geo::Vec2>& lonLat, const Projector& project, BaseLayerMesh& mesh) {
  std::vector<geo::Vec2> pts;
  pts.reserve(lonLat.size());
  for (const auto& p : lonLat) {
    const geo::Vec2 q = project(p);
    // Repeated points give no direction to extrude along.
    if (pts.empty() || std::abs(q.x - pts.back().x) > 1e-3 || std::abs(q.y - pts.back().y) > 1e-3) {
      pts.push_back(q);
    }
  }
  if (pts.size() < 2) return;
  const bool closed = pts.size() > 3 && std::abs(pts.front().x - pts.back().x) < 1e-3 &&
                      std::abs(pts.front().y - pts.back().y) < 1e-3;
  const std::size_t n = pts.size();
  const auto base = static_cast<std::uint32_t>(mesh.lineVertices.size());
  for (std::size_t i = 0; i < n; ++i) {
    geo::Vec2 prev, next;
    if (i > 0) prev = pts[i - 1];
    else if (closed) prev = pts[n - 2];
    else prev = {2 * pts[0].x - pts[1].x, 2 * pts[0].y - pts[1].y};
    if (i + 1 < n) next = pts[i + 1];
    else if (closed) next = pts[1];
    else next = {2 * pts[n - 1].x - pts[n - 2].x, 2 * pts[n - 1].y - pts[n - 2].y};
    for (float side : {1.0f, -1.0f}) {
      mesh.lineVertices.push_back({static_cast<float>(prev.x), static_cast<float>(prev.y),
                                   static_cast<float>(pts[i].x), static_cast<float>(pts[i].y),
                                   static_cast<float>(next.x), static_cast<float>(next.y), side});
    }
  }
  for (std::uint32_t i = 0; i + 1 < n; ++i) {
    const std::uint32_t a = base + 2 * i;
    mesh.lineIndices.insert(mesh.lineIndices.end(), {a, a + 1, a + 2, a + 1, a + 3, a + 2});
  }
}

// The level-of-detail suffix of a layer name ("land_f" -> "f"), if the style layer has levels.
bool matchLayer(const std::string& name, const BaseLayerStyle& style, std::string& lod) {
  if (!style.lod) {
    lod.clear();
    return name == style.layer;
  }
  if (name.size() != style.layer.size() + 2 || name.compare(0, style.layer.size(), style.layer) != 0 ||
      name[style.layer.size()] != '_') {
    return false;
  }
  lod = name.substr(style.layer.size() + 1);
  return true;
}

Rgba entityColor(const std::vector<std::string>& authorities, const Style& style) {
  for (const auto& preferred : knownAuthorities()) {
    if (std::find(authorities.begin(), authorities.end(), preferred) != authorities.end()) {
      return style.authorityColor(preferred);
    }
  }
  return authorities.empty() ? style.entitySymbol("other").color : style.otherAuthority;
}

// Grid cells of ~100 km (in Web Mercator metres) for draw ranges: a city view touches a handful.
constexpr double kCellMetres = 100000.0;

long long cellKey(double x, double y) {
  const auto cx = static_cast<long long>(std::floor(x / kCellMetres));
  const auto cy = static_cast<long long>(std::floor(y / kCellMetres));
  return cy * 100003LL + cx;
}

void extend(DrawRange& range, double x, double y) {
  const auto fx = static_cast<float>(x), fy = static_cast<float>(y);
  if (range.count == 0) {
    range.minX = range.maxX = fx;
    range.minY = range.maxY = fy;
  } else {
    range.minX = std::min(range.minX, fx);
    range.maxX = std::max(range.maxX, fx);
    range.minY = std::min(range.minY, fy);
    range.maxY = std::max(range.maxY, fy);
  }
}

// Symbols at one exact point are laid out on a sunflower spiral around it (entities first,
// then incidents, each in id order), so that every one can be seen and clicked.
void spreadStacks(std::vector<PointInstance>& points) {
  // One sort of indices groups the stacks, entities before incidents and each in id order within
  // a stack; a map of vectors cost a second at a million points.
  const auto incidentOf = [&](std::size_t i) { return (points[i].category & category::kIncident) != 0; };
  std::vector<std::size_t> order(points.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a].x != points[b].x) return points[a].x < points[b].x;
    if (points[a].y != points[b].y) return points[a].y < points[b].y;
    if (incidentOf(a) != incidentOf(b)) return incidentOf(b);
    return a < b;
  });
  const double golden = std::numbers::pi * (3.0 - std::sqrt(5.0));
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && points[order[last]].x == points[order[first]].x &&
           points[order[last]].y == points[order[first]].y) {
      ++last;
    }
    if (last - first >= 2) {
      for (std::size_t k = 0; k < last - first; ++k) {
        const double radius = 9.0 * std::sqrt(static_cast<double>(k) + 0.5);
        const double angle = static_cast<double>(k) * golden;
        points[order[first + k]].dx = static_cast<float>(radius * std::cos(angle));
        points[order[first + k]].dy = static_cast<float>(radius * std::sin(angle));
      }
    }
    first = last;
  }
}

} // namespace

const std::vector<std::string>& knownAuthorities() {
  static const std::vector<std::string> list{"UN", "OFAC", "EU", "UK", "FinCEN", "KR"};
  return list;
}

std::uint32_t authorityBit(const std::string& authority) {
  const auto& known = knownAuthorities();
  const auto it = std::find(known.begin(), known.end(), authority);
  return it == known.end() ? kAuthorityOtherBit : static_cast<std::uint32_t>(it - known.begin());
}

std::uint32_t kindIndex(bool incident, const std::string& kind) {
  if (!incident) {
    const auto parsed = core::entityKindFromString(kind);
    return parsed ? static_cast<std::uint32_t>(*parsed) : 0;
  }
  const auto& kinds = core::incidentKinds();
  const auto it = std::find(kinds.begin(), kinds.end(), kind);
  const auto offset = static_cast<std::uint32_t>(core::allEntityKinds().size());
  const auto index = it == kinds.end() ? kinds.size() - 1 : static_cast<std::size_t>(it - kinds.begin());
  return offset + static_cast<std::uint32_t>(index);
}

bool GpuFilter::passes(const PointInstance& p) const {
  if (windowActive && (p.t0 > to || p.t1 < from)) return false;
  if (roundsActive) {
    bool any = false;
    for (std::size_t i = 0; i < 4; ++i) any = any || (p.rounds[i] & roundMask[i]) != 0;
    if (!any) return false;
  }
  if (((kindMask >> (p.category & category::kKindMask)) & 1u) == 0) return false;
  if (((p.category >> category::kAuthorityShift) & authorityMask & 0xffu) == 0) return false;
  if (programsActive && (p.programs & programMask) == 0) return false;
  if ((p.category & category::kIncident) && p.confidence < minConfidence) return false;
  return p.borderKm <= maxBorderKm;
}

SceneGeometry buildScene(MapData data, const Style& style) {
  SceneGeometry scene;
  // The origin sits in the middle of the border region so that float offsets stay well under
  // 2^24 decimetres everywhere the map goes.
  const auto origin = geo::lonLatToMercator(125.0, 41.0);
  scene.originX = origin.x;
  scene.originY = origin.y;
  scene.originDay = kOriginDate.firstDay();
  const Projector project(origin.x, origin.y);
  scene.rounds = std::move(data.rounds);
  // Rounds past the 128 bits of the filter mask cannot be filtered on the GPU; the first 128 in
  // date order can.
  if (scene.rounds.size() > kMaxRounds) scene.rounds.resize(kMaxRounds);
  for (const auto& row : scene.rounds) scene.roundIds.push_back(row.round.id);
  scene.places = std::move(data.places);
  scene.attribution = std::move(data.attribution);

  bool haveExtent = false;
  const auto grow = [&](double lon, double lat) {
    if (!haveExtent) {
      scene.extent = {lon, lat, lon, lat};
      haveExtent = true;
    } else {
      scene.extent.expand(lon, lat);
    }
  };

  // The base map's tessellation is the longest part of a scene and needs nothing of the records:
  // it runs on a second core meanwhile.
  auto baseMeshes = std::async(std::launch::async, [&data, &style, &project] {
    std::vector<BaseLayerMesh> meshes;
    for (std::size_t s = 0; s < style.base.size(); ++s) {
      for (const auto& layer : data.base) {
        std::string lod;
        if (!matchLayer(layer.name, style.base[s], lod)) continue;
        BaseLayerMesh mesh;
        mesh.layer = style.base[s].layer;
        mesh.lod = lod;
        mesh.styleIndex = s;
        for (const auto& wkb : layer.wkb) {
          const geo::DrawParts parts = geo::decomposeWkb(wkb, style.base[s].fill);
          if (style.base[s].fill) {
            for (const auto& p : parts.triangles) {
              const geo::Vec2 q = project(p);
              mesh.triangles.push_back(static_cast<float>(q.x));
              mesh.triangles.push_back(static_cast<float>(q.y));
            }
          } else {
            for (const auto& line : parts.lines) appendPolyline(line, project, mesh);
          }
        }
        chunkMesh(mesh);
        meshes.push_back(std::move(mesh));
      }
    }
    return meshes;
  });

  std::set<std::string> programSet;
  for (const auto& row : data.features) {
    for (const auto& program : splitList(row.programs)) programSet.insert(program);
  }
  for (const auto& program : programSet) {
    if (scene.programs.size() < kMaxPrograms) scene.programs.push_back(program);
  }
  std::unordered_map<std::string, std::size_t> roundIndex;
  for (std::size_t i = 0; i < scene.roundIds.size(); ++i) roundIndex[scene.roundIds[i]] = i;

  scene.features = std::move(data.features);
  scene.points.reserve(scene.features.size());
  for (std::size_t i = 0; i < scene.features.size(); ++i) {
    const store::FeatureRow& row = scene.features[i];
    if (!row.lon || !row.lat) continue;
    const bool incident = row.type == store::FeatureType::Incident;
    PointInstance p;
    const geo::Vec2 q = project({*row.lon, *row.lat});
    p.x = static_cast<float>(q.x);
    p.y = static_cast<float>(q.y);
    // An entity without a known listing date cannot be placed in time: it drops out of any
    // time window, as it does in the store's queries.
    p.t0 = row.firstDay ? static_cast<float>(*row.firstDay - scene.originDay) : (incident ? -kOpenTime : kOpenTime);
    p.t1 = row.lastDay ? static_cast<float>(*row.lastDay - scene.originDay) : kOpenTime;
    for (const auto& id : splitList(row.rounds)) {
      const auto it = roundIndex.find(id);
      if (it != roundIndex.end()) p.rounds[it->second / 32] |= 1u << (it->second % 32);
    }
    if (p.rounds == std::array<std::uint32_t, 4>{}) p.rounds[kNoRoundBit / 32] |= 1u << (kNoRoundBit % 32);
    for (const auto& program : splitList(row.programs)) {
      const auto it = std::find(scene.programs.begin(), scene.programs.end(), program);
      if (it != scene.programs.end()) p.programs |= 1u << static_cast<std::uint32_t>(it - scene.programs.begin());
    }
    const auto authorities = splitList(row.authorities);
    std::uint32_t authorityBits = 0;
    for (const auto& a : authorities) authorityBits |= 1u << authorityBit(a);
    if (authorityBits == 0) authorityBits = 1u << kAuthorityNoneBit;
    p.category = kindIndex(incident, row.kind) | (authorityBits << category::kAuthorityShift) |
                 (incident ? category::kIncident : 0u);
    p.confidence = row.confidence ? static_cast<float>(*row.confidence) : 1.0f;
    p.borderKm = row.borderKm ? static_cast<float>(*row.borderKm) : kUnknownBorderKm;
    const SymbolStyle& symbol = incident ? style.incidentSymbol(row.kind) : style.entitySymbol(row.kind);
    p.color = (incident ? symbol.color : entityColor(authorities, style)).packed();
    p.size = symbol.size;
    const auto precision = core::precisionFromString(row.precision).value_or(core::Precision::Exact);
    const bool coarse = precision != core::Precision::Exact && precision != core::Precision::Street;
    p.shape = static_cast<std::uint32_t>(symbol.shape) | (coarse ? shape_flag::kRing : 0u);
    p.pickId = static_cast<std::uint32_t>(i + 1);
    scene.points.push_back(p);
    grow(*row.lon, *row.lat);
  }
  spreadStacks(scene.points);
  // Incidents first, then entities; within each, by grid cell.
  {
    // Keys computed once, the index breaking ties: the stable order without a cell computation
    // in every comparison.
    std::vector<std::tuple<bool, long long, std::size_t>> keys(scene.points.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const PointInstance& p = scene.points[i];
      keys[i] = {(p.category & category::kIncident) == 0, cellKey(p.x, p.y), i};
    }
    std::sort(keys.begin(), keys.end());
    std::vector<PointInstance> sorted;
    sorted.reserve(keys.size());
    for (const auto& key : keys) sorted.push_back(scene.points[std::get<2>(key)]);
    scene.points = std::move(sorted);
  }
  for (std::uint32_t i = 0; i < scene.points.size(); ++i) {
    const PointInstance& p = scene.points[i];
    auto& ranges = (p.category & category::kIncident) ? scene.incidentRanges : scene.entityRanges;
    const bool newRange = ranges.empty() || i == 0 ||
                          cellKey(scene.points[i - 1].x, scene.points[i - 1].y) != cellKey(p.x, p.y) ||
                          ((scene.points[i - 1].category ^ p.category) & category::kIncident);
    if (newRange) ranges.push_back({i, 0, 0, 0, 0, 0});
    extend(ranges.back(), p.x, p.y);
    ++ranges.back().count;
  }
  if (!haveExtent) {
    for (const auto& place : scene.places) grow(place.lon, place.lat);
  }
  if (!haveExtent) scene.extent = {117, 36, 132, 46};
  scene.base = baseMeshes.get();
  return scene;
}

void chunkMesh(BaseLayerMesh& mesh) {
  // Triangles: three vertices each, keyed by the cell of their first vertex.
  const std::size_t triangleCount = mesh.triangles.size() / 6;
  std::vector<std::pair<long long, std::size_t>> triangles(triangleCount);
  for (std::size_t t = 0; t < triangleCount; ++t) triangles[t] = {cellKey(mesh.triangles[t * 6], mesh.triangles[t * 6 + 1]), t};
  std::stable_sort(triangles.begin(), triangles.end());
  std::vector<float> sorted;
  sorted.reserve(mesh.triangles.size());
  mesh.triangleRanges.clear();
  for (std::size_t i = 0; i < triangles.size(); ++i) {
    if (i == 0 || triangles[i].first != triangles[i - 1].first) {
      mesh.triangleRanges.push_back({static_cast<std::uint32_t>(i * 3), 0, 0, 0, 0, 0});
    }
    for (std::size_t v = 0; v < 3; ++v) {
      const float x = mesh.triangles[triangles[i].second * 6 + v * 2];
      const float y = mesh.triangles[triangles[i].second * 6 + v * 2 + 1];
      sorted.push_back(x);
      sorted.push_back(y);
      extend(mesh.triangleRanges.back(), x, y);
      ++mesh.triangleRanges.back().count;
    }
  }
  mesh.triangles = std::move(sorted);

  // Line segments: six indices each (a quad), keyed by the cell of the segment's start.
  const std::size_t quadCount = mesh.lineIndices.size() / 6;
  std::vector<std::pair<long long, std::size_t>> quads(quadCount);
  for (std::size_t q = 0; q < quadCount; ++q) {
    const LineVertex& v = mesh.lineVertices[mesh.lineIndices[q * 6]];
    quads[q] = {cellKey(v.x, v.y), q};
  }
  std::stable_sort(quads.begin(), quads.end());
  std::vector<std::uint32_t> indices;
  indices.reserve(mesh.lineIndices.size());
  mesh.lineRanges.clear();
  for (std::size_t i = 0; i < quads.size(); ++i) {
    if (i == 0 || quads[i].first != quads[i - 1].first) {
      mesh.lineRanges.push_back({static_cast<std::uint32_t>(i * 6), 0, 0, 0, 0, 0});
    }
    for (std::size_t k = 0; k < 6; ++k) {
      const std::uint32_t index = mesh.lineIndices[quads[i].second * 6 + k];
      indices.push_back(index);
      extend(mesh.lineRanges.back(), mesh.lineVertices[index].x, mesh.lineVertices[index].y);
      ++mesh.lineRanges.back().count;
    }
  }
  mesh.lineIndices = std::move(indices);
}

BaseLayerMesh buildLineMesh(const SceneGeometry& scene, const std::vector<std::vector<geo::Vec2>>& lonLatLines) {
  const Projector project(scene.originX, scene.originY);
  BaseLayerMesh mesh;
  for (const auto& line : lonLatLines) appendPolyline(line, project, mesh);
  chunkMesh(mesh);
  return mesh;
}

GpuFilter gpuFilterFrom(const store::FilterSpec& filter, const SceneGeometry& scene) {
  GpuFilter gpu;
  if (!filter.window.empty()) {
    gpu.windowActive = true;
    if (filter.window.from) gpu.from = static_cast<float>(*filter.window.from - scene.originDay);
    if (filter.window.to) gpu.to = static_cast<float>(*filter.window.to - scene.originDay);
  }
  if (!filter.rounds.empty()) {
    gpu.roundsActive = true;
    for (const auto& id : filter.rounds) {
      const auto it = std::find(scene.roundIds.begin(), scene.roundIds.end(), id);
      if (it == scene.roundIds.end()) continue;
      const auto index = static_cast<std::size_t>(it - scene.roundIds.begin());
      gpu.roundMask[index / 32] |= 1u << (index % 32);
    }
  }
  if (!filter.programs.empty()) {
    gpu.programsActive = true;
    for (const auto& program : filter.programs) {
      const auto it = std::find(scene.programs.begin(), scene.programs.end(), program);
      if (it != scene.programs.end()) gpu.programMask |= 1u << static_cast<std::uint32_t>(it - scene.programs.begin());
    }
  }
  if (!filter.entityKinds.empty() || !filter.incidentKinds.empty()) {
    gpu.kindMask = 0;
    for (auto kind : filter.entityKinds) gpu.kindMask |= 1u << kindIndex(false, core::nameOf(kind));
    for (const auto& kind : filter.incidentKinds) gpu.kindMask |= 1u << kindIndex(true, kind);
  }
  if (!filter.authorities.empty()) {
    gpu.authorityMask = 0;
    for (const auto& a : filter.authorities) gpu.authorityMask |= 1u << authorityBit(a);
  }
  if (filter.minConfidence) gpu.minConfidence = static_cast<float>(*filter.minConfidence);
  if (filter.borderKm) gpu.maxBorderKm = static_cast<float>(*filter.borderKm);
  return gpu;
}

std::vector<LabelCandidate> labelCandidates(const SceneGeometry& scene, const Style& style,
                                            LabelScript script, double zoom,
                                            const GpuFilter& filter) {
  std::vector<LabelCandidate> out;
  for (const auto& place : scene.places) {
    const auto it = style.labels.find(place.category);
    if (it == style.labels.end() || zoom < it->second.minZoom) continue;
    const std::string* text = &place.nameEn;
    if (script == LabelScript::Chinese && !place.nameZh.empty()) text = &place.nameZh;
    if (script == LabelScript::Korean && !place.nameKo.empty()) text = &place.nameKo;
    const auto m = geo::lonLatToMercator(place.lon, place.lat);
    LabelCandidate c;
    c.text = *text;
    c.x = m.x;
    c.y = m.y;
    c.sizePx = it->second.size;
    c.priority = it->second.priority;
    c.rank = place.rank;
    c.color = it->second.color;
    c.halo = it->second.halo;
    c.clearancePx = 6;
    out.push_back(std::move(c));
  }
  const auto entityStyle = style.labels.find("entity");
  if (entityStyle != style.labels.end() && zoom >= entityStyle->second.minZoom) {
    for (const auto& p : scene.points) {
      if ((p.category & category::kIncident) || !filter.passes(p)) continue;
      const store::FeatureRow& row = scene.features[p.pickId - 1];
      LabelCandidate c;
      c.text = row.name;
      const double mpp = 2 * std::numbers::pi * geo::kEarthRadiusM / (256.0 * std::exp2(zoom));
      c.x = drawnX(p, mpp * symbolScale(zoom)) + scene.originX;
      c.y = drawnY(p, mpp * symbolScale(zoom)) + scene.originY;
      c.sizePx = entityStyle->second.size;
      c.priority = entityStyle->second.priority;
      c.rank = -static_cast<double>(row.id);
      c.color = entityStyle->second.color;
      c.halo = entityStyle->second.halo;
      c.clearancePx = p.size / 2 + 3;
      out.push_back(std::move(c));
    }
  }
  return out;
}

} // namespace borderlens::render
