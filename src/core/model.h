#pragma once

#include "core/date.h"
#include "core/utf8.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The domain model shared by every module (DESIGN.md, "Words"). Records refer to each other by
// database ids (std::int64_t, 0 = not stored yet) and to sources by source id.
namespace borderlens::core {

using RecordId = std::int64_t;

enum class EntityKind { Organization, Person, Vessel, Aircraft };
const char* nameOf(EntityKind kind);
std::optional<EntityKind> entityKindFromString(std::string_view text);
const std::vector<EntityKind>& allEntityKinds();

// How precisely a geometry locates its record. City-level points must be drawn as such.
enum class Precision { Exact, Street, City, Province, Country, Region };
const char* nameOf(Precision precision);
std::optional<Precision> precisionFromString(std::string_view text);

// Incident kinds analysts filter by; the importer rejects anything else.
const std::vector<std::string>& incidentKinds();
bool isIncidentKind(std::string_view text);

struct Source {
  RecordId id = 0;
  std::string publisher;
  std::string title;
  std::string published;  // the source's own date, as the source writes it (YYYY[-MM[-DD]])
  std::string url;
  std::string file;       // the imported file's name, for list files
  std::string sha256;     // of that file
};

struct Name {
  std::string text;
  Script script = Script::Latin;
  std::string language;  // BCP 47 where known ("zh", "ko", "en"), empty otherwise
  bool primary = false;
  std::string quality;   // the list's own alias quality ("Good", "Low", "a.k.a.")
};

// Identifier schemes used across the project; lists may bring others (passport numbers).
namespace scheme {
inline constexpr const char* kUnReference = "un";
inline constexpr const char* kOfacEntNum = "ofac";
inline constexpr const char* kImo = "imo";
inline constexpr const char* kFtm = "ftm";
} // namespace scheme

struct Identifier {
  std::string scheme;
  std::string value;
};

// Geometry travels as WKT in EPSG:4326, lon/lat order: both backends parse it natively.
struct Location {
  RecordId id = 0;
  std::string wkt;
  Precision precision = Precision::City;
  std::string address;
  std::string country;  // ISO 3166-1 alpha-2, lower case, where known
};

struct Entity {
  RecordId id = 0;
  EntityKind kind = EntityKind::Organization;
  std::vector<Name> names;
  std::vector<Identifier> identifiers;
  std::vector<Location> locations;
  std::vector<RecordId> sourceIds;
  std::string notes;
  std::optional<Date> firstSeen;
  std::optional<Date> lastSeen;

  // The primary name, or the first name when none is marked primary.
  const std::string& primaryName() const;
};

// A dated tranche of designations by one authority; the id is stable across databases
// ("UN-2017-12-22", "OFAC-2018-01-24") so filters and exports can name it.
struct Round {
  std::string id;
  std::string authority;
  Date date;
  std::string label;
  std::string legalBasis;
  std::vector<RecordId> sourceIds;

  static std::string makeId(std::string_view authority, const Date& date);
};

struct Designation {
  RecordId id = 0;
  RecordId entityId = 0;
  std::string authority;
  std::vector<std::string> programs;
  std::string reference;
  std::optional<Date> listed;
  std::optional<Date> delisted;
  std::string roundId;
  std::vector<RecordId> sourceIds;
};

struct Incident {
  RecordId id = 0;
  std::string externalId;
  std::string kind;
  std::string title;
  TimeSpan span;
  std::string wkt;
  Precision precision = Precision::Exact;
  std::string place;
  std::string description;
  double confidence = 0.5;
  std::vector<RecordId> sourceIds;
};

struct IncidentLink {
  RecordId incidentId = 0;
  RecordId entityId = 0;
  std::string role;
};

struct EntityLink {
  RecordId fromId = 0;
  RecordId toId = 0;
  std::string relation;
  std::vector<RecordId> sourceIds;
};

struct ImportBatch {
  RecordId id = 0;
  std::string file;
  std::string sha256;
  std::string format;
  std::string startedAt;
  std::string finishedAt;
  std::string reportJson;
};

} // namespace borderlens::core
