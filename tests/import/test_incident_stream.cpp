// An incidents file is read on another thread while the import writes it (ops/incident_stream).
// Whatever happens midway, the database ends as before or with the whole file, and the report
// says what a reading of the whole file first would have said.
#include "core/errors.h"
#include "ops/import_op.h"
#include "ops/info_op.h"
#include "ops/init_op.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iomanip>
#include <string_view>

using namespace borderlens;
using test::TempDir;

namespace {

constexpr const char* kHeader =
    "id,kind,title,start,lon,lat,wkt,place,geo_precision,confidence,source_publisher,"
    "source_title,source_url\n";

struct Database {
  TempDir dir;
  std::string path = dir.file("stream.db");
  Database() {
    ops::InitOptions init;
    init.database = path;
    ops::runInit(init);
  }
  std::string info() const { return ops::infoJson(ops::runInfo({path})).dump(); }
  ops::ImportOptions options(const std::string& csv) const {
    ops::ImportOptions o;
    o.database = path;
    o.files = {csv};
    o.geodata = std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg";
    return o;
  }
};

// `count` good rows, several batches' worth of the stream.
std::string writeRows(const TempDir& dir, const std::string& name, int count,
                      const std::string& extra = "") {
  const std::string path = dir.file(name);
  std::ofstream out(path);
  out << kHeader;
  out << std::fixed << std::setprecision(5);
  for (int i = 0; i < count; ++i) {
    out << "s-" << i << ",seizure,stream " << i << ",2019-05-0" << (1 + i % 9) << ","
        << 124.0 + 0.0001 * i << "," << 40.0 + 0.00005 * i
        << ",,,exact,0.7,test publisher,test list,https://example.org/list\n";
  }
  out << extra;
  return path;
}

} // namespace

TEST_CASE("import: a streamed file is written whole, with the same points and distances") {
  Database db;
  const std::string csv = writeRows(db.dir, "rows.csv", 5000);
  const auto report = ops::runImport(db.options(csv), {});
  REQUIRE(report.files.size() == 1);
  CHECK(report.files[0].recordsRead == 5000);
  CHECK(report.files[0].incidentsCreated == 5000);
  auto store = store::openStore(db.path, store::OpenMode::ReadOnly);
  std::size_t seen = 0;
  store->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    const auto i = std::stoi(row.name.substr(std::string_view("stream ").size()));
    CHECK(row.lon == doctest::Approx(124.0 + 0.0001 * i).epsilon(1e-12));
    CHECK(row.lat == doctest::Approx(40.0 + 0.00005 * i).epsilon(1e-12));
    // Measured ahead on the reading thread, as the store measures one point alone.
    REQUIRE(row.borderKm);
    CHECK(*row.borderKm > 0);
    ++seen;
    return true;
  });
  CHECK(seen == 5000);
  // The same point written alone, outside the stream, gets the same distance.
  core::Incident lone;
  lone.kind = "seizure";
  lone.title = "lone";
  lone.span = {core::Date::ymd(2020, 1, 1), std::nullopt};
  lone.wkt = "POINT(124.12340 40.06170)";
  auto writer = store::openStore(db.path, store::OpenMode::ReadWrite);
  const auto id = writer->addIncident(lone);
  std::optional<double> streamed;
  std::optional<double> alone;
  writer->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    if (row.name == "stream 1234") streamed = row.borderKm;
    if (row.id == id) alone = row.borderKm;
    return true;
  });
  REQUIRE(streamed);
  REQUIRE(alone);
  CHECK(*streamed == *alone);
}

TEST_CASE("import: cancelling a streamed file midway leaves the database as it was") {
  Database db;
  const std::string before = db.info();
  const std::string csv = writeRows(db.dir, "rows.csv", 20000);
  int calls = 0;
  CHECK_THROWS_AS(ops::runImport(db.options(csv),
                                 [&](double, std::string_view message) {
                                   // Stops once writing is under way.
                                   return message.rfind("importing", 0) != 0 || ++calls < 3;
                                 }),
                  core::Cancelled);
  CHECK(calls == 3);
  CHECK(db.info() == before);
  // The database takes the same file afterwards.
  CHECK(ops::runImport(db.options(csv), {}).files.at(0).incidentsCreated == 20000);
}

TEST_CASE("import: a streamed file whose header fails fails before anything is written") {
  Database db;
  const std::string before = db.info();
  const std::string csv = writeRows(db.dir, "rows.csv", 10);
  auto options = db.options(csv);
  options.fieldMap["title"] = "headline";
  try {
    ops::runImport(options, {});
    FAIL("no error");
  } catch (const core::InputRejected& e) {
    CHECK(std::string(e.what()) == csv + ": --map title=headline: the file has no column 'headline'");
  }
  CHECK(db.info() == before);
}

TEST_CASE("import: a streamed file's rejected rows are all reported, in file order") {
  Database db;
  // Rows after the good ones, so that they arrive while earlier batches are being written.
  const std::string csv = writeRows(
      db.dir, "mixed.csv", 3000,
      "bad-date,seizure,bad date,2019-13-45,124.5,40.5,,,exact,0.5,p,t,https://example.org/\n"
      "s-7,seizure,again,2019-01-01,124.5,40.5,,,exact,0.5,p,t,https://example.org/\n");
  const auto report = ops::runImport(db.options(csv), {});
  const auto& file = report.files.at(0);
  CHECK(file.recordsRead == 3002);
  CHECK(file.incidentsCreated == 3000);
  REQUIRE(file.rejected.size() == 2);
  CHECK(file.rejected[0].where == csv + ":3002 (bad-date)");
  CHECK(file.rejected[0].what.find("not a date") != std::string::npos);
  CHECK(file.rejected[1].where == csv + ":3003 (s-7)");
  CHECK(file.rejected[1].what == "duplicate id 's-7' (first on line 9)");
}
