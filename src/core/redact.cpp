#include "core/redact.h"

#include <cctype>

namespace borderlens::core {

namespace {

bool startsWithNoCase(const std::string& text, std::size_t at, const char* prefix) {
  for (std::size_t i = 0; prefix[i] != '\0'; ++i) {
    if (at + i >= text.size()) return false;
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

// The end of a libpq key/value value starting at `from`: a quoted value runs to its closing
// quote (backslash escapes), an unquoted one to the next space.
std::size_t valueEnd(const std::string& text, std::size_t from) {
  if (from < text.size() && text[from] == '\'') {
    std::size_t i = from + 1;
    while (i < text.size() && text[i] != '\'') i += text[i] == '\\' ? std::size_t{2} : std::size_t{1};
    return i < text.size() ? i + 1 : text.size();
  }
  std::size_t i = from;
  while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

std::string redactUrl(const std::string& url) {
  std::string out = url;
  const std::size_t authority = out.find("://") + 3;
  const std::size_t authorityEnd = out.find_first_of("/?#", authority);
  // The last '@' of the authority: a password may itself contain '@' when not percent-encoded.
  const std::size_t at = out.rfind('@', authorityEnd == std::string::npos ? out.size() : authorityEnd);
  if (at != std::string::npos && at >= authority) {
    const std::size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::size_t i = query + 1;
  while (i < out.size()) {
    std::size_t end = out.find('&', i);
    if (end == std::string::npos) end = out.size();
    if (startsWithNoCase(out, i, "password=")) {
      const std::size_t value = i + 9;
      out.replace(value, end - value, "***");
      end = value + 3;
    }
    i = end + 1;
  }
  return out;
}

std::string redactKeyValues(const std::string& text) {
  std::string out = text;
  std::size_t i = 0;
  while ((i = out.find('=', i)) != std::string::npos) {
    std::size_t keyEnd = i;
    while (keyEnd > 0 && std::isspace(static_cast<unsigned char>(out[keyEnd - 1]))) --keyEnd;
    std::size_t keyStart = keyEnd;
    while (keyStart > 0 && (std::isalnum(static_cast<unsigned char>(out[keyStart - 1])) ||
                            out[keyStart - 1] == '_')) {
      --keyStart;
    }
    std::size_t value = i + 1;
    while (value < out.size() && std::isspace(static_cast<unsigned char>(out[value]))) ++value;
    const std::size_t end = valueEnd(out, value);
    if (keyEnd - keyStart == 8 && startsWithNoCase(out, keyStart, "password")) {
      out.replace(value, end - value, "***");
      i = value + 3;
    } else {
      i = end > i ? end : i + 1;
    }
  }
  return out;
}

} // namespace

std::string redactSecrets(const std::string& location) {
  if (startsWithNoCase(location, 0, "postgresql://") || startsWithNoCase(location, 0, "postgres://")) {
    return redactUrl(location);
  }
  if (location.find('=') != std::string::npos) return redactKeyValues(location);
  return location;
}

} // namespace borderlens::core
