#include "store/dump_sql.h"

#include <vector>

namespace borderlens::store {

namespace {

// Rounds are keyed by their text id, but record_sources cites records by integer: a round's
// sources sit under its rowid, an accident of insertion order. The dump carries instead the
// round's 1-based position among the rounds ordered by id (bytewise), which every backend can
// compute and map back to its own key.
constexpr const char* kSelectRecordSources =
    "SELECT s.kind, CASE WHEN s.kind = 'round' THEN "
    "(SELECT count(*) FROM rounds o, rounds r WHERE r.rowid = s.record_id AND o.id <= r.id) "
    "ELSE s.record_id END, s.source_id FROM record_sources s ORDER BY 1, 2, 3";

} // namespace

bool isRecordSources(const DumpTable& table) {
  return table.name == "record_sources" &&
         table.columns == std::vector<std::string>{"kind", "record_id", "source_id"};
}

std::string dumpSelectSql(const DumpTable& table, const std::string& asBinary,
                          const std::string& nullsFirst) {
  if (isRecordSources(table)) return kSelectRecordSources;
  std::string columns;
  std::string order;
  for (const auto& column : table.columns) {
    if (!columns.empty()) columns += ", ";
    if (column == "geom") {
      columns += asBinary + "(geom)";
      continue;
    }
    columns += column;
    order += (order.empty() ? "" : ", ") + column + nullsFirst;
  }
  return "SELECT " + columns + " FROM " + table.name + " ORDER BY " + order;
}

} // namespace borderlens::store
