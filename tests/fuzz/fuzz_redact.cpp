// core::redactSecrets (core/redact.h) over any database location. Beyond not crashing: a
// password set by an appended `password=` key must never survive, when the text before it
// leaves that key a key of its own (no open quote, no escape, no dangling `=`) and does not
// hold the password itself.

#include "core/redact.h"
#include "fuzz_support.h"

#include <cctype>

namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string text(fuzz::asText(data, size));
  core::redactSecrets(text);
  const bool url = startsWithNoCase(text, "postgresql://") || startsWithNoCase(text, "postgres://");
  const auto last = text.find_last_not_of(" \t\n\v\f\r");
  const std::string secret = "Zq9SecretPw";
  if (!url && text.find(secret) == std::string::npos && text.find_first_of("'\\") == std::string::npos &&
      (last == std::string::npos || text[last] != '=')) {
    if (core::redactSecrets(text + " password=" + secret).find(secret) != std::string::npos) {
      fuzz::invariantBroken("a password= key survived redaction");
    }
  }
  return 0;
}
