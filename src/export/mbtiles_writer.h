#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace borderlens::store::sqlite {
class Connection;
class Statement;
} // namespace borderlens::store::sqlite

namespace borderlens::exports {

// An MBTiles 1.3 file (github.com/mapbox/mbtiles-spec) written in one transaction through the
// store's SQLite connection: tables metadata(name, value) and tiles(zoom_level, tile_column,
// tile_row, tile_data) with its unique index, built once the tiles are in. Meant for a staged
// file: no rollback journal, no syncing, since a failed write is thrown away whole.
class MbtilesWriter {
 public:
  // Throws core::OutputFailed.
  explicit MbtilesWriter(const std::string& path);
  ~MbtilesWriter();
  MbtilesWriter(const MbtilesWriter&) = delete;
  MbtilesWriter& operator=(const MbtilesWriter&) = delete;

  // A tile by its XYZ address (y down from the north); stored with the TMS row MBTiles uses.
  void addTile(int zoom, std::uint32_t x, std::uint32_t y, const std::vector<std::uint8_t>& data);
  void addMetadata(const std::string& name, const std::string& value);
  // Builds the index, commits and closes the file. Throws core::OutputFailed.
  void finish();

 private:
  template <class F>
  void guarded(const char* what, F&& f);

  std::string m_path;
  std::unique_ptr<store::sqlite::Connection> m_db;
  std::unique_ptr<store::sqlite::Statement> m_insertTile;
};

} // namespace borderlens::exports
