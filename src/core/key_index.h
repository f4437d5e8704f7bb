#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borderlens::core {

// Byte-string keys to 64-bit values, for the sets an import keeps of every record it has read
// (ids seen in a file, incidents added in a transaction).
//
// An open-addressing table over one buffer of key bytes, written here because std::unordered_map
// and std::map were too slow for it and the Boost in Debian 12 (1.74) has no flat map: a node and
// a string allocated per key cost a million-row import 2 million allocations, a cache miss per
// node on every look-up, and a pass freeing them all at the end.
class KeyIndex {
 public:
  std::optional<std::int64_t> find(std::string_view key) const;
  // Adds `key` with `value` unless it is present; returns the value the key has now.
  std::int64_t insert(std::string_view key, std::int64_t value);
  void clear();
  std::size_t size() const { return m_count; }

 private:
  struct Slot {
    std::uint64_t mark = 0;    // the key's hash with the top bit set; 0 for an empty slot
    std::uint64_t offset = 0;  // of the key's 4-byte length, then its bytes, in m_bytes
    std::int64_t value = 0;
  };

  static std::uint64_t markOf(std::string_view key);
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t slotOf(std::string_view key, std::uint64_t mark) const;
  void grow();

  std::vector<Slot> m_slots;  // a power of two long, at most 3/4 full
  std::string m_bytes;
  std::size_t m_count = 0;
};

} // namespace borderlens::core
