#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace borderlens::core {

enum class DatePrecision { Day, Month, Year };

const char* nameOf(DatePrecision precision);

// A calendar date known to a day, a month or a year. Written YYYY-MM-DD, YYYY-MM or YYYY;
// the written form is the precision. A less precise date covers every day of its month or year,
// which is what makes "a year-precision date overlaps any window inside that year" hold.
class Date {
 public:
  Date() = default;
  static Date ymd(int year, unsigned month, unsigned day);
  static Date ym(int year, unsigned month);
  static Date y(int year);

  // Returns nullopt for anything that is not a valid date in one of the three forms.
  static std::optional<Date> parse(std::string_view text);
  // Throws core::UsageError naming the text and what is wrong with it.
  static Date parseOrThrow(std::string_view text, std::string_view what = "date");
  // Days since 1970-01-01 to a Date with day precision.
  static Date fromDays(std::int32_t days);

  int year() const { return m_year; }
  unsigned month() const { return m_month; }
  unsigned day() const { return m_day; }
  DatePrecision precision() const { return m_precision; }

  // First and last day covered, as days since 1970-01-01.
  std::int32_t firstDay() const;
  std::int32_t lastDay() const;

  std::string toString() const;

  bool operator==(const Date&) const = default;
  std::strong_ordering operator<=>(const Date& other) const;

 private:
  int m_year = 1970;
  unsigned m_month = 1;
  unsigned m_day = 1;
  DatePrecision m_precision = DatePrecision::Day;
};

// An inclusive range of days; an open end is nullopt.
struct DayWindow {
  std::optional<std::int32_t> from;
  std::optional<std::int32_t> to;

  bool empty() const { return !from && !to; }
  bool overlaps(std::int32_t firstDay, std::int32_t lastDay) const {
    return (!to || firstDay <= *to) && (!from || lastDay >= *from);
  }
};

// A period from start to end (end defaults to start); each end keeps its own precision.
struct TimeSpan {
  Date start;
  std::optional<Date> end;

  std::int32_t firstDay() const { return start.firstDay(); }
  std::int32_t lastDay() const { return (end ? *end : start).lastDay(); }
  bool overlaps(const DayWindow& window) const { return window.overlaps(firstDay(), lastDay()); }
};

// Today's date in UTC, for "as of" defaults and created-at stamps.
Date today();
// ISO 8601 UTC timestamp (seconds), for import batches and manifests.
std::string nowUtcTimestamp();

} // namespace borderlens::core
