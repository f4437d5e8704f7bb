// Text search (store/filter.h, core/utf8.h): ftsQuery must turn any user text into a valid FTS5
// MATCH expression ("user text never reaches FTS5 syntax unquoted"), checked against a real
// FTS5 table with the store's tokenizer; searchIndexText must stay valid UTF-8.

#include "core/utf8.h"
#include "fuzz_support.h"
#include "store/filter.h"

#include <sqlite3.h>

namespace {

sqlite3_stmt* matchStatement() {
  static sqlite3_stmt* statement = [] {
    sqlite3* db = nullptr;
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');"
                     "INSERT INTO search(body) VALUES ('dandong hongxiang 丹 东 鸿 祥 조 선');",
                     nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*) FROM search WHERE search MATCH ?", -1, &prepared,
                           nullptr) != SQLITE_OK) {
      std::abort();
    }
    return prepared;
  }();
  return statement;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string text(fuzz::asText(data, size));
  const std::string index = core::searchIndexText(text);
  if (core::isValidUtf8(text) && !core::isValidUtf8(index)) fuzz::invariantBroken("index text not UTF-8");
  const std::string query = store::ftsQuery(text);
  if (query.empty()) return 0;
  sqlite3_stmt* statement = matchStatement();
  sqlite3_bind_text(statement, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_ROW) {
    std::fprintf(stderr, "FTS5 refused %s\n", query.c_str());
    fuzz::invariantBroken("ftsQuery produced an expression FTS5 cannot parse");
  }
  return 0;
}
