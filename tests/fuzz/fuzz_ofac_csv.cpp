// OFAC's legacy CSV trio (ingest/ofac_csv.h). The input holds sdn.csv, add.csv and alt.csv
// separated by 0x1E bytes; a missing part is an absent companion.

#include "fuzz_support.h"
#include "ingest/ofac_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const auto parts = fuzz::splitAt(fuzz::asText(data, size), '\x1e');
  ingest::OfacCsvFiles files;
  files.sdn = fuzz::writeScratch("sdn.csv", parts[0]);
  if (parts.size() > 1) files.add = fuzz::writeScratch("add.csv", parts[1]);
  if (parts.size() > 2) files.alt = fuzz::writeScratch("alt.csv", parts[2]);
  fuzz::expectRefusalsOnly([&] { ingest::parseOfacCsv(files, {}); });
  // The Remarks and program parsers the XML parser shares, on the raw text.
  ingest::EntityRecord record;
  ingest::applyOfacRemarks(std::string(parts[0]), record);
  ingest::splitOfacPrograms(std::string(parts[0]));
  return 0;
}
