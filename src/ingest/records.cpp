#include "ingest/records.h"

namespace borderlens::ingest {

std::string RecordRef::toString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (!id.empty()) out += (line > 0 ? " (" : ": record ") + id + (line > 0 ? ")" : "");
  return out;
}

} // namespace borderlens::ingest
