#include "ops/query_op.h"

#include "core/errors.h"
#include "geo/geos_ops.h"
#include "ops/text_output.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <ostream>
#include <thread>
#include <vector>

namespace borderlens::ops {

QueryFormat queryFormatFromString(const std::string& name) {
  if (name == "table") return QueryFormat::Table;
  if (name == "csv") return QueryFormat::Csv;
  if (name == "geojson") return QueryFormat::GeoJson;
  throw core::UsageError("unknown format '" + name + "': expected table, csv or geojson");
}

namespace {

std::string coordinate(const std::optional<double>& value) {
  return value ? formatCoordinate(*value) : std::string();
}

// A CSV row is built in a reused buffer: with a stream insertion and a temporary string for each
// field, writing was a sixth of a 140k-row query.
void appendCsvRow(std::string& out, const store::FeatureRow& row) {
  const auto text = [&](std::string_view value) {
    appendCsvField(out, value);
    out.push_back(',');
  };
  const auto number = [&](const std::optional<double>& value, int decimals) {
    if (value) appendFixed(out, *value, decimals);
  };
  text(store::nameOf(row.type));
  text(std::to_string(row.id));
  text(row.locationId ? std::to_string(row.locationId) : std::string());
  text(row.kind);
  text(row.name);
  number(row.lon, 6);
  out.push_back(',');
  number(row.lat, 6);
  out.push_back(',');
  for (const std::string* field : {&row.precision, &row.start, &row.end, &row.place,
                                   &row.authorities, &row.rounds}) {
    text(*field);
  }
  number(row.confidence, 2);
  out.push_back('\n');
}

nlohmann::ordered_json splitList(const std::string& joined) {
  auto list = nlohmann::ordered_json::array();
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t comma = joined.find(',', start);
    list.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return list;
}

std::string featureId(const store::FeatureRow& row) {
  if (row.type == store::FeatureType::Incident) return "incident:" + std::to_string(row.id);
  return "entity:" + std::to_string(row.id) + ":" + std::to_string(row.locationId);
}

// Appends one row in the chosen format. A GeoJSON feature always starts with its separator
// (",\n"): a part read in parallel does not know whether one before it had rows, so the writer
// drops the comma before the first feature.
class RowFormatter {
 public:
  explicit RowFormatter(QueryFormat format) : m_format(format) {}

  void append(std::string& out, const store::FeatureRow& row) const {
    switch (m_format) {
      case QueryFormat::Table:
        out += table().row({store::nameOf(row.type), std::to_string(row.id), row.kind, row.name,
                            coordinate(row.lon), coordinate(row.lat), row.precision, row.start,
                            row.authorities});
        break;
      case QueryFormat::Csv: appendCsvRow(out, row); break;
      case QueryFormat::GeoJson: {
        nlohmann::ordered_json properties;
        properties["type"] = store::nameOf(row.type);
        properties["id"] = row.id;
        if (row.type == store::FeatureType::Entity) properties["location_id"] = row.locationId;
        properties["kind"] = row.kind;
        properties["name"] = row.name;
        properties["precision"] = row.precision;
        properties["start"] = row.start;
        properties["end"] = row.end;
        properties["place"] = row.place;
        properties["authorities"] = splitList(row.authorities);
        properties["rounds"] = splitList(row.rounds);
        if (row.confidence) properties["confidence"] = *row.confidence;
        out += ",\n{\"type\":\"Feature\",\"id\":\"" + featureId(row) + "\",\"geometry\":" +
               (row.wkt.empty() ? std::string("null") : geo::wktToGeoJson(row.wkt)) +
               ",\"properties\":" + properties.dump() + "}";
        break;
      }
    }
  }

  std::string header() const {
    switch (m_format) {
      case QueryFormat::Table: return table().header();
      case QueryFormat::Csv:
        return "type,id,location_id,kind,name,lon,lat,precision,start,end,place,authorities,"
               "rounds,confidence\n";
      case QueryFormat::GeoJson: return "{\"type\":\"FeatureCollection\",\"features\":[";
    }
    return {};
  }

  std::string footer() const { return m_format == QueryFormat::GeoJson ? "\n]}\n" : ""; }

 private:
  static const TextTable& table() {
    static const TextTable columns({{"TYPE", 8}, {"ID", 6}, {"KIND", 21}, {"NAME", 40},
                                    {"LON", 11}, {"LAT", 10}, {"PRECISION", 9}, {"DATE", 10},
                                    {"AUTHORITIES", 0}});
    return columns;
  }

  QueryFormat m_format;
};

// Writes formatted rows to the output, dropping the separator before the first GeoJSON feature.
class Writer {
 public:
  Writer(std::ostream& out, QueryFormat format) : m_out(out), m_format(format) {}

