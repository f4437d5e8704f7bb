#include "ops/map_loader.h"

#include "core/errors.h"
#include "ingest/base_geodata.h"
#include "ops/geodata_path.h"
#include "geo/geodesic.h"
#include "geo/tessellate.h"
#include "store/store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace borderlens::ops {

namespace {

double parseDouble(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stod(text);
  } catch (const std::exception&) {
    return 0;
  }
}

// True when a place already labelled lies within `km` of the point: a port on its town's point,
// or a GeoNames place spelt differently from the curated town ("Hamhŭng" / "Hamhung").
bool nearLabelled(const render::MapData& data, double lon, double lat, double km) {
  return std::any_of(data.places.begin(), data.places.end(), [&](const render::PlaceData& p) {
    return geo::geodesicDistanceM(lon, lat, p.lon, p.lat) < km * 1000;
  });
}

void addPlaces(const std::string& gpkg, const std::string& layer, const std::string& category,
               double rank, render::MapData& data) {
  for (const auto& f : ingest::readLayer(gpkg, layer, {"name_en", "name_zh", "name_ko"})) {
    const auto parts = geo::decomposeWkb(f.wkb, false);
    if (parts.points.empty()) continue;
    if (nearLabelled(data, parts.points.front().x, parts.points.front().y, 1.0)) continue;
    data.places.push_back({category, f.attributes[0], f.attributes[1], f.attributes[2],
                           parts.points.front().x, parts.points.front().y, rank});
  }
}

} // namespace

std::vector<std::string> readAttribution(const std::string& sourcesMd) {
  std::ifstream in(sourcesMd);
  std::vector<std::string> lines;
  std::string line;
  const std::string prefix = "Attribution:";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::string text = line.substr(prefix.size());
    text.erase(0, text.find_first_not_of(' '));
    if (text.empty() || text == "none." || text.rfind("as for each", 0) == 0) continue;
    if (std::find(lines.begin(), lines.end(), text) == lines.end()) lines.push_back(text);
  }
  return lines;
}

render::MapData loadMapData(const MapLoadOptions& options, const core::Progress& progress) {
  render::MapData data;
  std::string dir = options.geodataDir;
  if (dir.empty()) {
    const auto found = findGeodataDir();
    if (!found) throw core::InputRejected("no geodata/base.gpkg found (set BORDERLENS_GEODATA)");
    dir = *found;
  }
  const std::string gpkg = (std::filesystem::path(dir) / "base.gpkg").string();
  const auto names = ingest::layerNames(gpkg);
  const auto wanted = [&](const std::string& layer) {
    return std::any_of(options.baseLayers.begin(), options.baseLayers.end(), [&](const std::string& base) {
      return layer == base || (layer.size() == base.size() + 2 && layer.rfind(base + "_", 0) == 0 &&
                               (options.lod.empty() || layer.back() == options.lod.front()));
    });
  };
  std::size_t done = 0;
  for (const auto& name : names) {
    if (!core::reportProgress(progress, 0.6 * static_cast<double>(done++) / static_cast<double>(names.size()),
                              "reading " + name)) {
      throw core::Cancelled();
    }
    if (!wanted(name)) continue;
    render::BaseLayerData layer;
    layer.name = name;
    for (auto& f : ingest::readLayer(gpkg, name)) layer.wkb.push_back(std::move(f.wkb));
    data.base.push_back(std::move(layer));
  }
  if (std::find(names.begin(), names.end(), "towns") != names.end()) addPlaces(gpkg, "towns", "town", 2, data);
  if (std::find(names.begin(), names.end(), "ports") != names.end()) addPlaces(gpkg, "ports", "port", 1, data);
  if (std::find(names.begin(), names.end(), "crossings") != names.end()) addPlaces(gpkg, "crossings", "crossing", 1, data);
  if (std::find(names.begin(), names.end(), "places") != names.end()) {
    for (const auto& f : ingest::readLayer(gpkg, "places", {"name", "population"})) {
      const double population = parseDouble(f.attributes[1]);
      // Larger GeoNames places fill in between the curated towns, in Latin script only.
      if (population < 100000) continue;
      const auto parts = geo::decomposeWkb(f.wkb, false);
      if (parts.points.empty() || nearLabelled(data, parts.points.front().x, parts.points.front().y, 8.0)) continue;
      data.places.push_back({"place", f.attributes[0], "", "", parts.points.front().x,
                             parts.points.front().y, population});
    }
  }
  data.attribution = readAttribution((std::filesystem::path(dir) / "SOURCES.md").string());

  if (!options.database.empty()) {
    core::reportProgress(progress, 0.7, "reading records");
    auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
    db->forEachFeature(options.filter, {}, [&](const store::FeatureRow& row) {
      data.features.push_back(row);
      return true;
    });
    db->forEachRound([&](const store::RoundRow& row) {
      data.rounds.push_back(row);
      return true;
    });
  }
  core::reportProgress(progress, 1.0, "loaded");
  return data;
}

} // namespace borderlens::ops
