#include "core/errors.h"
#include "store/dump_sql.h"
#include "store/postgis/pg_schema.h"
#include "store/postgis/pg_store.h"

#include <map>
#include <vector>

namespace borderlens::store::postgis {

namespace {

[[noreturn]] void mismatch(const DumpTable& table, const std::string& column, const char* type) {
  throw core::StoreError(table.name + "." + column + ": a copied value that is not " + type);
}

void appendValue(BinaryCopy& copy, const DumpTable& table, const std::string& column,
                 const std::string& type, const DumpValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    copy.null();
  } else if (type == "bigint") {
    if (const auto* v = std::get_if<std::int64_t>(&value)) copy.int8(*v);
    else mismatch(table, column, "an integer");
  } else if (type == "double precision") {
    if (const auto* v = std::get_if<double>(&value)) copy.float8(*v);
    else if (const auto* i = std::get_if<std::int64_t>(&value)) copy.float8(static_cast<double>(*i));
    else mismatch(table, column, "a number");
  } else if (type == "text") {
    if (const auto* v = std::get_if<std::string>(&value)) copy.text(*v);
    else mismatch(table, column, "text");
  } else if (type == "geometry") {
    if (const auto* v = std::get_if<DumpBlob>(&value)) copy.geometry(*v, 4326);
    else mismatch(table, column, "a WKB geometry");
  } else {
    throw core::StoreError(table.name + "." + column + ": no copy for column type " + type);
  }
}

} // namespace

void PgStore::forEachDumpRow(const DumpTable& table,
                             const std::function<bool(const DumpRow&)>& callback) {
  flush();
  const Snapshot snapshot(*m_connection);
  DumpRow row(table.columns.size());
  // Text sorts bytewise as in SQLite: the columns are COLLATE "C".
  const std::string sql = dumpSelectSql(table, "ST_AsBinary", " NULLS FIRST");
  m_connection->stream(sql, {}, [&](const Result& rows, int r) {
    for (std::size_t i = 0; i < row.size(); ++i) row[i] = rows.value(r, static_cast<int>(i));
    return callback(row);
  });
}

void PgStore::restoreRows(const DumpTable& table, const std::vector<DumpRow>& rows) {
  flush();
  // Ids counted before the copy no longer hold, nor do remembered sources and incidents.
  m_lastIds.clear();
  m_sourceIds.clear();
  m_incidentKeys.clear();
  m_incidentKeysLoaded = false;
  const Result described = m_connection->query(
      "SELECT attname::text, format_type(atttypid, NULL) FROM pg_attribute "
      "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
      Params().add(table.name));
  std::map<std::string, std::string> types;
  for (int row = 0; row < described.rows(); ++row) {
    types[described.text(row, 0)] = described.text(row, 1);
  }
  std::vector<std::string> columnTypes;
  std::string columns;
  for (const auto& column : table.columns) {
    const auto it = types.find(column);
    if (it == types.end()) throw core::StoreError(table.name + ": no column " + column);
    columnTypes.push_back(it->second);
    columns += (columns.empty() ? "" : ", ") + column;
  }
  if (table.name == "rounds") {
    // SQLite numbers the restored rounds' rowids max + 1 in the order they come; so does this.
    m_connection->query("SELECT setval(pg_get_serial_sequence('rounds', 'rowid'), "
                        "coalesce(max(rowid), 0) + 1, false) FROM rounds");
  }
  // A round's position (see dumpTables()) back to its rowid here; a position that names
  // no round is refused, as SqliteStore refuses it.
  std::vector<core::RecordId> roundRowids;
  if (isRecordSources(table)) {
    const Result rounds = m_connection->query("SELECT rowid FROM rounds ORDER BY id");
    for (int row = 0; row < rounds.rows(); ++row) roundRowids.push_back(rounds.integer(row, 0));
  }
  const auto roundRowid = [&](const DumpValue& position) -> DumpValue {
    const auto* at = std::get_if<std::int64_t>(&position);
    if (!at) mismatch(table, "record_id", "an integer");
    if (*at < 1 || static_cast<std::size_t>(*at) > roundRowids.size()) {
      throw core::StoreError("record_sources: a copied round source cites round " +
                             std::to_string(*at) + " of " + std::to_string(roundRowids.size()));
    }
    return roundRowids[static_cast<std::size_t>(*at - 1)];
  };
  BinaryCopy copy;
  const std::string sql = "COPY " + table.name + "(" + columns + ") FROM STDIN (FORMAT binary)";
  for (const auto& row : rows) {
    if (row.size() != table.columns.size()) {
      throw core::StoreError(table.name + ": a copied row has " + std::to_string(row.size()) +
                             " values for " + std::to_string(table.columns.size()) + " columns");
    }
    copy.row(static_cast<int>(row.size()));
    const bool round = isRecordSources(table) && std::holds_alternative<std::string>(row[0]) &&
                       std::get<std::string>(row[0]) == "round";
    for (std::size_t i = 0; i < row.size(); ++i) {
      appendValue(copy, table, table.columns[i], columnTypes[i],
                  round && i == 1 ? roundRowid(row[i]) : row[i]);
    }
    if (copy.bytes() > (16u << 20)) m_connection->copyIn(sql, copy.take());
  }
  if (!copy.empty()) m_connection->copyIn(sql, copy.take());
}

void PgStore::finishRestore() {
  flush();
  rebuildSearch(*m_connection, m_local);
  for (const auto& [table, column] : std::vector<std::pair<std::string, std::string>>{
           {"sources", "id"}, {"import_batches", "id"}, {"entities", "id"}, {"names", "id"},
           {"locations", "id"}, {"rounds", "rowid"}, {"designations", "id"}, {"incidents", "id"},
           {"entity_links", "id"}, {"border_lines", "id"}}) {
    m_connection->query("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column +
                        "'), coalesce(max(" + column + "), 0) + 1, false) FROM " + table);
  }
  m_connection->command(
      "ANALYZE sources, import_batches, entities, names, identifiers, locations, rounds, "
      "designations, designation_programs, incidents, incident_entities, entity_links, "
      "record_sources, border_lines, search");
  m_lastIds.clear();
  m_sourceIds.clear();
  m_border.forget();
}

} // namespace borderlens::store::postgis
