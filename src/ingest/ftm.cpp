#include "ingest/ftm.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/csv.h"
#include "ingest/file_source.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

namespace borderlens::ingest {

namespace {

using json = nlohmann::json;

// A record that cannot be imported; caught per line and turned into a Rejected entry.
struct RecordError {
  std::string reason;
};

constexpr std::uint64_t kProgressEvery = 512;

// Reads the next line of `in` into `line`, without its '\n', keeping at most kMaxRecordBytes of
// it (the rest is read and dropped, so one endless line cannot exhaust memory). Returns the
// line's full length, or nothing at the end of the file.
std::optional<std::uint64_t> nextLine(std::istream& in, std::string& line) {
  line.clear();
  std::array<char, 1 << 16> chunk{};
  std::uint64_t length = 0;
  bool any = false;
  for (;;) {
    in.getline(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    any = any || got > 0;
    // Only a found '\n' leaves both bits clear; it is counted in gcount() but not stored.
    const bool ended = !in.fail() && !in.eof();
    const std::size_t stored = ended ? got - 1 : got;
    length += stored;
    if (line.size() < kMaxRecordBytes) {
      line.append(chunk.data(), std::min(stored, kMaxRecordBytes - line.size()));
    }
    if (ended) return length;
    if (in.eof()) return any ? std::optional<std::uint64_t>(length) : std::nullopt;
    in.clear();  // the chunk filled up before the line ended
  }
}

auto keyOf(const std::string& value) { return std::tie(value); }
auto keyOf(const core::Identifier& value) { return std::tie(value.scheme, value.value); }
auto keyOf(const core::Source& value) {
  return std::tie(value.publisher, value.title, value.published, value.url, value.file);
}

template <typename T>
void addUnique(std::vector<T>& values, const T& value) {
  const auto key = keyOf(value);
  const bool seen = std::any_of(values.begin(), values.end(),
                                [&](const T& other) { return keyOf(other) == key; });
  if (!seen) values.push_back(value);
}

core::Source sourceOf(const std::string& publisher, const std::string& url) {
  core::Source source;
  source.publisher = publisher;
  source.url = url;
  return source;
}

// FtM and OpenSanctions write dates as YYYY[-MM[-DD]], sometimes with a time after a 'T'.
std::optional<core::Date> ftmDate(std::string_view text) {
  text = trim(text);
  const auto cut = text.find_first_of("T ");
  if (cut != std::string_view::npos) text = text.substr(0, cut);
  return core::Date::parse(text);
}

std::string normaliseImo(std::string_view text) {
  std::string digits;
  std::string_view rest = trim(text);
  if (rest.size() >= 3 && toLower(rest.substr(0, 3)) == "imo") rest.remove_prefix(3);
  for (char c : rest) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != ':' && c != '.') {
      return std::string(trim(text));
    }
  }
  return digits.size() == 7 ? digits : std::string(trim(text));
}

std::optional<core::EntityKind> entityKindOfSchema(std::string_view schema) {
  if (schema == "Person") return core::EntityKind::Person;
  if (schema == "Organization" || schema == "Company" || schema == "LegalEntity" ||
      schema == "PublicBody") {
    return core::EntityKind::Organization;
  }
  if (schema == "Vessel") return core::EntityKind::Vessel;
  if (schema == "Airplane") return core::EntityKind::Aircraft;
  return std::nullopt;
}

// FtM properties of type identifier other than imoNumber; each keeps its name as the scheme.
constexpr std::array kIdentifierProperties{
    "registrationNumber", "idNumber",  "passportNumber", "taxNumber", "swiftBic",
    "leiCode",            "innCode",   "ogrnCode",       "vatCode",   "dunsCode",
    "mmsi",               "callSign",  "serialNumber",   "icaoCode",  "uniqueEntityId"};

constexpr std::array kCountryProperties{"country", "nationality", "citizenship", "jurisdiction",
                                        "flag"};

// Link schemas: the property naming each end, and the relation as seen from each end.
struct LinkSchema {
  const char* schema;
  const char* fromProperty;
  const char* toProperty;
  const char* forward;
  const char* inverse;
};

constexpr std::array<LinkSchema, 9> kLinkSchemas{{
    {"Ownership", "owner", "asset", "owner of", "owned by"},
    {"Directorship", "director", "organization", "director of", "directed by"},
    {"Employment", "employee", "employer", "employee of", "employer of"},
    {"Membership", "member", "organization", "member of", "has member"},
    {"Family", "person", "relative", "relative", "relative"},
    {"Associate", "person", "associate", "associate", "associate"},
    {"Representation", "agent", "client", "agent of", "represented by"},
    {"UnknownLink", "subject", "object", "linked to", "linked to"},
    {"Succession", "predecessor", "successor", "predecessor of", "successor of"},
}};

const LinkSchema* linkSchema(std::string_view schema) {
  for (const auto& link : kLinkSchemas) {
    if (schema == link.schema) return &link;
  }
  return nullptr;
}

// The values of one FtM property: a list of strings, trimmed, empty ones dropped.
std::vector<std::string> values(const json& properties, const std::string& key) {
  const auto it = properties.find(key);
  if (it == properties.end() || it->is_null()) return {};
  if (!it->is_array()) throw RecordError{"property '" + key + "' is not a list"};
  std::vector<std::string> out;
  for (const auto& value : *it) {
    if (!value.is_string()) {
      throw RecordError{"property '" + key + "' holds a value that is not a string"};
    }
    const std::string_view text = trim(value.get_ref<const std::string&>());
    if (!text.empty()) out.emplace_back(text);
  }
  return out;
}

std::string firstValue(const json& properties, const std::string& key) {
  const auto all = values(properties, key);
  return all.empty() ? std::string() : all.front();
}

std::optional<core::Date> dateProperty(const json& properties, const std::string& key) {
  std::optional<core::Date> earliest;
  for (const auto& text : values(properties, key)) {
    const auto date = ftmDate(text);
    if (!date) throw RecordError{key + " '" + text + "' is not a date"};
    if (!earliest || *date < *earliest) earliest = date;
  }
  return earliest;
}

double coordinate(const std::string& text, const char* name, double limit) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) throw RecordError{std::string(name) + " '" + text +
                                                         "' is not a number"};
  if (!std::isfinite(value)) {
    throw RecordError{std::string(name) + " '" + text + "' is not a finite number"};
  }
  if (value < -limit || value > limit) {
    const std::string range = limit == 90 ? "[-90, 90]" : "[-180, 180]";
    throw RecordError{std::string(name) + " '" + text + "' is out of range " + range};
  }
  return value;
}

