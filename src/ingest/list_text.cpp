#include "ingest/list_text.h"

#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace borderlens::ingest {

namespace {

bool isSpaceAt(std::string_view text, std::size_t pos, std::size_t& length) {
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
    length = 1;
    return true;
  }
  // U+00A0 no-break space and U+3000 ideographic space pad some list entries.
  if (text.substr(pos, 2) == "\xC2\xA0") {
    length = 2;
    return true;
  }
  if (text.substr(pos, 3) == "\xE3\x80\x80") {
    length = 3;
    return true;
  }
  return false;
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<unsigned> monthNumber(std::string_view word) {
  static constexpr std::array<const char*, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return std::nullopt;
  const std::string lower = toLowerAscii(word.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

std::string pad2(unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); }

// ASCII base letters of U+00C0..U+024F ('*': none), generated from Unicode's decompositions.
constexpr std::string_view kLatinFold =
    "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo*ouuuuyty"
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlL"
    "lLlNnNnNn*NnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"
    "********************************Oo*************Uu***************"
    "****DDdLLlNNnAaIiOoUuUuUuUuUu*AaAa****GgKkOoOo**jDDdGg**NnAa****"
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt**Hh******AaEeOoOoOoOoYy************"
    "****************";

} // namespace

std::string foldForMatching(std::string_view raw) {
  std::string folded;
  std::size_t pos = 0;
  const std::string text = cleanText(raw);
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t c = core::decodeUtf8(text, pos);
    if (c < 0x80) {
      const auto ascii = static_cast<unsigned char>(c);
      if (std::isalnum(ascii))
        folded += static_cast<char>(std::tolower(ascii));
      else if (ascii != '\'' && ascii != '`' && ascii != '"')
        folded += ' ';
    } else if (c >= 0xC0 && c < 0xC0 + kLatinFold.size()) {
      const char base = kLatinFold[c - 0xC0];
      if (base != '*') folded += static_cast<char>(std::tolower(static_cast<unsigned char>(base)));
    } else if (c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x02BB || c == 0x00B4) {
      continue;  // typographic apostrophes: P’yŏngan
    } else if (c == 0x2013 || c == 0x2014 || c == 0x00A0 || c == 0x3000 || c == 0xFF0C ||
               c == 0x3001 || c == 0xFF08 || c == 0xFF09) {
      folded += ' ';
    } else {
      folded += text.substr(start, pos - start);
    }
  }
  return cleanText(folded);
}

std::string cleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pendingSpace = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 0;
    if (isSpaceAt(text, i, length)) {
      pendingSpace = !out.empty();
      i += length;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += text[i];
    ++i;
  }
  return out;
}

std::vector<std::string> splitText(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string toLowerAscii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         toLowerAscii(text.substr(0, prefix.size())) == toLowerAscii(prefix);
}

bool containsNoCase(std::string_view text, std::string_view needle) {
  return toLowerAscii(text).find(toLowerAscii(needle)) != std::string::npos;
}

std::string joinNonEmpty(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

core::Name makeName(std::string_view text, bool primary, std::string quality) {
  core::Name name;
  name.text = cleanText(text);
  name.script = core::detectScript(name.text);
  if (name.script == core::Script::Han) name.language = "zh";
  if (name.script == core::Script::Hangul) name.language = "ko";
  name.primary = primary;
  name.quality = std::move(quality);
  return name;
}

std::optional<std::string> normaliseBirthDate(std::string_view raw) {
  std::string text = cleanText(raw);
  for (const char* prefix : {"circa ", "ca. ", "c. ", "approximately "}) {
    if (startsWithNoCase(text, prefix)) text = text.substr(std::string_view(prefix).size());
  }
  if (const auto date = core::Date::parse(text.substr(0, std::min<std::size_t>(text.size(), 10)))) {
    return date->toString();
  }
  std::vector<std::string> words;
  for (auto& word : splitText(text, ' ')) {
    while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.pop_back();
    if (!word.empty()) words.push_back(word);
  }
  // "27 Apr 1941", "Apr 1941", "1941" and ranges written "1960 to 1962" (kept as the first year).
  if (words.size() >= 3) {
    const auto day = number(words[0]);
    const auto month = monthNumber(words[1]);
    const auto year = number(words[2]);
    if (day && month && year && *day >= 1 && *day <= 31) {
      if (core::Date::parse(std::to_string(*year) + "-" + pad2(*month) + "-" +
                            pad2(static_cast<unsigned>(*day)))) {
        return std::to_string(*year) + "-" + pad2(*month) + "-" + pad2(static_cast<unsigned>(*day));
      }
    }
  }
  if (words.size() >= 2) {
    const auto month = monthNumber(words[0]);
    const auto year = number(words[1]);
    if (month && year && *year > 1800 && *year < 2200) return std::to_string(*year) + "-" + pad2(*month);
  }
  if (!words.empty()) {
    if (const auto year = number(words[0]); year && *year > 1800 && *year < 2200) {
      return std::to_string(*year);
    }
  }
  return std::nullopt;
}

std::optional<core::Date> parseListDate(std::string_view raw) {
  const std::string text = cleanText(raw);
  if (text.size() >= 10 && text[4] == '-') return core::Date::parse(text.substr(0, 10));
  const auto parts = splitText(text, '/');
  if (parts.size() == 3) {
    const auto month = number(parts[0]);
    const auto day = number(parts[1]);
    const auto year = number(parts[2]);
    if (month && day && year && *month > 0 && *day > 0) {
      return core::Date::parse(std::to_string(*year) + "-" + pad2(static_cast<unsigned>(*month)) +
                               "-" + pad2(static_cast<unsigned>(*day)));
    }
  }
  return std::nullopt;
}

} // namespace borderlens::ingest
