#include "ingest/xml_reader.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/file_source.h"

#include <expat.h>

#include <algorithm>
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
  // Where the last event expat reported ended: input read past it is one token still pending.
  std::uint64_t parsedTo = 0;

  std::uint64_t line() const { return XML_GetCurrentLineNumber(parser); }

  void advance() {
    const XML_Index at = XML_GetCurrentByteIndex(parser);
    if (at >= 0) {
      parsedTo = static_cast<std::uint64_t>(at) +
                 static_cast<std::uint64_t>(XML_GetCurrentByteCount(parser));
    }
  }

  void fail(std::exception_ptr error) {
    if (!failure) failure = std::move(error);
    XML_StopParser(parser, XML_FALSE);
  }
};

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& session = *static_cast<Session*>(data);
  if (session.failure) return;
  session.advance();
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
  session.advance();
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
  if (session.failure) return;
  session.advance();
  if (session.texts.empty()) return;
  std::string& own = session.texts.back();
  if (own.size() + static_cast<std::size_t>(length) > kMaxRecordBytes) {
    return session.fail(std::make_exception_ptr(core::InputRejected(
        session.path + ":" + std::to_string(session.line()) + ": an element's text is longer than " +
        mebibytes(kMaxRecordBytes) + "; refused")));
  }
  own.append(text, static_cast<std::size_t>(length));
}

// Everything expat reports to no other handler (comments, the XML declaration, whitespace
// outside the root) still counts as parsed input.
void XMLCALL onOther(void* data, const XML_Char*, int) {
  static_cast<Session*>(data)->advance();
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

// The line that byte `offset` of a file is on.
std::uint64_t lineAt(const std::string& path, std::uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 1 << 16> buffer{};
  std::uint64_t line = 1;
  while (offset > 0 && in) {
    in.read(buffer.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(buffer.size(), offset)));
    const auto got = static_cast<std::size_t>(in.gcount());
    line += static_cast<std::uint64_t>(std::count(buffer.data(), buffer.data() + got, '\n'));
    offset -= got;
  }
  return line;
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
  XML_SetDefaultHandlerExpand(parser.get(), &onOther);
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
    // expat keeps an unfinished token (a tag with its attributes, a comment) whole and scans it
    // again with every chunk, so an endless one costs quadratic time as well as memory.
    if (done - session.parsedTo > kMaxRecordBytes) {
      throw core::InputRejected(path + ":" + std::to_string(lineAt(path, session.parsedTo)) +
                                ": a tag, attribute or comment longer than " +
                                mebibytes(kMaxRecordBytes) + "; refused");
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
