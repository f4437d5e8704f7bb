#include "ops/incident_stream.h"

#include "ingest/incidents.h"

#include <utility>

namespace borderlens::ops {

namespace {

constexpr std::size_t kBatchSize = 1024;
// Batches read but not yet written, at most: enough that neither side waits for the other's
// hiccups, few enough that memory stays flat.
constexpr std::size_t kBatchesAhead = 64;

} // namespace

IncidentStream::IncidentStream(store::Store& db, const std::string& path,
                               const std::map<std::string, std::string>& fieldMap)
    // Made on this thread: the store may read (the border) to make it.
    : m_thread(&IncidentStream::read, this, db.pointPreparer(), path, fieldMap) {}

IncidentStream::~IncidentStream() {
  {
    const std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_changed.notify_all();
  m_thread.join();
}

void IncidentStream::read(store::PointPreparer preparer, std::string path,
                          std::map<std::string, std::string> fieldMap) {
  std::vector<StreamedIncident> batch;
  ingest::IncidentSink sink;
  sink.header = [&](const ingest::ParseResult& header) {
    const std::lock_guard lock(m_mutex);
    m_header = header;
    m_changed.notify_all();
    return !m_stop;
  };
  sink.incident = [&](ingest::IncidentRecord&& record) {
    StreamedIncident item{std::move(record), std::nullopt};
    try {
      if (preparer && !item.record.incident.wkt.empty()) item.point = preparer(item.record.incident.wkt);
    } catch (const std::exception&) {
      // Left to the writer, whose store reports the same failure against the record.
    }
    batch.push_back(std::move(item));
    if (batch.size() < kBatchSize) return true;
    return push(batch);
  };
  const auto progress = [&](double fraction, std::string_view) {
    const std::lock_guard lock(m_mutex);
    m_fraction = fraction;
    return !m_stop;
  };
  ingest::ParseResult result;
  std::exception_ptr error;
  try {
    result = ingest::parseIncidents(path, fieldMap, progress, sink);
    if (!batch.empty()) push(batch);
  } catch (...) {
    error = std::current_exception();
  }
  const std::lock_guard lock(m_mutex);
  m_result = std::move(result);
  m_error = error;
  m_done = true;
  m_fraction = 1;
  m_changed.notify_all();
}

bool IncidentStream::push(std::vector<StreamedIncident>& batch) {
  std::vector<std::vector<StreamedIncident>> spent;
  {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_stop || m_batches.size() < kBatchesAhead; });
    if (m_stop) return false;
    m_batches.push_back(std::move(batch));
    m_changed.notify_all();
    spent.swap(m_spent);
  }
  // Freed here, on the thread that allocated them: glibc returns a block freed by another thread
  // to its arena under that arena's lock, which the reading thread then waits for.
  batch.clear();
  for (auto& old : spent) {
    old.clear();
    if (batch.capacity() < old.capacity()) batch.swap(old);
  }
  return true;
}

ingest::ParseResult IncidentStream::header() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_header || m_done; });
  if (!m_header && m_error) std::rethrow_exception(m_error);
  return m_header ? *m_header : *m_result;
}

std::vector<StreamedIncident> IncidentStream::next(std::vector<StreamedIncident>&& written) {
  std::unique_lock lock(m_mutex);
  if (!written.empty()) m_spent.push_back(std::move(written));
  m_changed.wait(lock, [&] { return !m_batches.empty() || m_done; });
  // A failed reading fails the import: what it read before is not worth writing.
  if (m_error) std::rethrow_exception(m_error);
  if (m_batches.empty()) return {};
  std::vector<StreamedIncident> batch = std::move(m_batches.front());
  m_batches.pop_front();
  m_changed.notify_all();
  return batch;
}

ingest::ParseResult IncidentStream::finish() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_done; });
  if (m_error) std::rethrow_exception(m_error);
  return std::move(*m_result);
}

double IncidentStream::fraction() const {
  const std::lock_guard lock(m_mutex);
  return m_fraction;
}

} // namespace borderlens::ops
