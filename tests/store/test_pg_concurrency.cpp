#include "store/test_copy_support.h"
#include "support/fixture.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

using namespace borderlens;
using test::TempDir;

namespace {

const std::string kFixtures = BORDERLENS_FIXTURES;
const std::string kBorderlens = BORDERLENS_EXECUTABLE;
// Enough rows that each import takes long enough on a server for the other and the reader to
// run while it is open.
constexpr int kSyntheticRows = BORDERLENS_CONCURRENCY_ROWS;

// A made-up incidents CSV (docs/formats.md) for this test only: every row is labelled synthetic,
// stands for nothing real, links to no entity and cites one source of its own.
void writeSyntheticIncidents(const std::string& path, const std::string& tag) {
  std::ofstream out(path);
  out << "id,kind,title,start,end,lon,lat,wkt,geo_precision,place,description,confidence,links,"
         "source_publisher,source_title,source_date,source_url\n";
  for (int i = 0; i < kSyntheticRows; ++i) {
    const int year = 2016 + i % 4;
    const int month = 1 + i % 12;
    const int day = 1 + i % 28;
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    const double lon = 123.5 + 0.0001 * (i % 9000);
    const double lat = 39.5 + 0.00015 * (i % 7000);
    out << "syn-" << tag << "-" << i << ",seizure,Synthetic seizure " << tag << " " << i << ","
        << date << ",," << lon << "," << lat << ",,exact,Synthetic place " << tag
        << ",A synthetic row for the concurrency test.,0.5,,borderlens concurrency test "
           "(synthetic),synthetic incidents "
        << tag << ",2026-11-28,https://example.org/synthetic-" << tag << "\n";
  }
}

// The counts `info --json` reports that two imports of unrelated files simply add up.
const std::vector<std::string>& additiveCounts() {
  static const std::vector<std::string> keys{
      "entities", "names",   "identifiers", "locations",          "designations",
      "rounds",   "incidents", "sources",   "links",              "unlocated_entities",
      "import_batches"};
  return keys;
}

struct Counts {
  std::map<std::string, std::int64_t> values;
  bool operator==(const Counts&) const = default;
};

Counts countsOf(const nlohmann::json& info) {
  Counts counts;
  for (const auto& key : additiveCounts()) counts.values[key] = info.at(key).get<std::int64_t>();
  return counts;
}

Counts operator+(const Counts& a, const Counts& b) {
  Counts sum = a;
  for (const auto& [key, value] : b.values) sum.values[key] += value;
  return sum;
}

std::string describe(const Counts& counts) {
  std::string out;
  for (const auto& [key, value] : counts.values) out += key + "=" + std::to_string(value) + " ";
  return out;
}

// Splits CSV text into records of fields (RFC 4180 quoting, newlines inside quotes).
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

struct QueryRows {
  std::int64_t entityRows = 0;
  std::int64_t incidentRows = 0;
  std::string problem;  // the first incomplete record, if any
};

QueryRows queryRows(const std::string& csv) {
  QueryRows rows;
  const auto records = parseCsv(csv);
  if (records.empty()) {
    rows.problem = "no header";
    return rows;
  }
  const std::size_t columns = records.front().size();
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.size() != columns || r.at(1).empty() || r.at(3).empty() || r.at(4).empty()) {
      if (rows.problem.empty()) rows.problem = "row " + std::to_string(i) + " is incomplete";
      continue;
    }
    (r.at(0) == "entity" ? rows.entityRows : rows.incidentRows) += 1;
  }
  return rows;
}

void initServerDatabase(const std::string& location, const std::string& workDir) {
  const auto init = test::runBorderlens(kBorderlens, {"init", location, "--no-border"}, workDir);
  REQUIRE_MESSAGE(init.exitCode == 0, init.err);
}

// What each import gives on a database of its own.
struct Alone {
  Counts importOne;
  Counts importTwo;
  QueryRows rowsOne;
  QueryRows rowsTwo;
};

} // namespace

