#include "ingest/incidents.h"

#include "core/errors.h"
#include "core/key_index.h"
#include "core/utf8.h"
#include "ingest/csv.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

namespace borderlens::ingest {

namespace {

enum Field : std::size_t {
  kId,
  kKind,
  kTitle,
  kStart,
  kEnd,
  kLon,
  kLat,
  kWkt,
  kGeoPrecision,
  kPlace,
  kDescription,
  kConfidence,
  kLinks,
  kSourcePublisher,
  kSourceTitle,
  kSourceDate,
  kSourceUrl,
  kFieldCount
};

constexpr std::array<const char*, kFieldCount> kFieldNames{
    "id",    "kind",        "title",      "start", "end",              "lon",
    "lat",   "wkt",         "geo_precision", "place", "description",   "confidence",
    "links", "source_publisher", "source_title", "source_date", "source_url"};

constexpr std::array kRequiredFields{kId, kKind, kTitle, kStart, kGeoPrecision};
constexpr std::array kSourceFields{kSourcePublisher, kSourceTitle, kSourceDate, kSourceUrl};
constexpr std::array kRequiredSourceFields{kSourcePublisher, kSourceTitle, kSourceUrl};

constexpr std::uint64_t kProgressEvery = 512;

using Values = std::array<std::string, kFieldCount>;

// One row or feature, as our fields, before validation.
struct Row {
  RecordRef where;
  std::string feature;                // an OGR feature's FID ("layer:fid" with several layers)
  Values values;
  std::string layerWkt;               // an OGR feature's own geometry, EPSG:4326 lon/lat
  std::vector<core::Source> sources;  // sources the format gives other than source_* (ACLED)
};

std::optional<double> parseNumber(std::string_view text) {
  text = trim(text);
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string formatNumber(double value) {
  std::array<char, 32> buffer{};
  const auto [ptr, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return ec == std::errc() ? std::string(buffer.data(), ptr) : std::to_string(value);
}

// "" when the coordinate is fine, else why not.
std::string checkCoordinate(const std::string& name, const std::string& text, double limit,
                            double& value) {
  const auto number = parseNumber(text);
  if (!number) return name + " '" + text + "' is not a number";
  if (!std::isfinite(*number)) return name + " '" + text + "' is not a finite number";
  if (*number < -limit || *number > limit) {
    return name + " '" + text + "' is out of range " + (limit == 90 ? "[-90, 90]" : "[-180, 180]");
  }
  value = *number;
  return {};
}

// GDAL reports through CPLError; the parser reports through its result, so GDAL stays quiet.
class QuietGdal {
 public:
  QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

struct GeometryDeleter {
  void operator()(OGRGeometryH geometry) const { OGR_G_DestroyGeometry(geometry); }
};
using GeometryPtr = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDeleter>;

bool allFinite(OGRGeometryH geometry) {
  const int parts = OGR_G_GetGeometryCount(geometry);
  for (int i = 0; i < parts; ++i) {
    if (!allFinite(OGR_G_GetGeometryRef(geometry, i))) return false;
  }
  const int points = OGR_G_GetPointCount(geometry);
  for (int i = 0; i < points; ++i) {
    if (!std::isfinite(OGR_G_GetX(geometry, i)) || !std::isfinite(OGR_G_GetY(geometry, i))) {
      return false;
    }
  }
  return true;
}

// Checks a lon/lat geometry and writes it as 2D WKT; "" in `error` when it is usable. The store
// refuses invalid geometry for the whole import, so it is refused here, for one record only.
std::string checkedWkt(OGRGeometryH geometry, const std::string& what, std::string& error) {
  if (OGR_G_IsEmpty(geometry)) {
    error = what + " is empty";
    return {};
  }
  OGR_G_FlattenTo2D(geometry);
  if (!allFinite(geometry)) {
    error = what + " has coordinates that are not finite numbers";
    return {};
  }
  OGREnvelope envelope;
  OGR_G_GetEnvelope(geometry, &envelope);
  if (envelope.MinX < -180 || envelope.MaxX > 180 || envelope.MinY < -90 || envelope.MaxY > 90) {
    error = what + " is out of range (lon -180..180, lat -90..90)";
    return {};
  }
  if (OGRGetGEOSVersion(nullptr, nullptr, nullptr) && !OGR_G_IsValid(geometry)) {
    error = what + " is not a valid geometry";
    return {};
  }
  char* text = nullptr;
  std::string wkt;
  if (OGR_G_ExportToWkt(geometry, &text) == OGRERR_NONE && text) wkt = text;
  CPLFree(text);
  if (wkt.empty()) error = what + " cannot be written as WKT";
  return wkt;
}

std::string wktFromText(const std::string& text, std::string& error) {
  std::string copy(trim(text));
  char* cursor = copy.data();
  OGRGeometryH raw = nullptr;
  const OGRErr status = OGR_G_CreateFromWkt(&cursor, nullptr, &raw);
  GeometryPtr geometry(raw);
  if (status != OGRERR_NONE || !geometry || !trim(cursor).empty()) {
    error = "wkt '" + text.substr(0, 60) + "' cannot be parsed";
    return {};
  }
  return checkedWkt(geometry.get(), "wkt", error);
}

bool isLinkScheme(std::string_view scheme) {
  return scheme == core::scheme::kUnReference || scheme == core::scheme::kOfacEntNum ||
         scheme == core::scheme::kImo || scheme == core::scheme::kFtm || scheme == "name";
}

// `ROLE=SCHEME:VALUE;…`; "" in `error` when all are well formed.
std::vector<IncidentLinkRecord> parseLinks(const std::string& text, std::string& error) {
  std::vector<IncidentLinkRecord> links;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(';', start);
    const std::string item(
        trim(std::string_view(text).substr(start, end == std::string::npos ? end : end - start)));
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    if (item.empty()) continue;
    const auto equals = item.find('=');
    const auto colon = equals == std::string::npos ? equals : item.find(':', equals);
    if (equals == std::string::npos || colon == std::string::npos) {
      error = "links: '" + item + "' is not ROLE=SCHEME:VALUE";
      return {};
    }
    IncidentLinkRecord link;
    link.role = std::string(trim(std::string_view(item).substr(0, equals)));
    link.target.scheme =
        toLower(trim(std::string_view(item).substr(equals + 1, colon - equals - 1)));
    link.target.value = std::string(trim(std::string_view(item).substr(colon + 1)));
    if (link.role.empty() || link.target.scheme.empty() || link.target.value.empty()) {
      error = "links: '" + item + "' is not ROLE=SCHEME:VALUE";
      return {};
    }
    if (!isLinkScheme(link.target.scheme)) {
      error = "links: unknown scheme '" + link.target.scheme + "' in '" + item + "'";
      return {};
    }
    links.push_back(std::move(link));
  }
  return links;
}

std::optional<core::Date> parseDate(const std::string& field, const std::string& text,
                                    std::string& error) {
  const auto date = core::Date::parse(trim(text));
  if (!date) error = field + " '" + text + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)";
  return date;
}

// Turns rows into incidents, rejecting what is not valid; shared by every input form.
class IncidentBuilder {
 public:
  // Without a sink the incidents go into result.incidents.
  IncidentBuilder(ParseResult& result, const IncidentSink* sink) : m_result(result), m_sink(sink) {}

  // `sourceColumns`: whether the file has source_* columns, which every row must then fill.
  void add(Row row, bool sourceColumns) {
    std::string error;
    IncidentRecord record = build(row, sourceColumns, error);
    if (error.empty()) {
      const std::string& id = record.incident.externalId;
      const std::int64_t here = row.where.line ? static_cast<std::int64_t>(row.where.line)
                                               : -static_cast<std::int64_t>(m_features.size()) - 1;
      const std::int64_t first = m_firstOf.insert(id, here);
      if (first != here) {
        error = "duplicate id '" + id + "' (first " + placeOf(first) + ")";
      } else if (here < 0) {
        m_features.push_back(row.feature);
      }
    }
    if (!error.empty()) {
      m_result.rejected.push_back(Rejected{record.where, std::move(error)});
      return;
    }
    ++m_accepted;
    if (record.sources.empty()) ++m_unsourced;
    if (m_sink) {
      m_stopped = !m_sink->incident(std::move(record));
    } else {
      m_result.incidents.push_back(std::move(record));
    }
  }

  // Hands the header to the sink, if any; call once, before any add().
  void start() {
    if (m_sink && m_sink->header) m_stopped = !m_sink->header(m_result);
  }

  // Whether the sink asked to stop reading.
  bool stopped() const { return m_stopped; }

  void warnUnsourced(const std::string& path) {
    if (m_unsourced == 0) return;
    m_result.warnings.push_back(path + ": " + std::to_string(m_unsourced) + " of " +
                                std::to_string(m_accepted) +
                                " incidents name no source of their own; the file itself is "
                                "their only source");
  }

  void reject(const RecordRef& where, std::string reason) {
    m_result.rejected.push_back(Rejected{where, std::move(reason)});
  }

 private:
  IncidentRecord build(const Row& row, bool sourceColumns, std::string& error) const;
  std::string placeOf(std::int64_t first) const {
    if (first > 0) return "on line " + std::to_string(first);
    return "in feature " + m_features[static_cast<std::size_t>(-first - 1)];
  }

  ParseResult& m_result;
  const IncidentSink* m_sink;
  // Each id accepted: the line it was on, or -1 - its feature's index in m_features.
  core::KeyIndex m_firstOf;
  std::vector<std::string> m_features;
  std::uint64_t m_accepted = 0;
  std::uint64_t m_unsourced = 0;
  bool m_stopped = false;
};

IncidentRecord IncidentBuilder::build(const Row& row, bool sourceColumns,
                                      std::string& error) const {
  IncidentRecord record;
  record.where = row.where;
  core::Incident& incident = record.incident;
  auto value = [&](Field field) { return std::string(trim(row.values[field])); };

  incident.externalId = value(kId);
  if (incident.externalId.empty()) {
    error = "id is empty";
    return record;
  }
  record.where.id = incident.externalId;

  incident.kind = value(kKind);
  if (incident.kind.empty()) {
    error = "kind is empty";
    return record;
  }
  if (!core::isIncidentKind(incident.kind)) {
    error = "unknown kind '" + incident.kind + "'";
    return record;
  }
  incident.title = value(kTitle);
  if (incident.title.empty()) {
    error = "title is empty";
    return record;
  }

  if (value(kStart).empty()) {
    error = "start is empty";
    return record;
  }
  const auto start = parseDate("start", value(kStart), error);
  if (!start) return record;
  incident.span.start = *start;
  if (!value(kEnd).empty()) {
    incident.span.end = parseDate("end", value(kEnd), error);
    if (!incident.span.end) return record;
    if (incident.span.end->lastDay() < start->firstDay()) {
      error = "end '" + value(kEnd) + "' is before start '" + value(kStart) + "'";
      return record;
    }
  }

  if (!row.layerWkt.empty()) {
    incident.wkt = row.layerWkt;
  } else {
    const bool lon = !value(kLon).empty();
    const bool lat = !value(kLat).empty();
    const bool wkt = !value(kWkt).empty();
    if ((lon || lat) && wkt) {
      error = "both lon/lat and wkt given";
      return record;
    }
    if (lon != lat) {
      error = lon ? "lat is empty" : "lon is empty";
      return record;
    }
    if (lon) {
      double x = 0;
      double y = 0;
      error = checkCoordinate("lon", value(kLon), 180, x);
      if (error.empty()) error = checkCoordinate("lat", value(kLat), 90, y);
      if (!error.empty()) return record;
      incident.wkt = "POINT(" + formatNumber(x) + " " + formatNumber(y) + ")";
    } else if (wkt) {
      incident.wkt = wktFromText(value(kWkt), error);
      if (!error.empty()) return record;
    } else {
      error = "no geometry (lon/lat or wkt)";
      return record;
    }
  }

  const std::string precision = value(kGeoPrecision);
  if (precision.empty()) {
    error = "geo_precision is empty";
    return record;
  }
  const auto parsedPrecision = core::precisionFromString(precision);
  if (!parsedPrecision) {
    error = "unknown geo_precision '" + precision + "'";
    return record;
  }
  incident.precision = *parsedPrecision;

  incident.place = value(kPlace);
  incident.description = value(kDescription);
  if (const std::string confidence = value(kConfidence); !confidence.empty()) {
    const auto number = parseNumber(confidence);
    if (!number) {
      error = "confidence '" + confidence + "' is not a number";
      return record;
    }
    if (!(*number >= 0.0 && *number <= 1.0)) {
      error = "confidence '" + confidence + "' is out of range [0, 1]";
      return record;
    }
    incident.confidence = *number;
  }

  record.links = parseLinks(value(kLinks), error);
  if (!error.empty()) return record;

  record.sources = row.sources;
  if (sourceColumns) {
    for (Field field : kRequiredSourceFields) {
      if (value(field).empty()) {
        error = std::string(kFieldNames[field]) + " is empty";
        return record;
      }
    }
    core::Source source;
    source.publisher = value(kSourcePublisher);
    source.title = value(kSourceTitle);
    source.url = value(kSourceUrl);
    if (const std::string date = value(kSourceDate); !date.empty()) {
      if (!parseDate("source_date", date, error)) return record;
      source.published = date;
    }
    record.sources.push_back(std::move(source));
  }
  return record;
}

void checkFieldMap(const std::map<std::string, std::string>& fieldMap) {
  for (const auto& [field, column] : fieldMap) {
    if (std::find(incidentFields().begin(), incidentFields().end(), field) ==
        incidentFields().end()) {
      std::string known;
      for (const auto& name : incidentFields()) known += (known.empty() ? "" : ", ") + name;
      throw core::UsageError("--map: unknown field '" + field + "' (fields: " + known + ")");
    }
    if (trim(column).empty()) throw core::UsageError("--map " + field + "=: no column given");
  }
}

void warnUnknownColumns(const std::string& where, const std::vector<std::string>& unknown,
                        ParseResult& result) {
  if (unknown.empty()) return;
  std::string text = where + ": columns not imported:";
  for (const auto& name : unknown) text += " " + name;
  result.warnings.push_back(std::move(text));
}

// ---- ACLED ----

std::optional<core::Date> acledDate(std::string_view text) {
  text = trim(text);
  const auto iso = core::Date::parse(text);
  if (iso && iso->precision() == core::DatePrecision::Day) return iso;
  std::vector<std::string> parts;
  std::string part;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '/') {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  if (parts.size() != 3 || parts[0].size() > 2 || parts[2].size() != 4) return std::nullopt;
  static const std::array<const char*, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string month;
  const std::string name = toLower(parts[1]);
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name.size() >= 3 && name.compare(0, 3, kMonths[i]) == 0) month = std::to_string(i + 1);
  }
  if (month.empty() && !parts[1].empty() && parts[1].size() <= 2 &&
      std::all_of(parts[1].begin(), parts[1].end(), [](char c) { return c >= '0' && c <= '9'; })) {
    month = parts[1];
  }
  if (month.empty()) return std::nullopt;
  auto pad = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  const auto date = core::Date::parse(parts[2] + "-" + pad(month) + "-" + pad(parts[0]));
  if (date && date->precision() != core::DatePrecision::Day) return std::nullopt;
  return date;
}

const std::vector<std::string>& acledColumns() {
  static const std::vector<std::string> columns{
      "event_id_cnty", "data_id",  "event_date", "time_precision", "event_type",
      "sub_event_type", "location", "admin1",    "country",        "latitude",
      "longitude",     "geo_precision", "source", "notes"};
  return columns;
}

std::string acledKind(std::string_view subEventType) {
  const std::string sub = toLower(trim(subEventType));
  if (sub == "arrests") return "investigation";
  if (sub == "disrupted weapons use") return "seizure";
  return "other";
}

// "" when the ACLED row converts, else why not.
std::string acledRow(const CsvHeader& header, const CsvRecord& record, Row& row) {
  auto value = [&](const char* column) { return std::string(trim(header.value(record, column))); };
  row.values[kId] = value("event_id_cnty");
  if (row.values[kId].empty()) row.values[kId] = value("data_id");

  const std::string eventDate = value("event_date");
  const auto date = acledDate(eventDate);
  if (!date) return "event_date '" + eventDate + "' is not a date";
  const std::string timePrecision = value("time_precision");
  if (timePrecision.empty() || timePrecision == "1") {
    row.values[kStart] = date->toString();
  } else if (timePrecision == "2") {
    row.values[kStart] = core::Date::fromDays(date->firstDay() - 3).toString();
    row.values[kEnd] = core::Date::fromDays(date->firstDay() + 3).toString();
  } else if (timePrecision == "3") {
    row.values[kStart] = core::Date::ym(date->year(), date->month()).toString();
  } else {
    return "time_precision '" + timePrecision + "' is not 1, 2 or 3";
  }

  const std::string geoPrecision = value("geo_precision");
  if (geoPrecision.empty() || geoPrecision == "1") {
    row.values[kGeoPrecision] = core::nameOf(core::Precision::City);
  } else if (geoPrecision == "2") {
    row.values[kGeoPrecision] = core::nameOf(core::Precision::Province);
  } else if (geoPrecision == "3") {
    row.values[kGeoPrecision] = core::nameOf(core::Precision::Region);
  } else {
    return "geo_precision '" + geoPrecision + "' is not 1, 2 or 3";
  }

  const std::string eventType = value("event_type");
  if (eventType.empty()) return "event_type is empty";
  const std::string subEventType = value("sub_event_type");
  const std::string location = value("location");
  row.values[kKind] = acledKind(subEventType);
  row.values[kTitle] = (subEventType.empty() ? eventType : subEventType) +
                       (location.empty() ? "" : " in " + location);
  for (const char* column : {"location", "admin1", "country"}) {
    const std::string part = value(column);
    if (part.empty()) continue;
    row.values[kPlace] += (row.values[kPlace].empty() ? "" : ", ") + part;
  }
  row.values[kLon] = value("longitude");
  row.values[kLat] = value("latitude");
  row.values[kDescription] = value("notes");
  for (const auto& publisher : splitList(value("source"))) {
    core::Source source;
    source.publisher = publisher;
    row.sources.push_back(std::move(source));
  }
  return {};
}

// ---- CSV (ours and ACLED) ----

ParseResult parseCsv(const std::string& path, const std::map<std::string, std::string>& fieldMap,
                     const core::Progress& progress, const IncidentSink* sink) {
  CsvReader reader(path);
  const CsvHeader header = readCsvHeader(reader, path);
  ParseResult result;
  result.format = "incidents";
  result.listSource.file = fileName(path);
  result.listSource.title = fileName(path);

  const bool acled = header.has("event_date") && header.has("event_type") &&
                     header.has("latitude") && header.has("longitude") && !header.has("kind");
  // The file's column for each field, found once rather than for every row.
  std::array<std::optional<std::size_t>, kFieldCount> columns;
  std::vector<std::string> used;
  for (std::size_t field = 0; field < kFieldCount; ++field) {
    const auto mapped = fieldMap.find(kFieldNames[field]);
    if (mapped != fieldMap.end()) {
      columns[field] = header.find(mapped->second);
      if (!columns[field]) {
        throw core::InputRejected(path + ": --map " + mapped->first + "=" + mapped->second +
                                  ": the file has no column '" + mapped->second + "'");
      }
    } else if (!acled) {
      columns[field] = header.find(kFieldNames[field]);
    }
    if (columns[field]) used.push_back(header.names()[*columns[field]]);
  }

  auto require = [&](Field field) {
    if (!columns[field]) {
      throw core::InputRejected(path + ": missing required column '" +
                                std::string(kFieldNames[field]) + "'");
    }
  };
  if (acled) {
    result.listSource.publisher = "ACLED";
    for (const auto& column : acledColumns()) used.push_back(column);
  } else {
    for (Field field : kRequiredFields) require(field);
    if (!columns[kWkt] && !columns[kLon] && !columns[kLat]) {
      throw core::InputRejected(path + ": missing required columns 'lon' and 'lat', or 'wkt'");
    }
    if (!columns[kWkt] || columns[kLon].has_value() != columns[kLat].has_value()) {
      require(kLon);
      require(kLat);
    }
  }
  const bool sourceColumns = std::any_of(kSourceFields.begin(), kSourceFields.end(),
                                         [&](Field field) { return columns[field].has_value(); });
  if (sourceColumns) {
    for (Field field : kRequiredSourceFields) require(field);
  }
  warnUnknownColumns(path, header.unknownColumns(used), result);

  IncidentBuilder builder(result, sink);
  builder.start();
  CsvRecord record;
  while (!builder.stopped() && reader.next(record)) {
    ++result.recordsRead;
    if (result.recordsRead % kProgressEvery == 0) {
      reportReadProgress(progress, reader.bytesRead(), reader.fileSize(), path);
    }
    Row row;
    row.where = RecordRef{path, record.line, ""};
    if (auto problem = header.rowProblem(record); !problem.empty()) {
      builder.reject(row.where, std::move(problem));
      continue;
    }
    if (acled) {
      if (auto error = acledRow(header, record, row); !error.empty()) {
        row.where.id = row.values[kId];
        builder.reject(row.where, std::move(error));
        continue;
      }
    }
    for (std::size_t field = 0; field < kFieldCount; ++field) {
      if (columns[field]) row.values[field] = record.fields[*columns[field]];
    }
    builder.add(std::move(row), sourceColumns);
  }
  builder.warnUnsourced(path);
  reportReadProgress(progress, reader.fileSize(), reader.fileSize(), path);
  return result;
}

// ---- GDAL/OGR vector sources ----

struct DatasetCloser {
  void operator()(GDALDatasetH dataset) const { GDALClose(dataset); }
};
struct FeatureDeleter {
  void operator()(OGRFeatureH feature) const { OGR_F_Destroy(feature); }
};
struct SrsDeleter {
  void operator()(OGRSpatialReferenceH srs) const { OSRDestroySpatialReference(srs); }
};
struct TransformDeleter {
  void operator()(OGRCoordinateTransformationH transform) const {
    OCTDestroyCoordinateTransformation(transform);
  }
};
using DatasetPtr = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DatasetCloser>;
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDeleter>;
using SrsPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDeleter>;
using TransformPtr =
    std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformDeleter>;


// KML fields OGR's LIBKML driver adds to every layer; they say nothing about an incident.
bool isKmlStyleField(std::string_view name) {
  static const std::set<std::string> kFields{"altitudemode", "tessellate", "extrude",
                                             "visibility",   "draworder",  "icon",
                                             "snippet"};
  return kFields.count(toLower(name)) > 0;
}

std::string fieldText(OGRFeatureH feature, int index) {
  if (!OGR_F_IsFieldSetAndNotNull(feature, index)) return {};
  const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feature, index));
  if (type == OFTDate || type == OFTDateTime) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, zone = 0;
    float second = 0;
    if (!OGR_F_GetFieldAsDateTimeEx(feature, index, &year, &month, &day, &hour, &minute, &second,
                                    &zone)) {
      return {};
    }
    std::array<char, 16> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", year, month, day);
    return buffer.data();
  }
  return OGR_F_GetFieldAsString(feature, index);
}

