#include "core/errors.h"
#include "store/store.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <limits>
#include <string_view>

namespace borderlens::store {

std::uint64_t IncidentKeys::keyOf(const std::string& externalId, const std::string& kind,
                                  const std::string& start) {
  m_key.clear();
  for (const std::string* part : {&externalId, &kind, &start}) {
    char length[24];
    m_key.append(length, std::to_chars(length, length + sizeof length, part->size()).ptr);
    (m_key += ':') += *part;
  }
  return std::hash<std::string_view>{}(m_key);
}

IncidentKeys::Slot& IncidentKeys::slotOf(std::uint64_t hash) {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = m_slots[i];
    if (slot.id == 0) return slot;
    if (slot.hash != hash) continue;
    std::uint32_t size = 0;
    std::memcpy(&size, m_bytes.data() + slot.offset, sizeof size);
    if (std::string_view(m_bytes).substr(slot.offset + sizeof size, size) == m_key) return slot;
  }
}

void IncidentKeys::grow() {
  std::vector<Slot> old(std::max<std::size_t>(1024, m_slots.size() * 2));
  old.swap(m_slots);
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == 0) continue;
    std::size_t i = slot.hash & mask;
    while (m_slots[i].id != 0) i = (i + 1) & mask;
    m_slots[i] = slot;
  }
}

std::optional<core::RecordId> IncidentKeys::find(const std::string& externalId,
                                                 const std::string& kind, const std::string& start) {
  if (m_count == 0) return std::nullopt;
  const Slot& slot = slotOf(keyOf(externalId, kind, start));
  if (slot.id == 0) return std::nullopt;
  return slot.id;
}

void IncidentKeys::add(const std::string& externalId, const std::string& kind,
                       const std::string& start, core::RecordId id) {
  if (id <= 0) throw core::StoreError("incident key: id " + std::to_string(id) + " is not positive");
  if ((m_count + 1) * 4 > m_slots.size() * 3) grow();
  const std::uint64_t hash = keyOf(externalId, kind, start);
  Slot& slot = slotOf(hash);
  if (slot.id != 0) return;
  if (m_key.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw core::StoreError("incident key: an external id, kind and start of " +
                           std::to_string(m_key.size()) + " bytes");
  }
  const auto size = static_cast<std::uint32_t>(m_key.size());
  slot = {hash, m_bytes.size(), id};
  m_bytes.append(reinterpret_cast<const char*>(&size), sizeof size);
  m_bytes += m_key;
  ++m_count;
}

void IncidentKeys::clear() {
  m_slots = {};
  m_bytes = {};
  m_count = 0;
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
