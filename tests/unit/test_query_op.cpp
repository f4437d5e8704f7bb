// The query op read in parallel parts: the same output, byte for byte, for any number of
// readers, in every format; and a failed output stops every reader without hanging.
#include "core/errors.h"
#include "ops/query_op.h"
#include "store/store.h"
#include "support/fixture.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <streambuf>
#include <string>

using namespace borderlens;

namespace {

// The fixture, plus enough generated incidents (points, a few polygons, some linked to the
// fixture's entities) that each part of a query writes many chunks.
std::string makeDatabase(const test::TempDir& dir) {
  const std::string path = dir.file("query.db");
  auto db = store::openStore(path, store::OpenMode::Create);
  const test::FixtureIds ids = test::fillFixture(*db);
  store::Transaction transaction(*db);
  for (int i = 0; i < 12000; ++i) {
    core::Incident incident;
    incident.kind = core::incidentKinds()[static_cast<std::size_t>(i) % core::incidentKinds().size()];
    incident.title = "generated incident " + std::to_string(i) + (i % 7 == 0 ? " 丹东" : "");
    incident.span = {core::Date::ymd(2006 + i % 20, 1 + static_cast<unsigned>(i % 12), 1), std::nullopt};
    const double lon = 123.5 + (i % 97) * 0.02;
    const double lat = 39.5 + (i % 89) * 0.02;
    incident.wkt = i % 50 == 0 ? "POLYGON((" + std::to_string(lon) + " " + std::to_string(lat) + ", " +
                                     std::to_string(lon + 0.01) + " " + std::to_string(lat) + ", " +
                                     std::to_string(lon) + " " + std::to_string(lat + 0.01) + ", " +
                                     std::to_string(lon) + " " + std::to_string(lat) + "))"
                               : "POINT(" + std::to_string(lon) + " " + std::to_string(lat) + ")";
    incident.confidence = (i % 10) / 10.0;
    const core::RecordId id = db->addIncident(incident);
    if (i % 31 == 0) db->addIncidentLink({id, i % 2 ? ids.dandongTrading : ids.fixtureStar, "vessel"});
  }
  transaction.commit();
  return path;
}

std::string run(ops::QueryOptions options, unsigned threads, ops::QueryReport* report = nullptr) {
  options.threads = threads;
  std::ostringstream out;
  const ops::QueryReport r = ops::runQuery(options, out);
  if (report) *report = r;
  return out.str();
}

// Fails every write once `limit` bytes have gone through, as a closed pipe does.
class FailingBuffer : public std::streambuf {
 public:
  explicit FailingBuffer(std::size_t limit) : m_left(limit) {}

 protected:
  std::streamsize xsputn(const char*, std::streamsize count) override {
    if (static_cast<std::size_t>(count) > m_left) return 0;
    m_left -= static_cast<std::size_t>(count);
    return count;
  }
  int_type overflow(int_type c) override {
    if (m_left == 0) return traits_type::eof();
    --m_left;
    return traits_type::not_eof(c);
  }

 private:
  std::size_t m_left;
};

} // namespace

TEST_CASE("query: any number of readers writes the same output in every format") {
  const test::TempDir dir;
  ops::QueryOptions options;
  options.database = makeDatabase(dir);
  store::FilterSpec window;
  window.window.from = core::Date::y(2012).firstDay();
  window.window.to = core::Date::y(2019).lastDay();
  store::FilterSpec box;
  box.bbox = geo::BBox{123.9, 39.8, 124.8, 40.6};
  store::FilterSpec linked;
  linked.authorities = {"UN"};
  for (const auto& filter : {store::FilterSpec{}, window, box, linked}) {
    for (const auto format : {ops::QueryFormat::Csv, ops::QueryFormat::Table, ops::QueryFormat::GeoJson}) {
      options.filter = filter;
      options.format = format;
      ops::QueryReport alone;
      const std::string expected = run(options, 1, &alone);
      CAPTURE(static_cast<int>(format));
      CAPTURE(alone.incidents);
      CHECK(alone.incidents > 150);
      for (unsigned threads : {2u, 3u, 5u}) {
        CAPTURE(threads);
        ops::QueryReport report;
        CHECK(run(options, threads, &report) == expected);
        CHECK(report.incidents == alone.incidents);
        CHECK(report.entities == alone.entities);
        CHECK(report.readers == threads);
      }
      // Parts that must wait for the output after every chunk still give the same bytes.
      options.readAheadBytes = 1;
      CHECK(run(options, 4) == expected);
      options.readAheadBytes = ops::QueryOptions{}.readAheadBytes;
    }
  }
  // A GeoJSON output is one valid collection whatever part its first feature came from.
  options.filter = {};
  options.format = ops::QueryFormat::GeoJson;
  const std::string json = run(options, 3);
  CHECK(json.rfind("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\"", 0) == 0);
  CHECK(json.find(",,") == std::string::npos);
  CHECK(json.find("[,") == std::string::npos);
}

TEST_CASE("query: an output that fails stops every reader, even those waiting to write") {
  const test::TempDir dir;
  ops::QueryOptions options;
  options.database = makeDatabase(dir);
  options.format = ops::QueryFormat::Csv;
  for (const std::size_t readAhead : {std::size_t{1}, ops::QueryOptions{}.readAheadBytes}) {
    for (const std::size_t failAfter : {std::size_t{100}, std::size_t{50000}}) {
      CAPTURE(readAhead);
      CAPTURE(failAfter);
      options.readAheadBytes = readAhead;
      options.threads = 4;
      FailingBuffer buffer(failAfter);
      std::ostream out(&buffer);
      CHECK_THROWS_AS(ops::runQuery(options, out), core::OutputFailed);
    }
  }
}

TEST_CASE("query: a limit reads alone and stops at the limit") {
  const test::TempDir dir;
  ops::QueryOptions options;
  options.database = makeDatabase(dir);
  options.format = ops::QueryFormat::Csv;
  options.limit = 10;
  ops::QueryReport report;
  const std::string out = run(options, 4, &report);
  CHECK(report.readers == 1);
  CHECK(std::count(out.begin(), out.end(), '\n') == 11);
  CHECK(out == run(options, 1));
}
