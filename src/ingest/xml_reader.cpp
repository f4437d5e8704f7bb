#include "ingest/xml_reader.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/file_source.h"

#include <expat.h>

#include <array>
#include <exception>
#include <fstream>
#include <memory>

namespace borderlens::ingest {

const std::string& xmlAttribute(const XmlAttributes& attributes, std::string_view name) {
  static const std::string empty;
  for (const auto& [key, value] : attributes) {
    if (key == name) return value;
  }
  return empty;
}

namespace {

// expat reports namespaced names as "URI|local" with this separator.
constexpr char kNamespaceSeparator = '|';

std::string localName(const XML_Char* name) {
  const std::string_view full(name);
  const auto bar = full.rfind(kNamespaceSeparator);
  return std::string(bar == std::string_view::npos ? full : full.substr(bar + 1));
}

struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

// The state expat's C callbacks share. C++ exceptions must not unwind through expat's C frames,
// so a callback that fails stores its exception, stops the parser, and the caller rethrows.
struct Session {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  std::string path;
  std::vector<std::string> texts;
  std::exception_ptr failure;

  std::uint64_t line() const { return XML_GetCurrentLineNumber(parser); }

  void fail(std::exception_ptr error) {
    if (!failure) failure = std::move(error);
    XML_StopParser(parser, XML_FALSE);
  }
};

void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& session = *static_cast<Session*>(data);
  if (session.failure) return;
  try {
    XmlAttributes list;
    for (std::size_t i = 0; attributes[i]; i += 2) {
      list.emplace_back(localName(attributes[i]), attributes[i + 1]);
    }
    session.texts.emplace_back();
    session.handler->startElement(localName(name), list, session.line());
  } catch (...) {
    session.fail(std::current_exception());
  }
}

void XMLCALL onEnd(void* data, const XML_Char* name) {
  auto& session = *static_cast<Session*>(data);
  if (session.failure) return;
  try {
    std::string text = std::move(session.texts.back());
    session.texts.pop_back();
    session.handler->endElement(localName(name), text);
  } catch (...) {
    session.fail(std::current_exception());
  }
}

void XMLCALL onText(void* data, const XML_Char* text, int length) {
  auto& session = *static_cast<Session*>(data);
  if (session.failure || session.texts.empty()) return;
  session.texts.back().append(text, static_cast<std::size_t>(length));
}

void XMLCALL onDoctype(void* data, const XML_Char* name, const XML_Char*, const XML_Char*, int) {
  auto& session = *static_cast<Session*>(data);
  session.fail(std::make_exception_ptr(
      core::InputRejected(session.path + ":" + std::to_string(session.line()) +
                          ": has a document type declaration (<!DOCTYPE " + std::string(name) +
                          ">); refused, since sanctions lists carry none and a DTD can declare "
                          "external or expanding entities")));
}

void XMLCALL onEntityDeclaration(void* data, const XML_Char* name, int, const XML_Char*, int,
                                 const XML_Char*, const XML_Char*, const XML_Char*,
                                 const XML_Char*) {
  auto& session = *static_cast<Session*>(data);
  session.fail(std::make_exception_ptr(core::InputRejected(
      session.path + ":" + std::to_string(session.line()) + ": declares the entity '" +
      std::string(name) + "'; refused (entities are never expanded or fetched)")));
}

int XMLCALL onExternalEntity(XML_Parser parser, const XML_Char*, const XML_Char*,
                             const XML_Char* systemId, const XML_Char*) {
  auto& session = *static_cast<Session*>(XML_GetUserData(parser));
  session.fail(std::make_exception_ptr(core::InputRejected(
      session.path + ":" + std::to_string(session.line()) + ": refers to an external entity (" +
      std::string(systemId ? systemId : "?") + "); refused, nothing is fetched")));
  return XML_STATUS_ERROR;
}

// Line of the first invalid UTF-8 sequence, or 0 when the file is valid UTF-8.
std::uint64_t firstInvalidUtf8Line(const std::string& path) {
  const std::string bytes = readFileBytes(path);
  const auto offset = core::firstInvalidUtf8(bytes);
  if (offset == std::string::npos) return 0;
  std::uint64_t line = 1;
  for (std::size_t i = 0; i < offset; ++i) line += bytes[i] == '\n' ? 1U : 0U;
  return line;
}

} // namespace

void parseXmlFile(const std::string& path, XmlHandler& handler, const core::Progress& progress,
                  double progressFrom, double progressTo) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputRejected(path + ": cannot open for reading");
  const std::uint64_t total = fileSize(path);

  std::unique_ptr<XML_ParserStruct, ParserFree> parser(
      XML_ParserCreateNS(nullptr, kNamespaceSeparator));
  if (!parser) throw core::InputRejected(path + ": cannot create an XML parser");
  Session session;
  session.parser = parser.get();
  session.handler = &handler;
  session.path = path;
  XML_SetUserData(parser.get(), &session);
  XML_SetElementHandler(parser.get(), &onStart, &onEnd);
  XML_SetCharacterDataHandler(parser.get(), &onText);
  XML_SetStartDoctypeDeclHandler(parser.get(), &onDoctype);
  XML_SetEntityDeclHandler(parser.get(), &onEntityDeclaration);
  XML_SetExternalEntityRefHandler(parser.get(), &onExternalEntity);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);

  std::array<char, 1 << 16> buffer{};
  std::uint64_t done = 0;
  bool empty = true;
  for (;;) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad()) throw core::InputRejected(path + ": read error");
    const bool last = got < buffer.size();
    empty = empty && got == 0;
    done += got;
    const auto status =
        XML_Parse(parser.get(), buffer.data(), static_cast<int>(got), last ? XML_TRUE : XML_FALSE);
    if (session.failure) std::rethrow_exception(session.failure);
    if (status != XML_STATUS_OK) {
      if (empty) throw core::InputRejected(path + ": empty file");
      const auto code = XML_GetErrorCode(parser.get());
      std::uint64_t line = XML_GetCurrentLineNumber(parser.get());
      std::string why = XML_ErrorString(code);
      if (code == XML_ERROR_INVALID_TOKEN) {
        if (const auto bad = firstInvalidUtf8Line(path); bad > 0) {
          line = bad;
          why = "invalid UTF-8";
        }
      }
      if (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
          code == XML_ERROR_UNCLOSED_CDATA_SECTION) {
        why += "; the file is truncated or incomplete";
      }
      throw core::InputRejected(path + ":" + std::to_string(line) + ": malformed XML: " + why);
    }
    if (total > 0) {
      const double fraction = progressFrom + (progressTo - progressFrom) *
                                                 static_cast<double>(done) /
                                                 static_cast<double>(total);
      if (!core::reportProgress(progress, fraction, "reading " + path)) throw core::Cancelled();
    }
    if (last) break;
  }
}

} // namespace borderlens::ingest
