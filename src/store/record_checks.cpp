#include "core/errors.h"
#include "store/store.h"

namespace borderlens::store {

std::string incidentKey(const std::string& externalId, const std::string& kind,
                        const std::string& start) {
  std::string key;
  for (const std::string* part : {&externalId, &kind, &start})
    ((key += std::to_string(part->size())) += ':') += *part;
  return key;
}

void checkIncidentFields(const core::Incident& incident) {
  if (!(incident.confidence >= 0 && incident.confidence <= 1)) {
    throw core::InputRejected("incident '" + incident.title + "': confidence must lie in [0, 1]");
  }
  if (incident.span.lastDay() < incident.span.firstDay()) {
    throw core::InputRejected("incident '" + incident.title + "': ends before it starts");
  }
}

} // namespace borderlens::store