// sourceUrl and publisher are sets in FollowTheMoney: with one publisher it is every URL's
// publisher; with as many publishers as URLs they are paired in order, the convention of files
// that list each URL with its publisher (geodata/demo/ does); otherwise which URL is whose
// cannot be told, so each is a source of its own.
std::vector<core::Source> sourcesOf(const json& properties) {
  const auto urls = values(properties, "sourceUrl");
  const auto publishers = values(properties, "publisher");
  std::vector<core::Source> sources;
  if (publishers.size() > 1 && publishers.size() == urls.size()) {
    for (std::size_t i = 0; i < urls.size(); ++i) addUnique(sources, sourceOf(publishers[i], urls[i]));
    return sources;
  }
  if (publishers.size() == 1) {
    for (const auto& url : urls) addUnique(sources, sourceOf(publishers[0], url));
    if (urls.empty()) sources.push_back(sourceOf(publishers[0], ""));
    return sources;
  }
  for (const auto& url : urls) addUnique(sources, sourceOf("", url));
  for (const auto& publisher : publishers) addUnique(sources, sourceOf(publisher, ""));
  return sources;
}

void addName(EntityRecord& entity, const std::string& text, const std::string& quality,
             bool primary) {
  const bool seen = std::any_of(entity.names.begin(), entity.names.end(),
                                [&](const core::Name& name) { return name.text == text; });
  if (seen) return;
  core::Name name;
  name.text = text;
  name.script = core::detectScript(text);
  // As the list parsers guess it (list_text.h): Hangul is Korean, Han taken as Chinese, which
  // it is along this border; a Latin romanisation is no English.
  if (name.script == core::Script::Hangul) name.language = "ko";
  if (name.script == core::Script::Han) name.language = "zh";
  name.primary = primary;
  name.quality = quality;
  entity.names.push_back(std::move(name));
}

