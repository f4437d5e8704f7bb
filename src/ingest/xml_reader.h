#pragma once

#include "core/progress.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace borderlens::ingest {

// An element's attributes, local names without namespace.
using XmlAttributes = std::vector<std::pair<std::string, std::string>>;

// Value of an attribute by local name, or empty.
const std::string& xmlAttribute(const XmlAttributes& attributes, std::string_view name);

// Receives one XML file as a stream of elements. Names are local names: namespaces are dropped,
// since the published lists move between namespace URIs from one release to the next.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void startElement(const std::string& name, const XmlAttributes& attributes,
                            std::uint64_t line) = 0;
  // `text` is the element's own character data (not its children's), untrimmed.
  virtual void endElement(const std::string& name, const std::string& text) = 0;
};

// Streams `path` through expat into `handler`. Any DOCTYPE is refused before it is read: the
// sanctions lists have none, and a document type declaration is where external entities
// (XXE) and entity-expansion bombs live, so no entity is ever declared, expanded or fetched.
// Throws core::InputRejected naming the file and line for malformed XML (truncated, invalid
// UTF-8, bad nesting) and core::Cancelled when `progress` asks to stop. Exceptions thrown by the
// handler abort the parse and propagate unchanged.
void parseXmlFile(const std::string& path, XmlHandler& handler, const core::Progress& progress,
                  double progressFrom = 0.0, double progressTo = 1.0);

} // namespace borderlens::ingest
