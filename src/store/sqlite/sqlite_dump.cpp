#include "core/errors.h"
#include "store/dump_sql.h"
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace borderlens::store::sqlite {

namespace {

// A round's sources are cited by the round's position among the rounds (see dumpTables()); here
// they sit under the round's rowid.
constexpr const char* kInsertRecordSources =
    "INSERT INTO record_sources(kind, record_id, source_id) VALUES(?1, CASE WHEN ?1 = 'round' "
    "THEN (SELECT rowid FROM rounds ORDER BY id LIMIT 1 OFFSET ?2 - 1) ELSE ?2 END, ?3)";

std::string insertSql(const DumpTable& table) {
  if (isRecordSources(table)) return kInsertRecordSources;
  std::string columns;
  std::string values;
  for (const auto& column : table.columns) {
    if (!columns.empty()) {
      columns += ", ";
      values += ", ";
    }
    columns += column;
    values += column == "geom" ? "GeomFromWKB(?, 4326)" : "?";
  }
  return "INSERT INTO " + table.name + "(" + columns + ") VALUES(" + values + ")";
}

} // namespace

void SqliteStore::forEachDumpRow(const DumpTable& table,
                                 const std::function<bool(const DumpRow&)>& callback) {
  // SQLite puts NULLs first already.
  Statement select(*m_connection, dumpSelectSql(table, "AsBinary", ""));
  DumpRow row(table.columns.size());
  while (select.step()) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int column = static_cast<int>(i);
      switch (select.columnType(column)) {
        case SQLITE_INTEGER: row[i] = select.integer(column); break;
        case SQLITE_FLOAT: row[i] = select.real(column); break;
        case SQLITE_TEXT: row[i] = select.text(column); break;
        case SQLITE_BLOB: row[i] = select.blob(column); break;
        default: row[i] = std::monostate{};
      }
    }
    if (!callback(row)) return;
  }
}

void SqliteStore::restoreRows(const DumpTable& table, const std::vector<DumpRow>& rows) {
  Statement& insert = m_connection->cached(insertSql(table));
  std::int64_t rounds = 0;
  if (isRecordSources(table)) {
    Statement count(*m_connection, "SELECT count(*) FROM rounds");
    count.step();
    rounds = count.integer(0);
  }
  for (const auto& row : rows) {
    if (row.size() != table.columns.size()) {
      throw core::StoreError(table.name + ": a copied row has " + std::to_string(row.size()) +
                             " values for " + std::to_string(table.columns.size()) + " columns");
    }
    // A position that names no round would otherwise cite the first or no round.
    if (isRecordSources(table) && row[0] == DumpValue{std::string("round")}) {
      const auto* position = std::get_if<std::int64_t>(&row[1]);
      if (!position || *position < 1 || *position > rounds) {
        throw core::StoreError("record_sources: a copied round source cites round " +
                               (position ? std::to_string(*position) : std::string("(not a number)")) +
                               " of " + std::to_string(rounds));
      }
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              insert.bindNull(index);
            } else if constexpr (std::is_same_v<T, DumpBlob>) {
              insert.bindBlob(index, value);
            } else {
              insert.bind(index, value);
            }
          },
          row[i]);
    }
    insert.run();
  }
}

void SqliteStore::finishRestore() {
  m_connection->exec(R"SQL(
DELETE FROM search;
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(text), 'entity', entity_id FROM names;
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(value), 'entity', entity_id FROM identifiers;
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(title || ' ' || place || ' ' || description), 'incident', id
  FROM incidents;
)SQL");
  m_border.forget();
}

} // namespace borderlens::store::sqlite