struct PendingEntity {
  EntityRecord record;
  std::vector<std::string> addressIds;
  std::vector<std::string> addressTexts;
};

struct PendingAddress {
  AddressRecord address;
  std::vector<core::Source> sources;
};

struct PendingSanction {
  RecordRef where;
  std::string entityId;
  DesignationRecord designation;
  std::vector<core::Identifier> identifiers;
};

struct PendingLink {
  RecordRef where;
  const LinkSchema* schema = nullptr;
  std::string from;
  std::string to;
  std::string forward;
  std::string inverse;
};

struct PendingIdentifier {
  RecordRef where;
  std::string holder;
  core::Identifier identifier;
};

// Records read but not imported, grouped by what they are and why, for one warning per group.
class SkippedRecords {
 public:
  void add(const std::string& what, const std::string& why, std::uint64_t line) {
    m_groups[{what, why}].push_back(line);
  }

  void report(const std::string& path, std::vector<std::string>& warnings) const {
    for (const auto& [key, lines] : m_groups) {
      std::string text = path + ": " + std::to_string(lines.size()) + " " + key.first +
                         (lines.size() == 1 ? " record" : " records") + " not imported (" +
                         key.second + "): line" + (lines.size() == 1 ? " " : "s ");
      constexpr std::size_t kListed = 10;
      for (std::size_t i = 0; i < lines.size() && i < kListed; ++i) {
        text += (i ? ", " : "") + std::to_string(lines[i]);
      }
      if (lines.size() > kListed) text += ", …";
      warnings.push_back(std::move(text));
    }
  }

 private:
  std::map<std::pair<std::string, std::string>, std::vector<std::uint64_t>> m_groups;
};

class FtmJsonParser {
 public:
  FtmJsonParser(const std::string& path, const core::Progress& progress)
      : m_path(path), m_progress(progress) {}

  ParseResult run();

 private:
  // `overlong`: the line is longer than kMaxRecordBytes and `line` holds only its start.
  void readLine(const std::string& line, std::uint64_t lineNumber, bool first, bool overlong);
  void readRecord(const json& record, const RecordRef& where, const std::string& schema);
  void readEntity(const json& record, const json& properties, const RecordRef& where,
                  core::EntityKind kind);
  void readAddress(const json& properties, const RecordRef& where);
  void readSanction(const json& properties, const RecordRef& where);
  void resolve();
  void reject(const RecordRef& where, std::string reason) {
    m_result.rejected.push_back(Rejected{where, std::move(reason)});
  }

  std::string m_path;
  const core::Progress& m_progress;
  ParseResult m_result;
  std::map<std::string, std::uint64_t> m_lineOfId;
  std::set<std::string> m_rejectedIds;
  std::vector<PendingEntity> m_entities;
  std::map<std::string, PendingAddress> m_addresses;
  std::vector<PendingSanction> m_sanctions;
  std::vector<PendingLink> m_links;
  std::vector<PendingIdentifier> m_identifiers;
  std::set<std::string> m_unknownAuthorities;
  SkippedRecords m_skipped;
};

ParseResult FtmJsonParser::run() {
  std::error_code error;
  if (std::filesystem::is_directory(m_path, error)) {
    throw core::InputRejected(m_path + ": is a directory, not a FollowTheMoney file");
  }
  std::ifstream in(m_path, std::ios::binary);
  if (!in) throw core::InputRejected(m_path + ": cannot open");
  const auto size = std::filesystem::file_size(m_path, error);
  const std::uint64_t total = error ? 0 : size;

  m_result.format = "ftm";
  m_result.listSource.file = fileName(m_path);
  m_result.listSource.title = fileName(m_path);

  std::string line;
  std::uint64_t lineNumber = 0;
  std::uint64_t bytes = 0;
  bool first = true;
  while (const auto length = nextLine(in, line)) {
    ++lineNumber;
    bytes += *length + 1;
    const bool overlong = *length > kMaxRecordBytes;
    if (!overlong && !line.empty() && line.back() == '\r') line.pop_back();
    if (!overlong && trim(line).empty()) continue;
    readLine(line, lineNumber, first, overlong);
    first = false;
    if (lineNumber % kProgressEvery == 0) reportReadProgress(m_progress, bytes, total, m_path);
  }
  if (first) throw core::InputRejected(m_path + ": the file is empty");

  resolve();
  reportReadProgress(m_progress, total, total, m_path);
  return std::move(m_result);
}

