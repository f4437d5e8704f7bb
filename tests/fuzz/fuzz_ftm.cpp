// OpenSanctions inputs (ingest/ftm.h): FollowTheMoney JSON lines and targets.simple.csv, both
// over every input, and the authority-name normaliser over the raw text.

#include "fuzz_support.h"
#include "ingest/ftm.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string_view text = fuzz::asText(data, size);
  const std::string json = fuzz::writeScratch("entities.ftm.json", text);
  fuzz::expectRefusalsOnly([&] { ingest::parseFtmJson(json, {}); });
  const std::string csv = fuzz::writeScratch("targets.simple.csv", text);
  fuzz::expectRefusalsOnly([&] { ingest::parseFtmTargetsCsv(csv, {}); });
  ingest::normaliseAuthority(text);
  return 0;
}
