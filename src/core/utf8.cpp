#include "core/utf8.h"

namespace borderlens::core {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool isLetterOrDigit(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  // Outside ASCII, punctuation and spaces that occur in names split words; anything else (letters
  // with diacritics, Cyrillic, CJK) is part of a word.
  switch (c) {
    case 0x00A0: case 0x00B7: case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x2026: case 0x3000: case 0x3001:
    case 0x3002: case 0x300A: case 0x300B: case 0x300C: case 0x300D: case 0xFF08: case 0xFF09:
    case 0xFF0C: case 0xFF0E: case 0xFF1A: case 0xFF1B: case kReplacement:
      return false;
    default: return true;
  }
}

bool isLatinLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x00C0 && c <= 0x024F) ||
         (c >= 0x1E00 && c <= 0x1EFF);
}

bool isCyrillic(char32_t c) { return c >= 0x0400 && c <= 0x052F; }

} // namespace

const char* nameOf(Script script) {
  switch (script) {
    case Script::Latin: return "latin";
    case Script::Han: return "han";
    case Script::Hangul: return "hangul";
    case Script::Cyrillic: return "cyrillic";
    case Script::Other: return "other";
  }
  return "other";
}

Script scriptFromString(std::string_view text) {
  if (text == "latin") return Script::Latin;
  if (text == "han") return Script::Han;
  if (text == "hangul") return Script::Hangul;
  if (text == "cyrillic") return Script::Cyrillic;
  return Script::Other;
}

char32_t decodeUtf8(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    minimum = 0x10000;
  } else {
    ++pos;
    return kReplacement;
  }
  if (pos + length > text.size()) {
    ++pos;
    return kReplacement;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return kReplacement;
    }
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    ++pos;
    return kReplacement;
  }
  pos += length;
  return value;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::size_t firstInvalidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t c = decodeUtf8(text, pos);
    // A literal U+FFFD in the input is three bytes long; a decoding failure advances one byte.
    if (c == kReplacement && pos - start == 1) return start;
  }
  return std::string_view::npos;
}

bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == std::string_view::npos; }

bool isHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

bool isHangul(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);
}

Script detectScript(std::string_view text) {
  std::size_t latin = 0, han = 0, hangul = 0, cyrillic = 0, other = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = decodeUtf8(text, pos);
    if (isHan(c)) ++han;
    else if (isHangul(c)) ++hangul;
    else if (isLatinLetter(c)) ++latin;
    else if (isCyrillic(c)) ++cyrillic;
    else if (c >= 0x80 && isLetterOrDigit(c)) ++other;
  }
  if (hangul > 0 && hangul >= han) return Script::Hangul;
  if (han > 0) return Script::Han;
  if (cyrillic > latin) return Script::Cyrillic;
  if (latin > 0) return Script::Latin;
  return other > 0 ? Script::Other : Script::Latin;
}

std::vector<SearchToken> searchTokens(std::string_view text) {
  std::vector<SearchToken> tokens;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) tokens.push_back({std::move(word), false});
    word.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = decodeUtf8(text, pos);
    if (isHan(c) || isHangul(c)) {
      flush();
      std::string single;
      appendUtf8(single, c);
      tokens.push_back({std::move(single), true});
    } else if (isLetterOrDigit(c)) {
      appendUtf8(word, c);
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

std::string searchIndexText(std::string_view text) {
  std::string out;
  for (const auto& token : searchTokens(text)) {
    if (!out.empty()) out.push_back(' ');
    out += token.text;
  }
  return out;
}

} // namespace borderlens::core
