#pragma once

#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace borderlens::store::postgis {

// An in-memory SpatiaLite connection that lets the PostGIS backend judge and print geometries and
// split search text exactly as the SpatiaLite backend does, so that both accept the same records,
// print the same WKT, store the same border distances and find the same search matches. Checking
// here, before anything reaches the server, also keeps a rejected record from aborting the
// server-side transaction the importer goes on with.
class LocalSpatialite {
 public:
  LocalSpatialite();
  ~LocalSpatialite();
  LocalSpatialite(const LocalSpatialite&) = delete;
  LocalSpatialite& operator=(const LocalSpatialite&) = delete;

  // The WKB of a WKT geometry SqliteStore accepts (parsed, valid, within lon/lat range), or
  // nullopt when it would refuse it.
  std::optional<std::vector<std::uint8_t>> checkedWkb(const std::string& wkt);
  // The same for a plain point (store/plain_point.h); needs no connection, so any thread may.
  static std::optional<std::vector<std::uint8_t>> pointWkb(const std::pair<double, double>& point);
  // SpatiaLite's AsText of a WKB geometry.
  std::string wkt(const std::vector<std::uint8_t>& wkb);
  // The tokens FTS5's unicode61 tokenizer (remove_diacritics 2, the search table's) makes of a
  // text: case-folded, diacritics removed, split at everything but letters and digits.
  std::vector<std::string> tokens(const std::string& text);

 private:
  sqlite::Connection m_connection;
  fts5_tokenizer m_api{};
  Fts5Tokenizer* m_tokenizer = nullptr;
};

} // namespace borderlens::store::postgis
