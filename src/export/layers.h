#pragma once

#include "core/model.h"
#include "core/progress.h"
#include "store/store.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

// The export's data model, independent of any file format: layers with typed fields and records
// streamed from the store in a stable order. Writers (GDAL formats, KML, vector tiles) only map
// this model to their format.
namespace borderlens::exports {

// What the analyst asks for with --layers.
enum class LayerKind { Entities, Designations, Incidents, Links, Base };
const char* nameOf(LayerKind kind);
// Parses a comma-separated list ("entities,incidents"); throws core::UsageError naming an unknown
// or disallowed layer. The result keeps the canonical order and has no duplicates.
std::vector<LayerKind> parseLayerList(const std::string& list, const std::vector<LayerKind>& allowed);

enum class FieldType { Text, Integer, Real, Date };

struct Field {
  std::string name;
  FieldType type = FieldType::Text;
  std::string shortName;  // the Shapefile (dBASE) field name: at most 10 characters
};

enum class GeometryFamily { None, Point, Line, Polygon };
const char* nameOf(GeometryFamily family);
// The family of a WKT or ISO WKB geometry; None for no geometry.
GeometryFamily familyOfWkt(const std::string& wkt);

// Days since 1970-01-01, written as an ISO date.
struct Day {
  std::int32_t days = 0;
  bool operator==(const Day&) const = default;
};
std::string isoDate(Day day);

using Value = std::variant<std::monostate, std::string, std::int64_t, double, Day>;

// A Value as text: empty for null, numbers in their shortest exact form, days as ISO dates.
std::string valueText(const Value& value);

// Visits a Value with one lambda per alternative.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

struct Record {
  std::vector<Value> values;  // one per field of the layer, in field order; monostate = null
  std::string wkt;            // EPSG:4326, lon/lat; empty: no geometry
  std::string wkb;            // ISO WKB instead of WKT (base layers, read through GDAL)
  GeometryFamily family = GeometryFamily::None;
  std::string label;          // a KML placemark's name
  std::string styleKey;       // what colours it: an authority, an incident kind
  bool approximate = false;   // located at city precision or coarser: drawn as a ring
  std::vector<std::string> folders;  // KML folders below the layer's folder
};

using RecordSink = std::function<void(const Record&)>;
// Progress within one layer, 0..1; returns false to cancel.
using LayerProgress = std::function<bool(double)>;

struct LayerDef {
  std::string name;         // "entities", "base_rivers": the layer, table or file name
  std::string title;        // a human title ("Sanctioned entities")
  std::vector<Field> fields;
  GeometryFamily geometry = GeometryFamily::Point;  // the usual family; None: attributes only
  bool timed = false;       // has time_begin/time_end fields (KML time elements)
  int fieldIndex(const std::string& field) const;
};

// One layer of an export: its definition and a producer that streams its records. A producer
// may run more than once (a writer that must know the geometry families first) and streams the
// same records each time.
struct OutputLayer {
  LayerDef def;
  std::function<void(const RecordSink&, const LayerProgress&)> produce;
};

// Sources cited by exported records, and their one-line citations.
class SourceBook {
 public:
  explicit SourceBook(store::Store& store) : m_store(store) {}

  // "publisher: title (date) url" for each source, joined by " | ", and the ids joined by ",".
  std::string citation(const std::vector<core::RecordId>& ids);
  std::string idList(const std::vector<core::RecordId>& ids) const;
  // Every source cited so far, by id.
  std::vector<core::Source> cited() const;

 private:
  const core::Source& lookup(core::RecordId id);

  store::Store& m_store;
  std::map<core::RecordId, core::Source> m_sources;
  std::set<core::RecordId> m_cited;
};

// The record layers (entities, designations, incidents, links) of what `filter` selects.
// Entities and incidents come in the store's order; designations and links follow their
// entities. `kinds` other than those four are ignored here.
std::vector<OutputLayer> recordLayers(store::Store& store, const store::FilterSpec& filter,
                                      const std::vector<LayerKind>& kinds, SourceBook& sources);

// Entity authorities in the order their colour wins when an entity has several (the map's order).
const std::vector<std::string>& authorityPrecedence();

} // namespace borderlens::exports
