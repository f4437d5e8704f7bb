// The Store calls the importer relies on to recognise and update records it meets again. Written
// against the Store interface, so that every backend can be held to them.
#include "core/errors.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace borderlens;
using test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<store::Store> db =
      store::openStore(dir.file("store.db"), store::OpenMode::Create);
  test::FixtureIds ids = test::fillFixture(*db, false);
};

core::RecordId addSource(store::Store& db, const std::string& published) {
  return db.addSource({0, "publisher", "a list", published, "", "list.csv", "sha-" + published});
}

} // namespace

TEST_CASE("store import support: digests carry kind, names, identifiers and countries") {
  Fixture f;
  const auto digests = f.db->entityDigests();
  REQUIRE(digests.size() == 4);
  const auto trading = std::find_if(digests.begin(), digests.end(),
                                    [&](const auto& d) { return d.id == f.ids.dandongTrading; });
  REQUIRE(trading != digests.end());
  CHECK(trading->kind == core::EntityKind::Organization);
  CHECK(trading->names.front().text == "Dandong Fixture Trading Co");
  CHECK(trading->names.front().primary);
  CHECK(trading->identifiers.at(0).scheme == "ofac");
  CHECK(trading->countries == std::vector<std::string>{"cn"});
}

TEST_CASE("store import support: extending an entity adds only what it lacks") {
  Fixture f;
  const auto before = *f.db->entity(f.ids.dandongTrading);
  const core::RecordId source = addSource(*f.db, "2024-05-01");
  core::Entity more;
  more.kind = core::EntityKind::Vessel;
  more.names = {{"Dandong Fixture Trading Co", core::Script::Latin, "", true, ""},
                {"DFT", core::Script::Latin, "", false, "a.k.a."}};
  more.identifiers = {{"ofac", "90001"}, {"imo", "9100001"}};
  more.locations = {before.locations.front(),
                    {0, "POINT(125.75 39.03)", core::Precision::Country, "Korea, North", "kp"}};
  more.notes = "from another list";
  more.firstSeen = core::Date::ymd(2016, 1, 1);
  more.lastSeen = core::Date::ymd(2024, 5, 1);
  more.sourceIds = {source};
  f.db->extendEntity(f.ids.dandongTrading, more);

  const auto after = *f.db->entity(f.ids.dandongTrading);
  CHECK(after.kind == core::EntityKind::Organization);
  CHECK(after.names.size() == before.names.size() + 1);
  CHECK(after.identifiers.size() == before.identifiers.size() + 1);
  CHECK(after.locations.size() == before.locations.size() + 1);
  CHECK(after.notes == "from another list");
  CHECK(after.firstSeen == core::Date::ymd(2016, 1, 1));
  CHECK(after.lastSeen == core::Date::ymd(2024, 5, 1));
  CHECK(std::count(after.sourceIds.begin(), after.sourceIds.end(), source) == 1);
  // What was added is searchable.
  store::FilterSpec filter;
  filter.text = "DFT";
  bool found = false;
  f.db->forEachFeature(filter, {}, [&](const store::FeatureRow& row) {
    found = found || row.id == f.ids.dandongTrading;
    return true;
  });
  CHECK(found);
  // Extending twice with the same changes nothing more.
  f.db->extendEntity(f.ids.dandongTrading, more);
  const auto again = *f.db->entity(f.ids.dandongTrading);
  CHECK(again.names.size() == after.names.size());
  CHECK(again.locations.size() == after.locations.size());
  CHECK(again.notes == after.notes);
}

TEST_CASE("store import support: designations by authority know their newest list date") {
  Fixture f;
  const auto rows = f.db->designationsByAuthority("OFAC");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].lastListed == "2026-11-28");
  CHECK(rows[0].designation.programs == std::vector<std::string>{"DPRK3", "NPWMD"});

  core::Designation d = rows[0].designation;
  d.delisted = core::Date::ymd(2024, 6, 1);
  d.programs.push_back("DPRK4");
  d.roundId = "OFAC-2016-09-26";
  d.sourceIds = {addSource(*f.db, "2030-01-01")};
  f.db->updateDesignation(d);
  const auto updated = f.db->designationsByAuthority("OFAC");
  CHECK(updated[0].designation.delisted == core::Date::ymd(2024, 6, 1));
  CHECK(updated[0].designation.programs.size() == 3);
  CHECK(updated[0].lastListed == "2030-01-01");
  CHECK(updated[0].designation.sourceIds.size() == 2);
}

TEST_CASE("store import support: import batches and incidents are found again") {
  Fixture f;
  CHECK_FALSE(f.db->findImportBatch("abc"));
  core::ImportBatch batch{
      0, "un.xml", "abc", "un-xml", "2024-05-01T00:00:00Z", "2024-05-01T00:00:01Z", "{}"};
  const auto id = f.db->addImportBatch(batch);
  const auto found = f.db->findImportBatch("abc");
  REQUIRE(found);
  CHECK(found->id == id);
  CHECK(found->file == "un.xml");
  CHECK(found->format == "un-xml");

  const auto seizure = f.db->incident(f.ids.seizure);
  REQUIRE(seizure);
  CHECK(f.db->findIncident(seizure->externalId, seizure->kind, seizure->span.start.toString()) ==
        f.ids.seizure);
  CHECK_FALSE(f.db->findIncident(seizure->externalId, "other", seizure->span.start.toString()));
  const core::RecordId source = addSource(*f.db, "2024-05-01");
  f.db->addRecordSources("incident", f.ids.seizure, {source});
  CHECK(f.db->incident(f.ids.seizure)->sourceIds.size() == 2);
}
