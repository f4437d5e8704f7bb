#pragma once

#include "ingest/records.h"
#include "store/store.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace borderlens::ops {

// An incident as the reading thread hands it over: the record, and its point made ahead
// (Store::pointPreparer), when it has a plain one the store accepts.
struct StreamedIncident {
  ingest::IncidentRecord record;
  std::optional<store::PreparedPoint> point;
};

// Reads an incidents file on another core while the import writes what it has read: at a
// million rows, reading and preparing points is a third of the work, and the records never all
// wait in memory (a bounded stretch of them does). The reading stops when the stream is
// destroyed, so a failed or cancelled import leaves no thread behind.
class IncidentStream {
 public:
  IncidentStream(store::Store& db, const std::string& path,
                 const std::map<std::string, std::string>& fieldMap);
  ~IncidentStream();
  IncidentStream(const IncidentStream&) = delete;
  IncidentStream& operator=(const IncidentStream&) = delete;

  // The file's format and list source, once its header is read; rethrows what the reading threw
  // before that (a missing column, an unreadable file).
  ingest::ParseResult header();
  // The next incidents in file order; empty at the end of the file. `written`, the batch before,
  // goes back to the reading thread to be freed there.
  std::vector<StreamedIncident> next(std::vector<StreamedIncident>&& written = {});
  // After next() came back empty: the rest of the reading (rejected rows, warnings, counts), or
  // what it threw.
  ingest::ParseResult finish();
  // The share of the file read so far, 0 to 1.
  double fraction() const;

 private:
  void read(store::PointPreparer preparer, std::string path,
            std::map<std::string, std::string> fieldMap);
  // Hands the batch over, waiting while the writer is far behind, and leaves in it an empty one
  // to fill next; false once stopped.
  bool push(std::vector<StreamedIncident>& batch);

  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::optional<ingest::ParseResult> m_header;
  std::deque<std::vector<StreamedIncident>> m_batches;
  // Batches written, for the reading thread to free.
  std::vector<std::vector<StreamedIncident>> m_spent;
  std::optional<ingest::ParseResult> m_result;
  std::exception_ptr m_error;
  bool m_done = false;
  bool m_stop = false;
  double m_fraction = 0;
  std::thread m_thread;
};

} // namespace borderlens::ops
