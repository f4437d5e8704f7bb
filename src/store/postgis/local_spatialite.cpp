#include "store/postgis/local_spatialite.h"

#include "core/errors.h"
#include "store/plain_point.h"

// gaiageo.h needs sqlite3.h before it.
#include <sqlite3.h>
#include <spatialite/gaiageo.h>

namespace borderlens::store::postgis {

namespace {

// The same test as SqliteStore::checkGeometry, returning the geometry it accepts.
constexpr const char* kCheckedWkb =
    "SELECT CASE WHEN g IS NOT NULL AND ST_IsValid(g) = 1 AND MbrMinX(g) >= -180 AND "
    "MbrMaxX(g) <= 180 AND MbrMinY(g) >= -90 AND MbrMaxY(g) <= 90 THEN AsBinary(g) END "
    "FROM (SELECT GeomFromText(?, 4326) AS g)";

int collectToken(void* context, int, const char* token, int size, int, int) {
  static_cast<std::vector<std::string>*>(context)->emplace_back(token, static_cast<std::size_t>(size));
  return SQLITE_OK;
}

} // namespace

LocalSpatialite::LocalSpatialite() : m_connection(":memory:", sqlite::Connection::Mode::Create) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(m_connection.handle(), "SELECT fts5(?1)", -1, &statement, nullptr) ==
      SQLITE_OK) {
    sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
  void* userData = nullptr;
  if (!api || api->xFindTokenizer(api, "unicode61", &userData, &m_api) != SQLITE_OK) {
    throw core::StoreError("SQLite has no FTS5 unicode61 tokenizer");
  }
  const char* arguments[] = {"remove_diacritics", "2"};
  if (m_api.xCreate(userData, arguments, 2, &m_tokenizer) != SQLITE_OK) {
    throw core::StoreError("SQLite could not create the FTS5 unicode61 tokenizer");
  }
}

LocalSpatialite::~LocalSpatialite() {
  if (m_tokenizer) m_api.xDelete(m_tokenizer);
}

std::optional<std::vector<std::uint8_t>> LocalSpatialite::pointWkb(
    const std::pair<double, double>& point) {
  // As SqliteStore::checkGeometry: finite, so valid; only the range is left to check.
  if (!inLonLatRange(point)) return std::nullopt;
  gaiaGeomCollPtr geometry = gaiaAllocGeomColl();
  gaiaAddPointToGeomColl(geometry, point.first, point.second);
  unsigned char* bytes = nullptr;
  int size = 0;
  gaiaToWkb(geometry, &bytes, &size);
  gaiaFreeGeomColl(geometry);
  if (!bytes) return std::nullopt;
  std::vector<std::uint8_t> wkb(bytes, bytes + size);
  gaiaFree(bytes);
  return wkb;
}

std::optional<std::vector<std::uint8_t>> LocalSpatialite::checkedWkb(const std::string& wkt) {
  if (const auto point = plainPoint(wkt)) return pointWkb(*point);
  sqlite::Statement& check = m_connection.cached(kCheckedWkb);
  check.bind(1, wkt);
  std::optional<std::vector<std::uint8_t>> wkb;
  if (check.step() && !check.isNull(0)) wkb = check.blob(0);
  check.reset();
  return wkb;
}

std::string LocalSpatialite::wkt(const std::vector<std::uint8_t>& wkb) {
  sqlite::Statement& text = m_connection.cached("SELECT AsText(GeomFromWKB(?, 4326))");
  text.bindBlob(1, wkb);
  std::string out = text.step() ? text.text(0) : std::string();
  text.reset();
  return out;
}

std::vector<std::string> LocalSpatialite::tokens(const std::string& text) {
  std::vector<std::string> out;
  m_api.xTokenize(m_tokenizer, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                   static_cast<int>(text.size()), &collectToken);
  return out;
}

} // namespace borderlens::store::postgis