  void write(std::string_view text) {
    if (text.empty()) return;
    if (m_format == QueryFormat::GeoJson && !m_wroteFeature) {
      text.remove_prefix(1);
      m_wroteFeature = true;
    }
    m_out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  bool good() const { return static_cast<bool>(m_out); }

 private:
  std::ostream& m_out;
  QueryFormat m_format;
  bool m_wroteFeature = false;
};

// As much as the stream buffers itself, so rows still appear as they are read.
constexpr std::size_t kChunkBytes = 8192;
constexpr unsigned kMaxThreads = 4;

// Streams one reader's rows, counted in `report` and formatted in chunks of about kChunkBytes.
// Each chunk, the last and shorter one too, goes to `flush`, which may take its text and says
// whether to go on.
void streamChunks(store::Store& db, const store::FilterSpec& filter,
                  const store::QueryOptions& storeOptions, const RowFormatter& formatter,
                  QueryReport& report, const std::function<bool(std::string&)>& flush) {
  std::string pending;
  db.forEachFeature(filter, storeOptions, [&](const store::FeatureRow& row) {
    (row.type == store::FeatureType::Entity ? report.entities : report.incidents)++;
    formatter.append(pending, row);
    if (pending.size() < kChunkBytes) return true;
    const bool more = flush(pending);
    pending.clear();
    return more;
  });
  if (!pending.empty()) flush(pending);
}

// One part of a query read in parallel: its formatted rows, queued in order for the writer.
struct Part {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> chunks;
  std::size_t queuedBytes = 0;
  bool done = false;
  std::exception_ptr error;
  QueryReport report;
};

QueryReport readAlone(store::Store& db, const store::QueryOptions& storeOptions,
                      const QueryOptions& options, const RowFormatter& formatter, Writer& writer) {
  QueryReport report;
  streamChunks(db, options.filter, storeOptions, formatter, report, [&](std::string& chunk) {
    writer.write(chunk);
    return writer.good();
  });
  return report;
}

// Each reader streams its part on a thread of its own; this thread writes the parts in order,
// each as far as it has been read, so that the output is the same as one reader's.
QueryReport readInParts(std::vector<std::unique_ptr<store::Store>>& readers,
                        store::QueryOptions storeOptions, const QueryOptions& options,
                        const RowFormatter& formatter, Writer& writer) {
  const auto parts = static_cast<unsigned>(readers.size());
  std::vector<Part> state(parts);
  std::atomic<bool> stop{false};
  const auto push = [&](Part& part, std::string& chunk) {
    std::unique_lock lock(part.mutex);
    part.changed.wait(lock, [&] { return part.queuedBytes < options.readAheadBytes || stop; });
    part.queuedBytes += chunk.size();
    part.chunks.push_back(std::move(chunk));
    part.changed.notify_all();
  };
  const auto halt = [&] {
    stop = true;
    for (Part& part : state) {
      const std::lock_guard lock(part.mutex);
      part.changed.notify_all();
    }
  };
  std::vector<std::jthread> threads;
  threads.reserve(parts);
  // Declared after the threads, so destroyed before them: however this thread leaves, readers
  // waiting for queue space are released before they are joined.
  const struct Halt {
    const decltype(halt)& run;
    ~Halt() { run(); }
  } halted{halt};
  for (unsigned k = 0; k < parts; ++k) {
    threads.emplace_back([&, k, storeOptions]() mutable {
      Part& part = state[k];
      try {
        storeOptions.part = k;
        storeOptions.parts = parts;
        streamChunks(*readers[k], options.filter, storeOptions, formatter, part.report,
                     [&](std::string& chunk) {
                       push(part, chunk);
                       return !stop;
                     });
      } catch (...) {
        part.error = std::current_exception();
      }
      const std::lock_guard lock(part.mutex);
      part.done = true;
      part.changed.notify_all();
    });
  }
  QueryReport report;
  for (Part& part : state) {
    for (;;) {
      std::unique_lock lock(part.mutex);
      part.changed.wait(lock, [&] { return !part.chunks.empty() || part.done; });
      if (part.chunks.empty()) break;
      std::string chunk = std::move(part.chunks.front());
      part.chunks.pop_front();
      part.queuedBytes -= chunk.size();
      part.changed.notify_all();
      lock.unlock();
      writer.write(chunk);
      if (!writer.good()) break;
    }
    if (part.error) std::rethrow_exception(part.error);
    if (!writer.good()) return report;
    report.entities += part.report.entities;
    report.incidents += part.report.incidents;
  }
  return report;
}

unsigned queryThreads(unsigned requested) {
  if (requested != 0) return requested;
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads);
}

} // namespace

QueryReport runQuery(const QueryOptions& options, std::ostream& out) {
  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  store::QueryOptions storeOptions;
  storeOptions.withGeometry = options.format == QueryFormat::GeoJson;
  storeOptions.limit = options.limit;
  const RowFormatter formatter(options.format);
  Writer writer(out, options.format);
  out << formatter.header();

  // A limit counts rows across the parts, which read at once: such a query reads alone.
  const unsigned threads = options.limit == 0 ? queryThreads(options.threads) : 1;
  auto readers = threads > 1 ? db->snapshotReaders(threads)
                             : std::vector<std::unique_ptr<store::Store>>{};
  // The readers hold their snapshot by themselves; a server need not keep one more connection.
  if (!readers.empty()) db.reset();
  QueryReport report = readers.empty()
                           ? readAlone(*db, storeOptions, options, formatter, writer)
                           : readInParts(readers, storeOptions, options, formatter, writer);
  report.readers = std::max<unsigned>(1, static_cast<unsigned>(readers.size()));
  out << formatter.footer();
  if (!out) throw core::OutputFailed("cannot write the query output");
  return report;
}

} // namespace borderlens::ops
