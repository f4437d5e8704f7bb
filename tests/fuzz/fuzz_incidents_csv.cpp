// The incidents CSV reader (ingest/incidents.h), borderlens' own columns and ACLED exports alike;
// the first line of the input, when it starts with "#map ", maps our field names to columns
// ("#map title=EVENT,start=DAY"), as `import --map` does.

#include "fuzz_support.h"
#include "ingest/incidents.h"

#include <map>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  std::string_view text = fuzz::asText(data, size);
  std::map<std::string, std::string> fieldMap;
  if (text.starts_with("#map ")) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    for (const std::string_view pair : fuzz::splitAt(text.substr(5, end - 5), ',')) {
      const std::size_t equals = pair.find('=');
      if (equals != std::string_view::npos) {
        fieldMap[std::string(pair.substr(0, equals))] = std::string(pair.substr(equals + 1));
      }
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  const std::string path = fuzz::writeScratch("incidents.csv", text);
  fuzz::expectRefusalsOnly([&] { ingest::parseIncidents(path, fieldMap, {}); });
  return 0;
}
