#include "core/date.h"

#include "core/errors.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace borderlens::core {

namespace {

namespace chr = std::chrono;

std::int32_t toDays(int year, unsigned month, unsigned day) {
  const chr::sys_days days{chr::year{year} / chr::month{month} / chr::day{day}};
  return static_cast<std::int32_t>(days.time_since_epoch().count());
}

bool parseNumber(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc{} && result.ptr == text.data() + text.size();
}

} // namespace

const char* nameOf(DatePrecision precision) {
  switch (precision) {
    case DatePrecision::Day: return "day";
    case DatePrecision::Month: return "month";
    case DatePrecision::Year: return "year";
  }
  return "day";
}

Date Date::ymd(int year, unsigned month, unsigned day) {
  Date d;
  d.m_year = year;
  d.m_month = month;
  d.m_day = day;
  d.m_precision = DatePrecision::Day;
  return d;
}

Date Date::ym(int year, unsigned month) {
  Date d = ymd(year, month, 1);
  d.m_precision = DatePrecision::Month;
  return d;
}

Date Date::y(int year) {
  Date d = ymd(year, 1, 1);
  d.m_precision = DatePrecision::Year;
  return d;
}

std::optional<Date> Date::parse(std::string_view text) {
  // Only 4-digit years: the data spans the 1990s to today, and a 5-digit or signed year in an
  // input file is a typo, not a date.
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() < 4 || !parseNumber(text.substr(0, 4), year)) return std::nullopt;
  if (text.size() == 4) return y(year);
  if (text.size() != 7 && text.size() != 10) return std::nullopt;
  if (text[4] != '-' || !parseNumber(text.substr(5, 2), month)) return std::nullopt;
  if (month < 1 || month > 12) return std::nullopt;
  if (text.size() == 7) return ym(year, static_cast<unsigned>(month));
  if (text[7] != '-' || !parseNumber(text.substr(8, 2), day)) return std::nullopt;
  const chr::year_month_day check{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                  chr::day{static_cast<unsigned>(day)}};
  if (!check.ok()) return std::nullopt;
  return ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date Date::parseOrThrow(std::string_view text, std::string_view what) {
  if (auto date = parse(text)) return *date;
  throw UsageError("invalid " + std::string(what) + " '" + std::string(text) +
                   "': expected YYYY, YYYY-MM or YYYY-MM-DD");
}

Date Date::fromDays(std::int32_t days) {
  const chr::year_month_day ymdValue{chr::sys_days{chr::days{days}}};
  return ymd(static_cast<int>(ymdValue.year()), static_cast<unsigned>(ymdValue.month()),
             static_cast<unsigned>(ymdValue.day()));
}

std::int32_t Date::firstDay() const { return toDays(m_year, m_month, m_day); }

std::int32_t Date::lastDay() const {
  switch (m_precision) {
    case DatePrecision::Day: return firstDay();
    case DatePrecision::Month: {
      const chr::year_month_day_last last{chr::year{m_year} / chr::month{m_month} / chr::last};
      return toDays(m_year, m_month, static_cast<unsigned>(last.day()));
    }
    case DatePrecision::Year: return toDays(m_year, 12, 31);
  }
  return firstDay();
}

std::string Date::toString() const {
  // Digits by hand for the years a file can hold (4 digits): an import formats a million dates,
  // and snprintf spent more on its format string than on them.
  if (m_year >= 0 && m_year <= 9999) {
    const auto digits = [](char* at, unsigned value, int count) {
      for (int i = count - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
    };
    char text[10];
    digits(text, static_cast<unsigned>(m_year), 4);
    if (m_precision == DatePrecision::Year) return std::string(text, 4);
    text[4] = '-';
    digits(text + 5, m_month, 2);
    if (m_precision == DatePrecision::Month) return std::string(text, 7);
    text[7] = '-';
    digits(text + 8, m_day, 2);
    return std::string(text, 10);
  }
  char buffer[16];
  switch (m_precision) {
    case DatePrecision::Year: std::snprintf(buffer, sizeof buffer, "%04d", m_year); break;
    case DatePrecision::Month: std::snprintf(buffer, sizeof buffer, "%04d-%02u", m_year, m_month); break;
    case DatePrecision::Day:
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", m_year, m_month, m_day);
      break;
  }
  return buffer;
}

std::strong_ordering Date::operator<=>(const Date& other) const {
  if (auto c = firstDay() <=> other.firstDay(); c != 0) return c;
  if (auto c = lastDay() <=> other.lastDay(); c != 0) return c;
  return std::strong_ordering::equal;
}

Date today() {
  const auto now = chr::floor<chr::days>(chr::system_clock::now());
  return Date::fromDays(static_cast<std::int32_t>(now.time_since_epoch().count()));
}

std::string nowUtcTimestamp() {
  const auto now = chr::floor<chr::seconds>(chr::system_clock::now());
  const auto day = chr::floor<chr::days>(now);
  const chr::year_month_day ymdValue{day};
  const chr::hh_mm_ss hms{now - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(ymdValue.year()), static_cast<unsigned>(ymdValue.month()),
                static_cast<unsigned>(ymdValue.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buffer;
}

} // namespace borderlens::core
