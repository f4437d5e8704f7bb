#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace borderlens::core {

enum class Script { Latin, Han, Hangul, Cyrillic, Other };

const char* nameOf(Script script);
Script scriptFromString(std::string_view text);

// Decodes one code point at `pos` and advances it; returns U+FFFD and advances one byte on an
// invalid sequence (overlong forms and surrogates are invalid).
char32_t decodeUtf8(std::string_view text, std::size_t& pos);
void appendUtf8(std::string& out, char32_t codePoint);
bool isValidUtf8(std::string_view text);
// Byte offset of the first invalid sequence, or npos when the text is valid.
std::size_t firstInvalidUtf8(std::string_view text);

bool isHan(char32_t c);
bool isHangul(char32_t c);

// The dominant script of a name: the script of most of its letters (Han and Hangul win ties,
// since a Korean or Chinese name with a Latin suffix such as "Co." is still CJK).
Script detectScript(std::string_view text);

// Text search works on tokens. Latin, Cyrillic and other alphabetic runs are words; every Han or
// Hangul syllable is a token of its own, so that "丹东" finds "丹东鸿祥" as a phrase of two tokens
// (CJK names carry no spaces, and a word tokenizer would index the whole name as one token).
struct SearchToken {
  std::string text;
  bool cjk = false;
};
std::vector<SearchToken> searchTokens(std::string_view text);

// The text stored in the full-text index: the tokens joined by spaces.
std::string searchIndexText(std::string_view text);

} // namespace borderlens::core