void FtmJsonParser::readLine(const std::string& line, std::uint64_t lineNumber, bool first,
                             bool overlong) {
  RecordRef where{m_path, lineNumber, ""};
  ++m_result.recordsRead;
  // Only the first record decides whether this is FtM at all: a bad first line means another
  // format, a bad later line one bad record.
  auto fail = [&](const std::string& reason) {
    if (first) {
      throw core::InputRejected(m_path + ": not FollowTheMoney JSON lines (line " +
                                std::to_string(lineNumber) + ": " + reason + ")");
    }
    reject(where, reason);
  };

  if (overlong) {
    return fail("the line is longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB");
  }
  const auto invalid = core::firstInvalidUtf8(line);
  if (invalid != std::string::npos) {
    return fail("invalid UTF-8 (at byte " + std::to_string(invalid + 1) + ")");
  }
  json record;
  try {
    record = json::parse(line);
  } catch (const json::parse_error& e) {
    return fail("invalid JSON (at byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range&) {
    // nlohmann reports a number beyond double's range ("1e400") as out_of_range, not parse_error.
    return fail("invalid JSON (a number out of range)");
  }
  if (!record.is_object()) return fail("not a JSON object");
  const auto id = record.find("id");
  if (id == record.end() || !id->is_string() || trim(id->get_ref<const std::string&>()).empty()) {
    return fail("record has no id");
  }
  const auto schema = record.find("schema");
  if (schema == record.end() || !schema->is_string()) return fail("record has no schema");
  where.id = std::string(trim(id->get_ref<const std::string&>()));

  const auto [seen, inserted] = m_lineOfId.emplace(where.id, lineNumber);
  if (!inserted) {
    return reject(where, "duplicate id '" + where.id + "' (first on line " +
                             std::to_string(seen->second) + ")");
  }
  try {
    readRecord(record, where, schema->get<std::string>());
  } catch (const RecordError& e) {
    m_rejectedIds.insert(where.id);
    reject(where, e.reason);
  }
}

void FtmJsonParser::readRecord(const json& record, const RecordRef& where,
                               const std::string& schema) {
  static const json kNoProperties = json::object();
  const auto found = record.find("properties");
  if (found != record.end() && !found->is_null() && !found->is_object()) {
    throw RecordError{"properties is not an object"};
  }
  const json& properties = found == record.end() || found->is_null() ? kNoProperties : *found;

  if (const auto kind = entityKindOfSchema(schema)) {
    return readEntity(record, properties, where, *kind);
  }
  if (schema == "Address") return readAddress(properties, where);
  if (schema == "Sanction") return readSanction(properties, where);
  if (const LinkSchema* link = linkSchema(schema)) {
    PendingLink pending{where, link, firstValue(properties, link->fromProperty),
                        firstValue(properties, link->toProperty), link->forward, link->inverse};
    if (pending.from.empty() || pending.to.empty()) {
      return m_skipped.add(schema, "without two entity ids", where.line);
    }
    if (const auto relationship = firstValue(properties, "relationship"); !relationship.empty()) {
      pending.forward = pending.inverse = pending.forward + " (" + relationship + ")";
    }
    m_links.push_back(std::move(pending));
    return;
  }
  if (schema == "Identification" || schema == "Passport") {
    PendingIdentifier pending{where, firstValue(properties, "holder"),
                              {schema == "Passport" ? "passport" : "identification",
                               firstValue(properties, "number")}};
    if (pending.holder.empty() || pending.identifier.value.empty()) {
      return m_skipped.add(schema, "without holder and number", where.line);
    }
    m_identifiers.push_back(std::move(pending));
    return;
  }
  m_skipped.add(schema, "schema not imported", where.line);
}

void FtmJsonParser::readEntity(const json& record, const json& properties,
                               const RecordRef& where, core::EntityKind kind) {
  PendingEntity pending;
  EntityRecord& entity = pending.record;
  entity.where = where;
  entity.key = where.id;
  entity.kind = kind;

  const auto names = values(properties, "name");
  if (names.empty()) throw RecordError{"no name"};
  std::string primary = names.front();
  const auto caption = record.find("caption");
  if (caption != record.end() && caption->is_string()) {
    const auto& text = caption->get_ref<const std::string&>();
    if (std::find(names.begin(), names.end(), text) != names.end()) primary = text;
  }
  addName(entity, primary, "", true);
  for (const auto& name : names) addName(entity, name, "", false);
  for (const auto& name : values(properties, "alias")) addName(entity, name, "alias", false);
  for (const auto& name : values(properties, "weakAlias")) addName(entity, name, "weak", false);
  for (const auto& name : values(properties, "previousName")) {
    addName(entity, name, "previous", false);
  }

  entity.identifiers.push_back({core::scheme::kFtm, where.id});
  for (const auto& imo : values(properties, "imoNumber")) {
    addUnique(entity.identifiers, core::Identifier{core::scheme::kImo, normaliseImo(imo)});
  }
  for (const char* property : kIdentifierProperties) {
    for (const auto& value : values(properties, property)) {
      addUnique(entity.identifiers, core::Identifier{property, value});
    }
  }
  for (const char* property : kCountryProperties) {
    for (const auto& value : values(properties, property)) addUnique(entity.nationalities, value);
  }
  entity.birthDates = values(properties, "birthDate");
  for (const auto& note : values(properties, "notes")) {
    entity.notes += (entity.notes.empty() ? "" : "\n") + note;
  }
  entity.sources = sourcesOf(properties);

  for (const char* key : {"first_seen", "last_seen"}) {
    const auto it = record.find(key);
    if (it == record.end() || !it->is_string()) continue;
    const auto date = ftmDate(it->get_ref<const std::string&>());
    if (!date) {
      throw RecordError{std::string(key) + " '" + it->get<std::string>() + "' is not a date"};
    }
    (std::string_view(key) == "first_seen" ? entity.firstSeen : entity.lastSeen) = date;
  }

  pending.addressIds = values(properties, "addressEntity");
  pending.addressTexts = values(properties, "address");
  m_entities.push_back(std::move(pending));
}

void FtmJsonParser::readAddress(const json& properties, const RecordRef& where) {
  PendingAddress pending;
  AddressRecord& address = pending.address;
  address.street = firstValue(properties, "street");
  if (const auto street2 = firstValue(properties, "street2"); !street2.empty()) {
    address.street += (address.street.empty() ? "" : ", ") + street2;
  }
  address.city = firstValue(properties, "city");
  address.province = firstValue(properties, "region");
  if (address.province.empty()) address.province = firstValue(properties, "state");
  address.postalCode = firstValue(properties, "postalCode");
  address.country = firstValue(properties, "country");
  address.text = firstValue(properties, "full");
  if (address.text.empty()) {
    for (const auto* part : {&address.street, &address.city, &address.province,
                             &address.postalCode, &address.country}) {
      if (!part->empty()) address.text += (address.text.empty() ? "" : ", ") + *part;
    }
  }
  if (address.text.empty()) throw RecordError{"address has no text"};

  const auto latitude = firstValue(properties, "latitude");
  const auto longitude = firstValue(properties, "longitude");
  if (latitude.empty() != longitude.empty()) {
    throw RecordError{latitude.empty() ? "longitude without latitude"
                                       : "latitude without longitude"};
  }
  if (!latitude.empty()) {
    address.lat = coordinate(latitude, "latitude", 90);
    address.lon = coordinate(longitude, "longitude", 180);
    // Coordinates of an address that names no street are those of the place it does name.
    const auto startsWith = [&](const std::string& part) {
      return !part.empty() && address.text.compare(0, part.size(), part) == 0;
    };
    if (address.street.empty() && address.postalCode.empty()) {
      if (startsWith(address.city)) {
        address.precision = core::Precision::City;
      } else if (address.city.empty() && startsWith(address.province)) {
        address.precision = core::Precision::Province;
      } else if (address.city.empty() && address.province.empty() && !address.country.empty()) {
        address.precision = core::Precision::Country;
      }
    }
  }
  pending.sources = sourcesOf(properties);
  m_addresses.emplace(where.id, std::move(pending));
}

void FtmJsonParser::readSanction(const json& properties, const RecordRef& where) {
  PendingSanction pending;
  pending.where = where;
  pending.entityId = firstValue(properties, "entity");
  if (pending.entityId.empty()) throw RecordError{"Sanction has no entity"};
  const auto authority = firstValue(properties, "authority");
  if (authority.empty()) throw RecordError{"Sanction has no authority"};

  DesignationRecord& designation = pending.designation;
  if (const auto code = normaliseAuthority(authority)) {
    designation.authority = *code;
  } else {
    designation.authority = authority;
    m_unknownAuthorities.insert(authority);
  }
  designation.programs = values(properties, "program");
  if (designation.programs.empty()) designation.programs = values(properties, "programId");
  designation.reference = firstValue(properties, "authorityId");
  designation.listed = dateProperty(properties, "listingDate");
  if (!designation.listed) designation.listed = dateProperty(properties, "startDate");
  designation.delisted = dateProperty(properties, "endDate");
  designation.sources = sourcesOf(properties);

  if (!designation.reference.empty() && designation.authority == "UN") {
    pending.identifiers.push_back({core::scheme::kUnReference, designation.reference});
  } else if (!designation.reference.empty() && designation.authority == "OFAC") {
    pending.identifiers.push_back({core::scheme::kOfacEntNum, designation.reference});
  }
  for (const auto& unsc : values(properties, "unscId")) {
    addUnique(pending.identifiers, core::Identifier{core::scheme::kUnReference, unsc});
  }
  m_sanctions.push_back(std::move(pending));
}

void FtmJsonParser::resolve() {
  std::map<std::string, std::size_t> indexOf;
  for (std::size_t i = 0; i < m_entities.size(); ++i) indexOf[m_entities[i].record.key] = i;
  auto missing = [&](const std::string& id) {
    return "'" + id + (m_rejectedIds.count(id) ? "' was rejected" : "' is not in this file");
  };

  for (auto& pending : m_entities) {
    EntityRecord& entity = pending.record;
    for (const auto& id : pending.addressIds) {
      const auto it = m_addresses.find(id);
      if (it == m_addresses.end()) {
        m_result.warnings.push_back(entity.where.toString() + ": addressEntity " + missing(id));
        continue;
      }
      entity.addresses.push_back(it->second.address);
      for (const auto& source : it->second.sources) addUnique(entity.sources, source);
    }
    if (pending.addressIds.empty()) {
      for (const auto& text : pending.addressTexts) {
        AddressRecord address;
        address.text = text;
        entity.addresses.push_back(std::move(address));
      }
    }
  }

  for (auto& sanction : m_sanctions) {
    const auto it = indexOf.find(sanction.entityId);
    if (it == indexOf.end()) {
      reject(sanction.where, "entity " + missing(sanction.entityId));
      continue;
    }
    EntityRecord& entity = m_entities[it->second].record;
    entity.designations.push_back(std::move(sanction.designation));
    for (const auto& identifier : sanction.identifiers) addUnique(entity.identifiers, identifier);
  }

  for (const auto& link : m_links) {
    const auto from = indexOf.find(link.from);
    const auto to = indexOf.find(link.to);
    if (from != indexOf.end()) {
      m_entities[from->second].record.links.push_back(
          {{core::scheme::kFtm, link.to}, link.forward});
    } else if (to != indexOf.end()) {
      m_entities[to->second].record.links.push_back(
          {{core::scheme::kFtm, link.from}, link.inverse});
    } else {
      m_skipped.add(link.schema->schema, "neither entity in this file", link.where.line);
    }
  }

  for (const auto& identifier : m_identifiers) {
    const auto it = indexOf.find(identifier.holder);
    if (it == indexOf.end()) {
      m_skipped.add(identifier.identifier.scheme == "passport" ? "Passport" : "Identification",
                    "holder not in this file", identifier.where.line);
      continue;
    }
    addUnique(m_entities[it->second].record.identifiers, identifier.identifier);
  }

  for (const auto& authority : m_unknownAuthorities) {
    m_result.warnings.push_back(m_path + ": authority '" + authority +
                                "' is not one borderlens knows; kept as written");
  }
  m_skipped.report(m_path, m_result.warnings);

  for (auto& pending : m_entities) {
    if (pending.record.lastSeen &&
        (!m_result.listDate || *m_result.listDate < *pending.record.lastSeen)) {
      m_result.listDate = pending.record.lastSeen;
    }
    m_result.entities.push_back(std::move(pending.record));
  }
}

// The OpenSanctions summary of one Sanction: "program - reason - status - startDate - endDate",
// empty parts left out.
DesignationRecord designationFromSummary(const std::string& summary, const std::string& authority) {
  DesignationRecord designation;
  designation.authority = authority;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= summary.size()) {
    const auto end = summary.find(" - ", start);
    parts.emplace_back(trim(summary.substr(start, end == std::string::npos ? end : end - start)));
    if (end == std::string::npos) break;
    start = end + 3;
  }
  for (const auto& part : parts) {
    if (part.size() < 4 || !ftmDate(part)) continue;
    (designation.listed ? designation.delisted : designation.listed) = ftmDate(part);
    if (designation.delisted) break;
  }
  if (!parts.empty() && !ftmDate(parts.front())) designation.programs.push_back(parts.front());
  return designation;
}

} // namespace

