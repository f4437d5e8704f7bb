#pragma once

#include "store/store.h"

#include <string>

namespace borderlens::store {

// record_sources, whose 'round' rows the dump carries by the round's position (see dumpTables()).
bool isRecordSources(const DumpTable& table);

// The SELECT that streams a table's dump rows in dumpTables()' order: ordered by each column but
// the geometry in turn, NULLs first and text bytewise. asBinary: the backend's function from a
// geometry to WKB; nullsFirst: what its ORDER BY needs after a column to put NULLs first.
std::string dumpSelectSql(const DumpTable& table, const std::string& asBinary,
                          const std::string& nullsFirst);

} // namespace borderlens::store
