#include "core/errors.h"
#include "store/store.h"

#include <charconv>

namespace borderlens::store {

const std::string& IncidentKeys::keyOf(const std::string& externalId, const std::string& kind,
                                       const std::string& start) {
  m_key.clear();
  for (const std::string* part : {&externalId, &kind, &start}) {
    char length[24];
    m_key.append(length, std::to_chars(length, length + sizeof length, part->size()).ptr);
    (m_key += ':') += *part;
  }
  return m_key;
}

std::optional<core::RecordId> IncidentKeys::find(const std::string& externalId,
                                                 const std::string& kind, const std::string& start) {
  return m_ids.find(keyOf(externalId, kind, start));
}

void IncidentKeys::add(const std::string& externalId, const std::string& kind,
                       const std::string& start, core::RecordId id) {
  m_ids.insert(keyOf(externalId, kind, start), id);
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
