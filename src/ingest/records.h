#pragma once

#include "core/model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What every list or incident parser produces: records as the file states them, before
// geocoding, merging with what the database holds, and round assignment (all done by the import
// op). Parsers never touch the store, so they can be tested, fuzzed and dry-run on their own.
namespace borderlens::ingest {

// Where a record came from, for the import report and error messages: "sdn.csv:412" or
// "un.xml: record KPe.029".
struct RecordRef {
  std::string file;
  std::uint64_t line = 0;  // 1-based; 0 when the format has no meaningful line
  std::string id;          // the record's own id in the file, when it has one
  std::string toString() const;
};

struct Rejected {
  RecordRef where;
  std::string reason;
};

// An address as the list writes it. The geocoder places it (gazetteer of geodata/base.gpkg)
// unless the file itself gives coordinates.
struct AddressRecord {
  std::string text;        // the whole address line(s) as written
  std::string street;
  std::string city;
  std::string province;
  std::string postalCode;
  std::string country;     // as written ("China", "Korea, North") or ISO code
  std::optional<double> lon;
  std::optional<double> lat;
  std::optional<core::Precision> precision;  // only when the file states it
};

struct DesignationRecord {
  std::string authority;   // normalised: "UN", "OFAC", "EU", "UK", ...
  std::vector<std::string> programs;
  std::string reference;   // the list's reference for this listing (UN ref, ent_num)
  std::optional<core::Date> listed;
  std::optional<core::Date> delisted;
  std::string roundLabel;  // when the file names the round (e.g. a resolution)
  std::string legalBasis;
  std::vector<core::Source> sources;  // beyond the list file itself
};

// A reference to an entity in this file or already in the database.
struct EntityRef {
  std::string scheme;      // core::scheme::* or "name"
  std::string value;
};

struct EntityLinkRecord {
  EntityRef target;
  std::string relation;    // "linked to", "owner", "operator", ...
};

struct EntityRecord {
  RecordRef where;
  std::string key;         // unique within the file: UN ref, OFAC ent_num, FtM id
  core::EntityKind kind = core::EntityKind::Organization;
  std::vector<core::Name> names;          // names[0] is the primary name
  std::vector<core::Identifier> identifiers;
  std::vector<AddressRecord> addresses;
  std::vector<DesignationRecord> designations;
  std::vector<EntityLinkRecord> links;
  std::vector<std::string> nationalities;  // as written
  std::vector<std::string> birthDates;     // as written
  std::string notes;
  std::vector<core::Source> sources;       // beyond the list file itself
  // When the list itself says it first/last carried the entry (OpenSanctions first_seen,
  // last_seen): the fallback round of an entry no rounds table or list date assigns.
  std::optional<core::Date> firstSeen;
  std::optional<core::Date> lastSeen;
};

struct IncidentLinkRecord {
  std::string role;
  EntityRef target;
};

struct IncidentRecord {
  RecordRef where;
  core::Incident incident;  // ids and sourceIds unset
  std::vector<IncidentLinkRecord> links;
  std::vector<core::Source> sources;
};

// A round stated by a file (rounds CSV); `references` are the entry keys or list references
// assigned to it.
struct RoundRecord {
  RecordRef where;
  core::Round round;
  std::vector<std::string> references;
  std::vector<core::Source> sources;
};

struct ParseResult {
  std::string format;             // "un-xml", "ofac-csv", "ftm", "incidents", ...
  core::Source listSource;        // the file itself: name, sha256, publisher, title, list date
  std::optional<core::Date> listDate;  // the list's own publish date, when it states one
  std::vector<EntityRecord> entities;
  std::vector<IncidentRecord> incidents;
  std::vector<RoundRecord> rounds;
  std::vector<Rejected> rejected;
  // What the report must say although no record was rejected: unknown columns ignored, records
  // of a kind borderlens does not import (skipped, with counts), incidents whose only source is
  // the file itself, references to records missing from the file.
  std::vector<std::string> warnings;
  std::uint64_t recordsRead = 0;
};

} // namespace borderlens::ingest
