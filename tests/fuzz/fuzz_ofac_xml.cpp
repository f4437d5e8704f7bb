// OFAC's legacy sdn.xml and the SDN advanced XML (ingest/ofac_xml.h), both over every input:
// each parser must refuse the other's format cleanly.

#include "fuzz_support.h"
#include "ingest/ofac_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string path = fuzz::writeScratch("sdn.xml", fuzz::asText(data, size));
  fuzz::expectRefusalsOnly([&] { ingest::parseOfacXml(path, {}); });
  fuzz::expectRefusalsOnly([&] { ingest::parseOfacAdvancedXml(path, {}); });
  return 0;
}
