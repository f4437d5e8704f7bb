#pragma once

#include "core/progress.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace borderlens::ops {

struct CopyOptions {
  // Database locations: a SpatiaLite file, or a `postgresql://` URL / `PG:` connection string.
  std::string source;
  std::string destination;
  // Rows handed to the destination per write call: bounds memory, not the transaction.
  std::size_t batchRows = 10000;
};

struct CopyTableReport {
  std::string table;
  std::int64_t rows = 0;
};

struct CopyReport {
  std::string source;       // Store::location(): passwords redacted
  std::string destination;  // likewise
  bool created = false;     // the destination file did not exist before this run
  int schemaVersion = 0;    // the destination's, which a copy writes at this build's version
  std::vector<CopyTableReport> tables;  // in store::dumpTables() order
  std::int64_t totalRows = 0;
};

// Copies a whole database into an empty one, between any two backends, without loss: every
// table of store::dumpTables() with its ids, dates as written, geometries as WKB, the import
// history and the border geometry; the destination's search index is rebuilt from the rows.
// - The source is opened read-only and read in one snapshot; it must have the current schema
//   (core::SchemaMismatch otherwise: `borderlens init SRC` upgrades it first).
// - The destination is created when missing; an existing one must hold no records (a border
//   geometry set by `init` is replaced by the source's), else core::OutputFailed before any
//   write.
// - Everything is written in one destination transaction, checked against the source's counts,
//   then committed. On any failure or cancel the transaction rolls back, and a destination file
//   this run created is removed.
CopyReport runCopy(const CopyOptions& options, const core::Progress& progress);

// `copy --json`: {source, destination, created, schema_version, tables: {name: rows}, rows}.
nlohmann::ordered_json copyReportJson(const CopyReport& report);
std::string copyReportText(const CopyReport& report);

} // namespace borderlens::ops