std::optional<std::string> normaliseAuthority(std::string_view text) {
  std::string words = " ";
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      words += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (words.back() != ' ') {
      words += ' ';
    }
  }
  if (words.back() != ' ') words += ' ';

  struct Rule {
    const char* code;
    std::vector<const char*> patterns;
  };
  static const std::vector<Rule> kRules{
      {"FinCEN", {"fincen", "financial crimes enforcement network"}},
      {"UK",
       {"ofsi", "hm treasury", "hmt", "her majesty s treasury", "his majesty s treasury",
        "united kingdom", "uk"}},
      {"OFAC",
       {"ofac", "office of foreign assets control", "us treasury", "u s treasury",
        "department of the treasury", "treasury department"}},
      {"UN", {"un", "united nations", "security council", "1718 committee"}},
      {"EU", {"eu", "european union"}},
      {"JP", {"japan"}},
      {"AU", {"australia", "australian", "dfat"}},
      {"CA", {"canada", "canadian"}},
      {"CH", {"switzerland", "swiss", "seco"}},
  };
  for (const auto& rule : kRules) {
    for (const char* pattern : rule.patterns) {
      if (words.find(" " + std::string(pattern) + " ") != std::string::npos) return rule.code;
    }
  }
  return std::nullopt;
}

ParseResult parseFtmJson(const std::string& path, const core::Progress& progress) {
  return FtmJsonParser(path, progress).run();
}

