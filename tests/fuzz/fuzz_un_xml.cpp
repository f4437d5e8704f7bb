// The UN Security Council Consolidated List parser (ingest/un_xml.h) over arbitrary XML.

#include "fuzz_support.h"
#include "ingest/un_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string path = fuzz::writeScratch("consolidated.xml", fuzz::asText(data, size));
  fuzz::expectRefusalsOnly([&] { ingest::parseUnXml(path, {}); });
  return 0;
}
