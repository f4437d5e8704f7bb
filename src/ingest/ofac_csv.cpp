#include "ingest/ofac_csv.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/csv.h"
#include "ingest/file_source.h"
#include "ingest/list_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace borderlens::ingest {

namespace {

// OFAC writes null as an unquoted `-0-`, usually followed by a space.
bool isNull(const std::string& field) { return cleanText(field) == "-0-"; }

std::string value(const std::string& field) {
  return isNull(field) ? std::string() : cleanText(field);
}

// The DOS end-of-file mark (0x1A) that ends OFAC's pristine downloads reads as a last record of
// its own; blank records are skipped the same way.
bool isFiller(const CsvRecord& record) {
  return record.fields.size() == 1 &&
         record.fields[0].find_first_not_of("\x1A \t") == std::string::npos;
}

double fraction(const CsvReader& reader) {
  return reader.fileSize() == 0
             ? 1.0
             : static_cast<double>(reader.bytesRead()) / static_cast<double>(reader.fileSize());
}

// Checks a row's shape; returns the reason to reject it, or empty.
std::string rowProblem(const CsvRecord& row, std::size_t columns) {
  if (!row.error.empty()) return row.error;
  if (row.fields.size() != columns) {
    return std::to_string(row.fields.size()) + " columns, expected " + std::to_string(columns);
  }
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (!core::isValidUtf8(row.fields[i]))
      return "invalid UTF-8 in column " + std::to_string(i + 1);
  }
  std::int64_t number = 0;
  const std::string& id = row.fields[0];
  const auto result = std::from_chars(id.data(), id.data() + id.size(), number);
  if (id.empty() || result.ec != std::errc{} || result.ptr != id.data() + id.size() ||
      number <= 0) {
    return "ent_num '" + cleanText(id) + "' is not a positive number";
  }
  return {};
}

// add.csv column 4 packs "City, Province Postcode": "Dandong, Liaoning 118000",
// "Moscow 101000", "349323".
void splitCityColumn(const std::string& packed, AddressRecord& address) {
  std::vector<std::string> parts;
  for (const auto& part : splitText(packed, ',')) {
    if (!cleanText(part).empty()) parts.push_back(cleanText(part));
  }
  static const std::regex postcode(R"(^(.*?)\s*\b(\d[\d-]{2,})$)");
  for (auto& part : parts) {
    std::smatch match;
    if (std::regex_match(part, match, postcode)) {
      address.postalCode = match[2].str();
      part = cleanText(match[1].str());
    }
  }
  parts.erase(std::remove(parts.begin(), parts.end(), std::string()), parts.end());
  if (!parts.empty()) address.city = parts.front();
  if (parts.size() > 1) {
    address.province = joinNonEmpty(std::vector<std::string>(parts.begin() + 1, parts.end()), ", ");
  }
}

core::EntityKind kindOf(const std::string& sdnType, bool& known) {
  const std::string type = toLowerAscii(sdnType);
  known = true;
  if (type.empty()) return core::EntityKind::Organization;
  if (type == "individual") return core::EntityKind::Person;
  if (type == "vessel") return core::EntityKind::Vessel;
  if (type == "aircraft") return core::EntityKind::Aircraft;
  known = false;
  return core::EntityKind::Organization;
}

void addIdentifier(EntityRecord& record, const std::string& scheme, const std::string& value) {
  if (value.empty()) return;
  for (const auto& id : record.identifiers) {
    if (id.scheme == scheme && id.value == value) return;
  }
  record.identifiers.push_back({scheme, value});
}

void addAlias(EntityRecord& record, const std::string& text, const std::string& quality) {
  std::string clean = cleanText(text);
  // alt.csv quotes some acronyms: "\"KOMID\"".
  while (clean.size() >= 2 && (clean.front() == '"' || clean.front() == '\'') &&
         clean.back() == clean.front()) {
    clean = cleanText(clean.substr(1, clean.size() - 2));
  }
  if (clean.empty()) return;
  for (const auto& name : record.names) {
    if (name.text == clean) return;
  }
  record.names.push_back(makeName(clean, false, quality));
}

} // namespace

