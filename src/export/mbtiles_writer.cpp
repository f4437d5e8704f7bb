#include "export/mbtiles_writer.h"

#include "core/errors.h"
#include "store/sqlite/connection.h"

namespace borderlens::exports {

template <class F>
void MbtilesWriter::guarded(const char* what, F&& f) {
  try {
    f();
  } catch (const core::Error& error) {
    // The store's errors name a database fault; here it is the output that could not be written.
    throw core::OutputFailed(m_path + ": " + what + ": " + error.what());
  }
}

MbtilesWriter::MbtilesWriter(const std::string& path) : m_path(path) {
  guarded("cannot create it", [&] {
    m_db = std::make_unique<store::sqlite::Connection>(path, store::sqlite::Connection::Mode::Create);
    m_db->exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
        "BEGIN;"
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);");
    m_insertTile = std::make_unique<store::sqlite::Statement>(
        *m_db, "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)");
  });
}

MbtilesWriter::~MbtilesWriter() = default;

void MbtilesWriter::addTile(int zoom, std::uint32_t x, std::uint32_t y, const std::vector<std::uint8_t>& data) {
  const std::int64_t rows = std::int64_t{1} << zoom;
  guarded("cannot add a tile", [&] {
    m_insertTile->bind(1, zoom)
        .bind(2, static_cast<std::int64_t>(x))
        .bind(3, rows - 1 - static_cast<std::int64_t>(y))
        .bindBlob(4, data)
        .run();
  });
}

void MbtilesWriter::addMetadata(const std::string& name, const std::string& value) {
  guarded("cannot write its metadata", [&] {
    store::sqlite::Statement insert(*m_db, "INSERT INTO metadata (name, value) VALUES (?, ?)");
    insert.bind(1, name).bind(2, value).run();
  });
}

void MbtilesWriter::finish() {
  guarded("cannot finish it", [&] {
    m_db->exec(
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
        "CREATE UNIQUE INDEX name ON metadata (name);"
        "COMMIT;");
    m_insertTile.reset();
    m_db.reset();
  });
}

} // namespace borderlens::exports
