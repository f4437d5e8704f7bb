#include "core/errors.h"
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <string>

namespace borderlens::store::sqlite {

namespace {

std::string selectSql(const DumpTable& table) {
  std::string columns;
  std::string order;
  for (const auto& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    if (column == "geom") {
      columns += "AsBinary(geom)";
      continue;
    }
    columns += column;
    order += order.empty() ? column : ", " + column;
  }
  return "SELECT " + columns + " FROM " + table.name + " ORDER BY " + order;
}

std::string insertSql(const DumpTable& table) {
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
  Statement select(*m_connection, selectSql(table));
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
  for (const auto& row : rows) {
    if (row.size() != table.columns.size()) {
      throw core::StoreError(table.name + ": a copied row has " + std::to_string(row.size()) +
                             " values for " + std::to_string(table.columns.size()) + " columns");
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
  m_border.reset();
  m_borderLoaded = false;
}

} // namespace borderlens::store::sqlite