std::vector<std::string> splitOfacPrograms(const std::string& field) {
  std::vector<std::string> programs;
  std::string current;
  for (char c : field) {
    if (c == '[' || c == ']') {
      if (!cleanText(current).empty()) programs.push_back(cleanText(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!cleanText(current).empty()) programs.push_back(cleanText(current));
  return programs;
}

void describeOfacSource(core::Source& source, const std::string& format, const std::string& url) {
  source.publisher = "U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)";
  source.title = "Specially Designated Nationals and Blocked Persons List (" + format + ")";
  source.url = url;
}

void applyOfacRemarks(const std::string& remarks, EntityRecord& record) {
  static const std::regex imo(R"(\bIMO\s*:?\s*(\d{7})\b)");
  static const std::regex aka(R"(^([afn])\.k\.a\.?\s*['"]?(.*?)['"]?$)", std::regex::icase);
  std::vector<std::string> notes;
  for (const auto& raw : splitText(remarks, ';')) {
    std::string part = cleanText(raw);
    while (!part.empty() && part.back() == '.') part.pop_back();
    if (part.empty()) continue;
    std::smatch match;
    if (std::regex_search(part, match, imo)) {
      addIdentifier(record, core::scheme::kImo, match[1].str());
      continue;
    }
    std::string body = part;
    if (startsWithNoCase(body, "alt. ")) body = cleanText(body.substr(5));
    if (startsWithNoCase(body, "DOB ")) {
      const std::string written = cleanText(body.substr(4));
      record.birthDates.push_back(normaliseBirthDate(written).value_or(written));
      continue;
    }
    if (startsWithNoCase(body, "nationality ") &&
        !startsWithNoCase(part, "Nationality of Registration")) {
      record.nationalities.push_back(cleanText(body.substr(12)));
      continue;
    }
    if (startsWithNoCase(body, "citizen ")) {
      record.nationalities.push_back(cleanText(body.substr(8)));
      continue;
    }
    if (startsWithNoCase(body, "Passport ") || startsWithNoCase(body, "Diplomatic Passport ")) {
      // "Passport PS 472330208 (Korea, North) expires 04 Jul 2017" -> PS472330208.
      std::string number = body.substr(body.find("assport ") + 8);
      number = number.substr(0, number.find('('));
      for (const char* tail : {" expires", " issued", " Expires", " Issued"})
        number = number.substr(0, number.find(tail));
      std::erase_if(number,
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
      if (std::any_of(number.begin(), number.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        addIdentifier(record, "passport", number);
      }
      notes.push_back(part);
      continue;
    }
    if (startsWithNoCase(part, "Linked To:")) {
      const std::string target = cleanText(part.substr(10));
      if (!target.empty()) record.links.push_back({{"name", target}, "linked to"});
      continue;
    }
    if (std::regex_match(part, match, aka)) {
      addAlias(record, match[2].str(), toLowerAscii(match[1].str()) + ".k.a.");
      continue;
    }
    notes.push_back(part);
  }
  if (!notes.empty()) {
    record.notes = joinNonEmpty({record.notes, joinNonEmpty(notes, "; ")}, "\n");
  }
}

OfacCsvFiles ofacCsvCompanions(const std::string& sdnPath) {
  OfacCsvFiles files;
  files.sdn = sdnPath;
  std::error_code ec;
  const auto dir = std::filesystem::path(sdnPath).parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = toLowerAscii(entry.path().filename().string());
    if (name == "add.csv") files.add = entry.path().string();
    if (name == "alt.csv") files.alt = entry.path().string();
  }
  return files;
}

ParseResult parseOfacCsv(const OfacCsvFiles& files, const core::Progress& progress) {
  ParseResult result;
  result.format = "ofac-csv";
  result.listSource = fileSource(files.sdn);
  describeOfacSource(result.listSource, "legacy CSV",
                     "https://www.treasury.gov/ofac/downloads/sdn.csv");

  CsvReader reader(files.sdn);
  std::map<std::string, std::size_t> byEntNum;
  CsvRecord record;
  bool anyRow = false;
  while (reader.next(record)) {
    if (!core::reportProgress(progress, 0.8 * fraction(reader), "reading " + files.sdn)) {
      throw core::Cancelled();
    }
    if (isFiller(record)) continue;
    anyRow = true;
    ++result.recordsRead;
    const std::string id = record.fields.empty() ? std::string() : cleanText(record.fields[0]);
    if (const auto problem = rowProblem(record, 12); !problem.empty()) {
      result.rejected.push_back({{files.sdn, record.line, ""}, problem});
      continue;
    }
    const auto& f = record.fields;
    EntityRecord e;
    e.where = {files.sdn, record.line, id};
    e.key = id;
    const std::string name = value(f[1]);
    if (name.empty()) {
      result.rejected.push_back({e.where, "no SDN_Name"});
      continue;
    }
    bool knownType = true;
    e.kind = kindOf(value(f[2]), knownType);
    if (!knownType) {
      result.rejected.push_back({e.where, "unknown SDN_Type '" + value(f[2]) + "'"});
      continue;
    }
    if (const auto seen = byEntNum.find(id); seen != byEntNum.end()) {
      result.rejected.push_back(
          {e.where, "duplicate ent_num " + id + " (first at line " +
                        std::to_string(result.entities[seen->second].where.line) + ")"});
      continue;
    }
    e.names.push_back(makeName(name, true));
    e.identifiers.push_back({core::scheme::kOfacEntNum, id});
    std::vector<std::string> notes;
    if (!value(f[4]).empty()) notes.push_back("Title: " + value(f[4]));
    const std::vector<std::pair<const char*, std::string>> vessel{
        {"Call sign", value(f[5])}, {"Vessel type", value(f[6])}, {"Tonnage", value(f[7])},
        {"GRT", value(f[8])},       {"Flag", value(f[9])},        {"Owner", value(f[10])}};
    for (const auto& [label, detail] : vessel) {
      if (!detail.empty()) notes.push_back(std::string(label) + ": " + detail);
    }
    e.notes = joinNonEmpty(notes, "; ");
    applyOfacRemarks(value(f[11]), e);

    DesignationRecord d;
    d.authority = "OFAC";
    d.programs = splitOfacPrograms(value(f[3]));
    d.reference = id;
    e.designations.push_back(std::move(d));
    byEntNum.emplace(id, result.entities.size());
    result.entities.push_back(std::move(e));
  }
  if (!anyRow) throw core::InputRejected(files.sdn + ": empty file");
  if (result.entities.empty()) {
    const std::string why = result.rejected.empty() ? "no entries"
                                                    : result.rejected.front().where.toString() +
                                                          ": " + result.rejected.front().reason;
    throw core::InputRejected(files.sdn +
                              ": not an OFAC sdn.csv (no valid entry; first problem: " + why + ")");
  }

  std::set<std::string> withRows;
  const auto companion = [&](const std::string& path, std::size_t columns, double from,
                             const auto& apply) {
    if (path.empty()) return;
    core::Source source = fileSource(path);
    describeOfacSource(source, "legacy CSV, " + source.file,
                       "https://www.treasury.gov/ofac/downloads/" + toLowerAscii(source.file));
    CsvReader rows(path);
    std::uint64_t unknown = 0;
    std::vector<std::string> firstUnknown;
    CsvRecord companionRecord;
    while (rows.next(companionRecord)) {
      if (!core::reportProgress(progress, from + 0.1 * fraction(rows), "reading " + path)) {
        throw core::Cancelled();
      }
      if (isFiller(companionRecord)) continue;
      if (const auto problem = rowProblem(companionRecord, columns); !problem.empty()) {
        result.rejected.push_back({{path, companionRecord.line, ""}, problem});
        continue;
      }
      const auto it = byEntNum.find(cleanText(companionRecord.fields[0]));
      if (it == byEntNum.end()) {
        ++unknown;
        if (firstUnknown.size() < 3) firstUnknown.push_back(cleanText(companionRecord.fields[0]));
        continue;
      }
      EntityRecord& e = result.entities[it->second];
      if (path == files.add) withRows.insert(e.key);
      apply(e, companionRecord);
      const bool cited =
          std::any_of(e.sources.begin(), e.sources.end(),
                      [&](const core::Source& s) { return s.sha256 == source.sha256; });
      if (!cited) e.sources.push_back(source);
    }
    if (unknown > 0) {
      result.warnings.push_back(path + ": rows for ent_nums not in " + files.sdn + ": " +
                                std::to_string(unknown) + " (e.g. " +
                                joinNonEmpty(firstUnknown, ", ") +
                                "), skipped: the files come from different snapshots");
    }
  };
  companion(files.add, 6, 0.8, [](EntityRecord& e, const CsvRecord& row) {
    AddressRecord address;
    address.street = value(row.fields[2]);
    splitCityColumn(value(row.fields[3]), address);
    address.country = value(row.fields[4]);
    address.text = joinNonEmpty(
        {address.street, value(row.fields[3]), address.country, value(row.fields[5])}, ", ");
    if (!address.text.empty()) e.addresses.push_back(std::move(address));
  });
  companion(files.alt, 5, 0.9, [](EntityRecord& e, const CsvRecord& row) {
    addAlias(e, value(row.fields[3]), value(row.fields[2]));
  });
  if (!files.add.empty()) {
    std::vector<std::string> without;
    for (const auto& e : result.entities) {
      if (!withRows.count(e.key)) without.push_back(e.key);
    }
    if (!without.empty()) {
      const std::size_t shown = std::min<std::size_t>(without.size(), 5);
      result.warnings.push_back(
          files.add + ": entries of " + files.sdn +
          " with no row in it: " + std::to_string(without.size()) + " (" +
          joinNonEmpty(std::vector<std::string>(
                           without.begin(), without.begin() + static_cast<std::ptrdiff_t>(shown)),
                       ", ") +
          (without.size() > shown ? ", ..." : "") + ")");
    }
  }
  core::reportProgress(progress, 1.0, "read " + files.sdn);
  return result;
}

} // namespace borderlens::ingest