TEST_CASE("pg concurrency: two imports, a reader and copies at once lose nothing, never block") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  const std::string work = dir.path().string();
  writeSyntheticIncidents(dir.file("synthetic-a.csv"), "a");
  writeSyntheticIncidents(dir.file("synthetic-b.csv"), "b");
  // Two imports of unrelated files: a sanctions list with incidents, and other incidents. Neither
  // links to the other's records, so what they add does not depend on which commits first.
  const std::vector<std::string> one{kFixtures + "/un/consolidated.xml", dir.file("synthetic-a.csv")};
  const std::vector<std::string> two{dir.file("synthetic-b.csv")};
  const auto importArgs = [](const std::string& location, const std::vector<std::string>& files) {
    std::vector<std::string> args{"import", location};
    args.insert(args.end(), files.begin(), files.end());
    return args;
  };
  const auto info = [&](const std::string& location) {
    const auto result = test::runBorderlens(kBorderlens, {"info", "--json", location}, work);
    REQUIRE_MESSAGE(result.exitCode == 0, result.err);
    return nlohmann::json::parse(result.out);
  };
  const auto query = [&](const std::string& location) {
    const auto result =
        test::runBorderlens(kBorderlens, {"query", location, "--format", "csv"}, work);
    REQUIRE_MESSAGE(result.exitCode == 0, result.err);
    return queryRows(result.out);
  };

  // Each import alone, on a database of its own: what the concurrent run must add up to.
  Alone alone;
  Counts empty;
  {
    test::PgTestDatabase first(server);
    initServerDatabase(first.location(), work);
    empty = countsOf(info(first.location()));
    const auto run = test::runBorderlens(kBorderlens, importArgs(first.location(), one), work);
    REQUIRE_MESSAGE(run.exitCode == 0, run.err);
    alone.importOne = countsOf(info(first.location()));
    alone.rowsOne = query(first.location());
  }
  {
    test::PgTestDatabase second(server);
    initServerDatabase(second.location(), work);
    const auto run = test::runBorderlens(kBorderlens, importArgs(second.location(), two), work);
    REQUIRE_MESSAGE(run.exitCode == 0, run.err);
    alone.importTwo = countsOf(info(second.location()));
    alone.rowsTwo = query(second.location());
  }
  REQUIRE(alone.importOne.values.at("incidents") == kSyntheticRows);
  REQUIRE(alone.importTwo.values.at("incidents") == kSyntheticRows);
  REQUIRE(alone.importOne.values.at("entities") > 0);
  for (const auto& [key, value] : empty.values) REQUIRE_MESSAGE(value == 0, key);

  // Both at once, with a reader looping until both are done.
  test::PgTestDatabase shared(server);
  initServerDatabase(shared.location(), work);
  const pid_t importOne = test::spawnBorderlens(kBorderlens, importArgs(shared.location(), one),
                                                dir.file("one.out"), dir.file("one.err"));
  const pid_t importTwo = test::spawnBorderlens(kBorderlens, importArgs(shared.location(), two),
                                                dir.file("two.out"), dir.file("two.err"));
  std::map<pid_t, int> exitCodes;
  const auto finished = [&](pid_t pid) {
    if (exitCodes.count(pid)) return true;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) != pid) return false;
    exitCodes[pid] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  };

  // Every state a reader may see: none, either, or both imports, each whole.
  const Counts none = empty;
  const std::vector<Counts> states{none, alone.importOne, alone.importTwo,
                                   alone.importOne + alone.importTwo};
  std::set<std::size_t> seenStates;
  Counts previous = none;
  int reads = 0;
  bool last = false;
  while (!last) {
    // One more read after both have finished, so the final state is read the same way.
    const bool oneDone = finished(importOne);
    const bool twoDone = finished(importTwo);
    last = oneDone && twoDone;
    const Counts now = countsOf(info(shared.location()));
    ++reads;
    INFO("read " << reads << ": " << describe(now));
    const auto state = std::find(states.begin(), states.end(), now);
    CHECK_MESSAGE(state != states.end(), "a reader saw part of an import");
    if (state != states.end()) seenStates.insert(static_cast<std::size_t>(state - states.begin()));
    for (const auto& [key, value] : now.values) CHECK_MESSAGE(value >= previous.values.at(key), key);
    previous = now;

    const QueryRows rows = query(shared.location());
    CHECK_MESSAGE(rows.problem.empty(), rows.problem);
    const std::set<std::int64_t> incidentRows{0, alone.rowsOne.incidentRows,
                                              alone.rowsTwo.incidentRows,
                                              alone.rowsOne.incidentRows + alone.rowsTwo.incidentRows};
    CHECK(incidentRows.count(rows.incidentRows) == 1);
    CHECK((rows.entityRows == 0 || rows.entityRows == alone.rowsOne.entityRows));

    // A copy taken meanwhile is one state of the server too, never half an import.
    if (reads % 2 == 1) {
      const std::string copyFile = dir.file("copy" + std::to_string(reads) + ".db");
      const auto copied =
          test::runBorderlens(kBorderlens, {"copy", shared.location(), copyFile}, work);
      CHECK_MESSAGE(copied.exitCode == 0, copied.err);
      if (copied.exitCode == 0) {
        const Counts inCopy = countsOf(info(copyFile));
        CHECK_MESSAGE(std::find(states.begin(), states.end(), inCopy) != states.end(),
                      "a copy holds part of an import: " << describe(inCopy));
      }
    }
  }
  MESSAGE("reads while importing: " << reads << ", states seen: " << seenStates.size());

  CHECK_MESSAGE(exitCodes.at(importOne) == 0, test::readFile(dir.file("one.err")));
  CHECK_MESSAGE(exitCodes.at(importTwo) == 0, test::readFile(dir.file("two.err")));
  const Counts final = countsOf(info(shared.location()));
  INFO("after both: " << describe(final));
  INFO("alone: " << describe(alone.importOne) << "/ " << describe(alone.importTwo));
  CHECK(final == alone.importOne + alone.importTwo);
  const QueryRows rows = query(shared.location());
  CHECK(rows.problem.empty());
  CHECK(rows.entityRows == alone.rowsOne.entityRows);
  CHECK(rows.incidentRows == alone.rowsOne.incidentRows + alone.rowsTwo.incidentRows);

  // Every row of both files arrived, each once: the same import again is a no-op for both.
  const auto again = test::runBorderlens(
      kBorderlens, {"import", shared.location(), dir.file("synthetic-a.csv"),
                    dir.file("synthetic-b.csv"), "--json"},
      work);
  REQUIRE_MESSAGE(again.exitCode == 0, again.err);
  const auto report = nlohmann::json::parse(again.out);
  for (const auto& file : report.at("files")) {
    CHECK_MESSAGE(!file.at("skipped").get<std::string>().empty(), file.dump());
  }
  CHECK(countsOf(info(shared.location())) == final);
}
