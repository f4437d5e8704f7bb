// The rounds table of docs/formats.md (ingest/rounds_csv.h).

#include "fuzz_support.h"
#include "ingest/rounds_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string path = fuzz::writeScratch("rounds.csv", fuzz::asText(data, size));
  fuzz::expectRefusalsOnly([&] { ingest::parseRoundsCsv(path, {}); });
  return 0;
}
