#pragma once

#include "core/errors.h"
#include "ingest/records.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>

// Look-ups the parser tests share over an ingest::ParseResult.
namespace borderlens::test {

inline const ingest::EntityRecord& recordWithKey(const ingest::ParseResult& result, const std::string& key) {
  const auto it = std::find_if(result.entities.begin(), result.entities.end(),
                               [&](const ingest::EntityRecord& e) { return e.key == key; });
  REQUIRE_MESSAGE(it != result.entities.end(), "no record " << key);
  return *it;
}

inline bool hasIdentifier(const ingest::EntityRecord& e, const std::string& scheme, const std::string& value) {
  return std::any_of(e.identifiers.begin(), e.identifiers.end(),
                     [&](const core::Identifier& id) { return id.scheme == scheme && id.value == value; });
}

// The reason a record on `line` was rejected for, or "" when none was.
inline std::string rejectedOn(const ingest::ParseResult& result, std::uint64_t line) {
  for (const auto& rejected : result.rejected) {
    if (rejected.where.line == line) return rejected.reason;
  }
  return {};
}

// The message of the core::InputRejected that `call` throws.
inline std::string thrownBy(const std::function<void()>& call) {
  try {
    call();
  } catch (const core::InputRejected& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

} // namespace borderlens::test
