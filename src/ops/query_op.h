#pragma once

#include "store/filter.h"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace borderlens::ops {

enum class QueryFormat { Table, Csv, GeoJson };
// Throws core::UsageError for an unknown name.
QueryFormat queryFormatFromString(const std::string& name);

struct QueryOptions {
  std::string database;
  store::FilterSpec filter;
  QueryFormat format = QueryFormat::Table;
  std::uint64_t limit = 0;  // 0: all rows
  // Readers in parallel, each with its own connection and a share of the incidents, all seeing
  // one snapshot; the output is the same for any number. 0: one per core, at most 4. A query
  // with a limit, or one the database cannot give a shared snapshot for, reads alone.
  unsigned threads = 0;
  // How far a part read in parallel may run ahead of the output, per part, before its reader
  // waits: the bound on the memory a query takes beyond its readers'.
  std::size_t readAheadBytes = std::size_t{16} << 20;
};

struct QueryReport {
  std::uint64_t entities = 0;
  std::uint64_t incidents = 0;
  unsigned readers = 1;  // connections that read the query, each its part
};

// Streams the matching features to `out` in the chosen format, row by row.
QueryReport runQuery(const QueryOptions& options, std::ostream& out);

} // namespace borderlens::ops
