#include "core/key_index.h"

#include "core/errors.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

namespace borderlens::core {

std::uint64_t KeyIndex::markOf(std::string_view key) {
  return std::hash<std::string_view>{}(key) | (std::uint64_t{1} << 63);
}

std::size_t KeyIndex::slotOf(std::string_view key, std::uint64_t mark) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = mark & mask;; i = (i + 1) & mask) {
    const Slot& slot = m_slots[i];
    if (slot.mark == 0) return i;
    if (slot.mark != mark) continue;
    std::uint32_t size = 0;
    std::memcpy(&size, m_bytes.data() + slot.offset, sizeof size);
    if (std::string_view(m_bytes).substr(slot.offset + sizeof size, size) == key) return i;
  }
}

void KeyIndex::grow() {
  std::vector<Slot> old(std::max<std::size_t>(1024, m_slots.size() * 2));
  old.swap(m_slots);
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& slot : old) {
    if (slot.mark == 0) continue;
    std::size_t i = slot.mark & mask;
    while (m_slots[i].mark != 0) i = (i + 1) & mask;
    m_slots[i] = slot;
  }
}

std::optional<std::int64_t> KeyIndex::find(std::string_view key) const {
  if (m_count == 0) return std::nullopt;
  const Slot& slot = m_slots[slotOf(key, markOf(key))];
  if (slot.mark == 0) return std::nullopt;
  return slot.value;
}

std::int64_t KeyIndex::insert(std::string_view key, std::int64_t value) {
  if (key.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw InputRejected("a key of " + std::to_string(key.size()) + " bytes");
  }
  if ((m_count + 1) * 4 > m_slots.size() * 3) grow();
  const std::uint64_t mark = markOf(key);
  Slot& slot = m_slots[slotOf(key, mark)];
  if (slot.mark != 0) return slot.value;
  const auto size = static_cast<std::uint32_t>(key.size());
  slot = {mark, m_bytes.size(), value};
  m_bytes.append(reinterpret_cast<const char*>(&size), sizeof size);
  m_bytes += key;
  ++m_count;
  return value;
}

void KeyIndex::clear() {
  m_slots = {};
  m_bytes = {};
  m_count = 0;
}

} // namespace borderlens::core
