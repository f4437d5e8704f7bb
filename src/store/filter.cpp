#include "store/filter.h"

#include "core/utf8.h"

namespace borderlens::store {

std::string ftsQuery(const std::string& text) {
  std::string query;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find_first_of(" \t\r\n", pos);
    const std::string word = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    const auto tokens = core::searchTokens(word);
    if (tokens.empty()) continue;
    std::string phrase = "\"";
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) phrase.push_back(' ');
      // Tokens hold letters and digits only, so a quote cannot occur; doubling keeps that true
      // even if the tokenizer's notion of a letter grows.
      for (char c : tokens[i].text) {
        phrase.push_back(c);
        if (c == '"') phrase.push_back('"');
      }
    }
    phrase.push_back('"');
    if (!tokens.back().cjk) phrase.push_back('*');
    if (!query.empty()) query.push_back(' ');
    query += phrase;
  }
  return query;
}

} // namespace borderlens::store
