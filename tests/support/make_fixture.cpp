// Writes the test fixture database for the CLI golden tests: `bl_test_fixture OUT.db` or
// `bl_test_fixture OUT.db --newer-schema` (the fixture stamped with a future schema version).
#include "store/store.h"
#include "support/fixture.h"

#include <sqlite3.h>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bl_test_fixture OUT.db [--newer-schema]\n";
    return 2;
  }
  const std::string path = argv[1];
  std::filesystem::remove(path);
  {
    auto store = borderlens::store::openStore(path, borderlens::store::OpenMode::Create);
    borderlens::test::fillFixture(*store);
  }
  if (argc > 2 && std::string(argv[2]) == "--newer-schema") {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
  }
  // Fold the WAL into the main file so the fixture is one self-contained file.
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return 0;
}
