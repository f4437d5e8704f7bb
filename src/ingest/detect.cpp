#include "ingest/detect.h"

#include "core/errors.h"
#include "ingest/list_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <set>

namespace borderlens::ingest {

namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;

bool isInteger(const std::string& text) {
  long long value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && result.ec == std::errc{} && result.ptr == text.data() + text.size();
}

// Splits one CSV line (quotes respected); enough to read a header or a first record.
std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  for (auto& field : fields) field = cleanText(field);
  return fields;
}

// The local name of the first element, skipping the XML declaration, comments and processing
// instructions; empty when none is found in the sniffed bytes.
std::string rootElement(const std::string& head) {
  std::size_t pos = 0;
  while ((pos = head.find('<', pos)) != std::string::npos) {
    if (head.compare(pos, 2, "<?") == 0 || head.compare(pos, 4, "<!--") == 0 ||
        head.compare(pos, 2, "<!") == 0) {
      ++pos;
      continue;
    }
    std::size_t end = pos + 1;
    while (end < head.size() && !std::isspace(static_cast<unsigned char>(head[end])) &&
           head[end] != '>' && head[end] != '/')
      ++end;
    std::string name = head.substr(pos + 1, end - pos - 1);
    if (const auto colon = name.find(':'); colon != std::string::npos)
      name = name.substr(colon + 1);
    return name;
  }
  return {};
}

std::string detectCsv(const std::string& path, const std::string& firstLine) {
  const auto fields = csvFields(firstLine);
  std::set<std::string> header;
  for (const auto& field : fields) header.insert(toLowerAscii(field));
  const auto has = [&](std::initializer_list<const char*> names) {
    return std::all_of(names.begin(), names.end(),
                       [&](const char* n) { return header.count(n) > 0; });
  };
  if (!fields.empty() && isInteger(fields[0])) {
    if (fields.size() == 12) return "ofac-csv";
    if (fields.size() == 6 && isInteger(fields[1])) return kOfacAddCsv;
    if (fields.size() == 5 && isInteger(fields[1])) return kOfacAltCsv;
    throw core::InputRejected(path + ":1: a header-less CSV row of " +
                              std::to_string(fields.size()) +
                              " columns; an OFAC sdn.csv row has 12");
  }
  if (has({"id", "schema", "name"})) return "ftm-csv";
  if (has({"authority", "date", "label"})) return kRoundsCsv;
  if (has({"event_id_cnty", "event_date"}) || has({"kind", "title", "start"}) ||
      has({"id", "kind", "start"})) {
    return "incidents";
  }
  throw core::InputRejected(path + ":1: a CSV file, but its header (" +
                            joinNonEmpty(fields, ",").substr(0, 120) +
                            ") fits none of the formats borderlens imports");
}

} // namespace

const std::vector<std::string>& importFormats() {
  static const std::vector<std::string> formats{"un-xml", "ofac-csv", "ofac-xml", "ofac-advanced",
                                                "ftm",    "ftm-csv",  "incidents"};
  return formats;
}

bool isImportFormat(std::string_view name) {
  const auto& formats = importFormats();
  return std::find(formats.begin(), formats.end(), name) != formats.end();
}

std::string detectFormat(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputRejected(path + ": cannot open for reading");
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));

  if (head.rfind("SQLite format 3", 0) == 0) return "incidents";
  if (head.size() >= 4 && head.compare(0, 4, std::string("\x00\x00\x27\x0A", 4)) == 0)
    return "incidents";
  if (head.rfind("fgb\x03", 0) == 0) return "incidents";

  std::size_t start = head.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (start < head.size() && std::isspace(static_cast<unsigned char>(head[start]))) ++start;
  if (start >= head.size() || head.find_first_not_of("\x1A \t\r\n", start) == std::string::npos) {
    throw core::InputRejected(path + ": empty file");
  }
  const std::string body = head.substr(start);

  if (body[0] == '<') {
    const std::string root = rootElement(body);
    if (root == "CONSOLIDATED_LIST") return "un-xml";
    if (root == "sdnList") return "ofac-xml";
    if (root == "Sanctions") return "ofac-advanced";
    if (root == "kml" || root == "gpx" || root == "FeatureCollection") return "incidents";
    throw core::InputRejected(
        path + ": an XML file with root element <" + root +
        ">, which is none of the lists borderlens imports (UN <CONSOLIDATED_LIST>, "
        "OFAC <sdnList> or <Sanctions>)");
  }
  if (body[0] == '{' || body[0] == '[') {
    const std::string firstLine = body.substr(0, body.find('\n'));
    if (firstLine.find("\"schema\"") != std::string::npos &&
        firstLine.find("\"id\"") != std::string::npos) {
      return "ftm";
    }
    if (body.find("\"FeatureCollection\"") != std::string::npos ||
        body.find("\"Feature\"") != std::string::npos) {
      return "incidents";
    }
    throw core::InputRejected(
        path +
        ": a JSON file that is neither FollowTheMoney JSON lines (one entity with "
        "\"id\" and \"schema\" per line) nor GeoJSON");
  }
  std::string firstLine = body.substr(0, body.find('\n'));
  if (!firstLine.empty() && firstLine.back() == '\r') firstLine.pop_back();
  if (firstLine.find(',') != std::string::npos) return detectCsv(path, firstLine);
  throw core::InputRejected(
      path + ": not a format borderlens imports (not XML, JSON, CSV or a GDAL vector file)");
}

} // namespace borderlens::ingest