ParseResult parseOgr(const std::string& path, const std::map<std::string, std::string>& fieldMap,
                     const core::Progress& progress, const IncidentSink* sink) {
  GDALAllRegister();
  DatasetPtr dataset(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!dataset) {
    throw core::InputRejected(path + ": not a vector file GDAL can read (" +
                              std::string(CPLGetLastErrorMsg()) + ")");
  }
  const int layerCount = GDALDatasetGetLayerCount(dataset.get());
  if (layerCount == 0) throw core::InputRejected(path + ": the file has no layers");
  const std::string driver = GDALGetDriverShortName(GDALGetDatasetDriver(dataset.get()));
  const bool kml = driver == "KML" || driver == "LIBKML";

  ParseResult result;
  result.format = "incidents";
  result.listSource.file = fileName(path);
  result.listSource.title = fileName(path);

  SrsPtr wgs84(OSRNewSpatialReference(nullptr));
  OSRImportFromEPSG(wgs84.get(), 4326);
  OSRSetAxisMappingStrategy(wgs84.get(), OAMS_TRADITIONAL_GIS_ORDER);

  std::uint64_t total = 0;
  for (int i = 0; i < layerCount; ++i) {
    const GIntBig count = OGR_L_GetFeatureCount(GDALDatasetGetLayer(dataset.get(), i), TRUE);
    if (count > 0) total += static_cast<std::uint64_t>(count);
  }

  IncidentBuilder builder(result, sink);
  builder.start();
  for (int layerIndex = 0; layerIndex < layerCount && !builder.stopped(); ++layerIndex) {
    OGRLayerH layer = GDALDatasetGetLayer(dataset.get(), layerIndex);
    OGRFeatureDefnH definition = OGR_L_GetLayerDefn(layer);
    const std::string layerName = OGR_L_GetName(layer);
    const std::string where = path + (layerCount > 1 ? " layer '" + layerName + "'" : "");

    std::array<int, kFieldCount> index{};
    index.fill(-1);
    for (std::size_t field = 0; field < kFieldCount; ++field) {
      const auto mapped = fieldMap.find(kFieldNames[field]);
      const std::string column = mapped != fieldMap.end() ? mapped->second : kFieldNames[field];
      index[field] = OGR_FD_GetFieldIndex(definition, column.c_str());
      if (mapped != fieldMap.end() && index[field] < 0) {
        throw core::InputRejected(where + ": --map " + mapped->first + "=" + mapped->second +
                                  ": no field '" + mapped->second + "'");
      }
    }
    // KML's own names for our fields, unless the file or the map names ours.
    std::vector<int> startFallbacks;
    if (kml) {
      if (index[kTitle] < 0) index[kTitle] = OGR_FD_GetFieldIndex(definition, "name");
      if (index[kStart] < 0) {
        for (const char* name : {"begin", "timestamp"}) {
          if (const int i = OGR_FD_GetFieldIndex(definition, name); i >= 0) {
            startFallbacks.push_back(i);
          }
        }
      }
    }

    const bool layerGeometry = OGR_L_GetGeomType(layer) != wkbNone;
    for (Field field : kRequiredFields) {
      // A feature without an id field is known by its FID.
      if (field == kId || (field == kStart && !startFallbacks.empty())) continue;
      if (index[field] < 0) {
        throw core::InputRejected(where + ": missing required field '" +
                                  std::string(kFieldNames[field]) + "'");
      }
    }
    if (!layerGeometry && index[kWkt] < 0 && (index[kLon] < 0 || index[kLat] < 0)) {
      throw core::InputRejected(where + ": no geometry, and no lon and lat or wkt fields");
    }
    const bool sourceFields = std::any_of(kSourceFields.begin(), kSourceFields.end(),
                                          [&](Field field) { return index[field] >= 0; });
    if (sourceFields) {
      for (Field field : kRequiredSourceFields) {
        if (index[field] < 0) {
          throw core::InputRejected(where + ": missing required field '" +
                                    std::string(kFieldNames[field]) + "'");
        }
      }
    }

    std::vector<std::string> unknown;
    for (int i = 0; i < OGR_FD_GetFieldCount(definition); ++i) {
      const bool used = std::find(index.begin(), index.end(), i) != index.end() ||
                        std::find(startFallbacks.begin(), startFallbacks.end(), i) !=
                            startFallbacks.end();
      const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, i));
      if (!used && !(kml && isKmlStyleField(name))) unknown.push_back(name);
    }
    warnUnknownColumns(where, unknown, result);

    TransformPtr transform;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (srs && !OSRIsSame(srs, wgs84.get())) {
      transform.reset(OCTNewCoordinateTransformation(srs, wgs84.get()));
      if (!transform) {
        throw core::InputRejected(where + ": cannot reproject from the layer's CRS to EPSG:4326");
      }
    }

    OGR_L_ResetReading(layer);
    while (!builder.stopped()) {
      FeaturePtr feature{OGR_L_GetNextFeature(layer)};
      if (!feature) break;
      ++result.recordsRead;
      if (result.recordsRead % kProgressEvery == 0) {
        reportReadProgress(progress, result.recordsRead, total, path);
      }
      Row row;
      const std::string fid = std::to_string(OGR_F_GetFID(feature.get()));
      row.feature = layerCount > 1 ? layerName + ":" + fid : fid;
      row.where = RecordRef{path, 0, row.feature};
      std::string error;
      for (std::size_t field = 0; field < kFieldCount; ++field) {
        if (index[field] < 0) continue;
        row.values[field] = fieldText(feature.get(), index[field]);
        if (core::firstInvalidUtf8(row.values[field]) != std::string::npos) {
          error = "invalid UTF-8 in field '" +
                  std::string(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, index[field]))) +
                  "'";
        }
      }
      if (index[kId] < 0) row.values[kId] = row.where.id;
      for (const int fallback : startFallbacks) {
        if (!row.values[kStart].empty()) break;
        row.values[kStart] = fieldText(feature.get(), fallback);
      }
      if (!trim(row.values[kId]).empty()) row.where.id = std::string(trim(row.values[kId]));
      if (error.empty()) {
        if (OGRGeometryH geometry = OGR_F_GetGeometryRef(feature.get())) {
          if (transform && OGR_G_Transform(geometry, transform.get()) != OGRERR_NONE) {
            error = "geometry cannot be reprojected to EPSG:4326";
          } else {
            row.layerWkt = checkedWkt(geometry, "geometry", error);
          }
        }
      }
      if (!error.empty()) {
        builder.reject(row.where, std::move(error));
        continue;
      }
      builder.add(std::move(row), sourceFields);
    }
  }
  builder.warnUnsourced(path);
  reportReadProgress(progress, total, total, path);
  return result;
}

bool isCsvPath(const std::string& path) {
  const std::string name = toLower(fileName(path));
  for (const char* extension : {".csv", ".txt"}) {
    const std::string ext(extension);
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return true;
    }
  }
  return false;
}

} // namespace

const std::vector<std::string>& incidentFields() {
  static const std::vector<std::string> fields(kFieldNames.begin(), kFieldNames.end());
  return fields;
}

ParseResult parseIncidents(const std::string& path,
                           const std::map<std::string, std::string>& fieldMap,
                           const core::Progress& progress) {
  checkFieldMap(fieldMap);
  const QuietGdal quiet;
  return isCsvPath(path) ? parseCsv(path, fieldMap, progress, nullptr)
                         : parseOgr(path, fieldMap, progress, nullptr);
}

ParseResult parseIncidents(const std::string& path,
                           const std::map<std::string, std::string>& fieldMap,
                           const core::Progress& progress, const IncidentSink& sink) {
  checkFieldMap(fieldMap);
  const QuietGdal quiet;
  return isCsvPath(path) ? parseCsv(path, fieldMap, progress, &sink)
                         : parseOgr(path, fieldMap, progress, &sink);
}

} // namespace borderlens::ingest
