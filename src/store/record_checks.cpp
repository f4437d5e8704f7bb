#include "core/errors.h"
#include "store/store.h"

namespace borderlens::store {

void checkIncidentFields(const core::Incident& incident) {
  if (!(incident.confidence >= 0 && incident.confidence <= 1)) {
    throw core::InputRejected("incident '" + incident.title + "': confidence must lie in [0, 1]");
  }
  if (incident.span.lastDay() < incident.span.firstDay()) {
    throw core::InputRejected("incident '" + incident.title + "': ends before it starts");
  }
}

} // namespace borderlens::store
