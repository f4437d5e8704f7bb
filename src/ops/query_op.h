#pragma once

#include "store/filter.h"

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
};

struct QueryReport {
  std::uint64_t entities = 0;
  std::uint64_t incidents = 0;
};

// Streams the matching features to `out` in the chosen format, row by row.
QueryReport runQuery(const QueryOptions& options, std::ostream& out);

} // namespace borderlens::ops