ParseResult parseFtmTargetsCsv(const std::string& path, const core::Progress& progress) {
  static const std::vector<std::string> kColumns{
      "id",          "schema",    "name",   "aliases", "birth_date", "countries",
      "addresses",   "identifiers", "sanctions", "phones", "emails", "dataset",
      "first_seen",  "last_seen", "last_change"};

  CsvReader reader(path);
  const CsvHeader header = readCsvHeader(reader, path);
  for (const char* required : {"id", "schema", "name"}) {
    if (!header.has(required)) {
      throw core::InputRejected(path + ": missing required column '" + required + "'");
    }
  }

  ParseResult result;
  result.format = "ftm-csv";
  result.listSource.publisher = "OpenSanctions";
  result.listSource.file = fileName(path);
  if (const auto unknown = header.unknownColumns(kColumns); !unknown.empty()) {
    std::string text = path + ": unknown columns ignored:";
    for (const auto& name : unknown) text += " " + name;
    result.warnings.push_back(std::move(text));
  }

  std::map<std::string, std::uint64_t> lineOfId;
  std::set<std::string> datasetTitles;
  SkippedRecords skipped;
  CsvRecord record;
  while (reader.next(record)) {
    ++result.recordsRead;
    if (result.recordsRead % kProgressEvery == 0) {
      reportReadProgress(progress, reader.bytesRead(), reader.fileSize(), path);
    }
    RecordRef where{path, record.line, ""};
    auto reject = [&](std::string reason) {
      result.rejected.push_back(Rejected{where, std::move(reason)});
    };
    if (auto problem = header.rowProblem(record); !problem.empty()) {
      reject(std::move(problem));
      continue;
    }
    where.id = std::string(trim(header.value(record, "id")));
    if (where.id.empty()) {
      reject("id is empty");
      continue;
    }
    const auto [seen, inserted] = lineOfId.emplace(where.id, record.line);
    if (!inserted) {
      reject("duplicate id '" + where.id + "' (first on line " + std::to_string(seen->second) +
             ")");
      continue;
    }
    const std::string schema(trim(header.value(record, "schema")));
    const auto kind = entityKindOfSchema(schema);
    if (!kind) {
      skipped.add(schema.empty() ? "schema-less" : schema, "schema not imported", record.line);
      continue;
    }
    const std::string name(trim(header.value(record, "name")));
    if (name.empty()) {
      reject("name is empty");
      continue;
    }

    EntityRecord entity;
    entity.where = where;
    entity.key = where.id;
    entity.kind = *kind;
    addName(entity, name, "", true);
    for (const auto& alias : splitList(header.value(record, "aliases"))) {
      addName(entity, alias, "alias", false);
    }
    entity.identifiers.push_back({core::scheme::kFtm, where.id});
    for (const auto& value : splitList(header.value(record, "identifiers"))) {
      const std::string imo = normaliseImo(value);
      const bool isImo = toLower(value).rfind("imo", 0) == 0 && imo.size() == 7;
      addUnique(entity.identifiers,
                isImo ? core::Identifier{core::scheme::kImo, imo}
                      : core::Identifier{"identifier", value});
    }
    entity.nationalities = splitList(header.value(record, "countries"));
    entity.birthDates = splitList(header.value(record, "birth_date"));
    for (const auto& text : splitList(header.value(record, "addresses"))) {
      AddressRecord address;
      address.text = text;
      entity.addresses.push_back(std::move(address));
    }

    const auto datasets = splitList(header.value(record, "dataset"));
    std::set<std::string> authorities;
    for (const auto& dataset : datasets) {
      datasetTitles.insert(dataset);
      if (const auto code = normaliseAuthority(dataset)) authorities.insert(*code);
    }
    for (const auto& summary : splitList(header.value(record, "sanctions"))) {
      std::optional<std::string> authority;
      if (authorities.size() == 1) authority = *authorities.begin();
      if (!authority) authority = normaliseAuthority(summary);
      if (!authority) {
        result.warnings.push_back(where.toString() + ": sanction '" + summary +
                                  "' not imported: its authority cannot be told from the "
                                  "datasets");
        continue;
      }
      entity.designations.push_back(designationFromSummary(summary, *authority));
    }

    std::string bad;
    for (const char* column : {"first_seen", "last_seen"}) {
      const std::string_view text = trim(header.value(record, column));
      if (text.empty()) continue;
      const auto date = ftmDate(text);
      if (!date) {
        bad = std::string(column) + " '" + std::string(text) + "' is not a date";
        break;
      }
      (std::string_view(column) == "first_seen" ? entity.firstSeen : entity.lastSeen) = date;
    }
    if (!bad.empty()) {
      reject(std::move(bad));
      continue;
    }
    if (entity.lastSeen && (!result.listDate || *result.listDate < *entity.lastSeen)) {
      result.listDate = entity.lastSeen;
    }
    result.entities.push_back(std::move(entity));
  }

  skipped.report(path, result.warnings);
  result.listSource.title =
      datasetTitles.size() == 1 ? *datasetTitles.begin() : fileName(path);
  reportReadProgress(progress, reader.fileSize(), reader.fileSize(), path);
  return result;
}

} // namespace borderlens::ingest
