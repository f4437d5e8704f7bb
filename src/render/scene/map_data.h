#pragma once

#include "store/store.h"

#include <string>
#include <vector>

namespace borderlens::render {

// What the map shows, gathered by the ops layer (base geodata through GDAL, records from the
// store) and handed to the renderer, which never reads files or databases itself.
struct BaseLayerData {
  std::string name;               // full layer name, e.g. "land_f", "borders_i"
  std::vector<std::string> wkb;   // EPSG:4326 lon/lat geometries
};

// A named place from the gazetteer or the curated layers, labelled in three scripts.
struct PlaceData {
  std::string category;           // "town", "port", "crossing" (the style's label classes)
  std::string nameEn;
  std::string nameZh;
  std::string nameKo;
  double lon = 0;
  double lat = 0;
  double rank = 0;                // larger first when labels collide (population, importance)
};

struct MapData {
  std::vector<BaseLayerData> base;
  std::vector<PlaceData> places;
  std::vector<store::FeatureRow> features;
  std::vector<store::RoundRow> rounds;    // every round, in date order
  std::vector<std::string> attribution;   // lines for the map's attribution text
};

} // namespace borderlens::render
