// Dates (core/date.h) and the list date readers built on them (ingest/list_text.h). A date that
// parses must print back to the text it came from and cover a non-empty range of days.

#include "core/date.h"
#include "fuzz_support.h"
#include "ingest/list_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  using fuzz::invariantBroken;
  const std::string_view text = fuzz::asText(data, size);
  if (const auto date = core::Date::parse(text)) {
    if (date->toString() != text) invariantBroken("Date::parse(text).toString() != text");
    if (date->firstDay() > date->lastDay()) invariantBroken("date covers no day");
    if (core::Date::fromDays(date->firstDay()).firstDay() != date->firstDay()) {
      invariantBroken("fromDays(firstDay) round trip");
    }
    if (core::Date::fromDays(date->lastDay()).lastDay() != date->lastDay()) {
      invariantBroken("fromDays(lastDay) round trip");
    }
  }
  fuzz::expectRefusalsOnly([&] { core::Date::parseOrThrow(text); });
  if (const auto birth = ingest::normaliseBirthDate(text)) {
    if (!core::Date::parse(*birth)) invariantBroken("normaliseBirthDate gave no ISO date");
  }
  if (const auto listed = ingest::parseListDate(text)) {
    if (listed->precision() != core::DatePrecision::Day) invariantBroken("list date not a day");
    if (!core::Date::parse(listed->toString())) invariantBroken("list date does not print as a date");
  }
  return 0;
}
