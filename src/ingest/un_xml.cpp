#include "ingest/un_xml.h"

#include "core/errors.h"
#include "ingest/file_source.h"
#include "ingest/list_text.h"
#include "ingest/xml_reader.h"

#include <algorithm>
#include <array>
#include <map>
#include <regex>

namespace borderlens::ingest {

namespace {

// Adoption dates of the UN Security Council's DPRK sanctions resolutions, each checked against
// a public record of its adoption:
//   1718  2006-10-14  UN press release SC/8853, https://press.un.org/en/2006/sc8853.doc.htm
//   1874  2009-06-12  https://en.wikipedia.org/wiki/United_Nations_Security_Council_Resolution_1874
//   2087  2013-01-22  UN Secretary-General statement of 22 January 2013,
//                     https://www.un.org/sg/en/content/sg/statement/2013-01-22/statement-attributable-spokesperson-secretary-general-resolution
//   2094  2013-03-07  US Embassy London fact sheet of 7 March 2013,
//   https://uk.usembassy.gov/nkorea020/ 2270  2016-03-02
//   https://en.wikipedia.org/wiki/United_Nations_Security_Council_Resolution_2270 2321  2016-11-30
//   EU spokesperson statement of 30 November 2016,
//                     http://www.euinjapan.jp/en/resources/news-from-the-eu/20161130/095244/
//   2356  2017-06-02  UN press release SC/12853, https://press.un.org/en/2017/sc12853.doc.htm
//   2371  2017-08-05  ASIL,
//   https://asil.org/print/blogs/un-security-council-passes-resolution-strengthening-sanctions-against-north-korea-august-5
//   2375  2017-09-11  China Radio International (11 September 2017, New York time),
//                     https://filipino.cri.cn/301/2017/09/12/103s151626.htm
//   2397  2017-12-22  UK Foreign Secretary statement of 22 December 2017,
//                     https://www.gov.uk/government/news/foreign-secretary-statement-on-adoption-of-unsc-resolution-2397-on-north-korea
struct ResolutionRow {
  int number;
  int year;
  unsigned month;
  unsigned day;
};
constexpr std::array<ResolutionRow, 10> kDprkResolutions{{
    {1718, 2006, 10, 14},
    {1874, 2009, 6, 12},
    {2087, 2013, 1, 22},
    {2094, 2013, 3, 7},
    {2270, 2016, 3, 2},
    {2321, 2016, 11, 30},
    {2356, 2017, 6, 2},
    {2371, 2017, 8, 5},
    {2375, 2017, 9, 11},
    {2397, 2017, 12, 22},
}};

constexpr const char* kDprkListType = "DPRK";

struct Alias {
  std::string quality;
  std::string name;
};

struct Address {
  std::string street, city, province, zip, country, note;
};

struct Document {
  std::string type, number, country, note;
};

struct BirthDate {
  std::string date, year, fromYear, toYear, note;
};

struct Birthplace {
  std::string city, province, country, note;
};

struct RawRecord {
  bool individual = false;
  std::uint64_t line = 0;
  std::array<std::string, 4> nameParts;
  std::string listType, reference, listedOn, delistedOn, originalScript, comments;
  std::vector<std::string> titles, designations, nationalities;
  std::vector<Alias> aliases;
  std::vector<Address> addresses;
  std::vector<Document> documents;
  std::vector<BirthDate> birthDates;
  std::vector<Birthplace> birthplaces;
};

// Words that make a name a company's rather than a ship's.
bool looksLikeOrganizationName(const std::string& name) {
  static const std::regex words(
      R"(\b(CO|COMPANY|CORP|CORPORATION|LTD|LIMITED|LLC|INC|PLC|SHIPPING|TRADING|BANK|GROUP|)"
      R"(ENTERPRISE|MANAGEMENT|MARINE|MARITIME|AGENCY|BUREAU|MINISTRY|COMMITTEE|DEPARTMENT|)"
      R"(OFFICE|INDUSTRY|INDUSTRIAL|FACTORY|ASSOCIATION|COMMISSION|CENTRE|CENTER|UNIVERSITY|)"
      R"(ACADEMY|GENERAL|JOINT|VENTURE|HOLDINGS?|INTERNATIONAL|NAVIGATION|LOGISTICS|FREIGHT)\b)",
      std::regex::icase);
  return std::regex_search(name, words);
}

// IMO numbers the comment states as the record's own ("IMO Number: 5342883", "Company Number
// IMO 5434358", "(IMO) Number: 1790183", a comment opening with "IMO: 8660313"). Numbers in
// parentheses after another vessel's name belong to that vessel and are left alone.
std::vector<std::string> ownImoNumbers(const std::string& comments) {
  static const std::regex imo(R"(IMO\)?\s*(Number|No\.?)?\s*:?\s*(\d{7})\b)", std::regex::icase);
  std::vector<std::string> numbers;
  for (auto it = std::sregex_iterator(comments.begin(), comments.end(), imo);
       it != std::sregex_iterator(); ++it) {
    const auto& match = *it;
    std::string before = cleanText(comments.substr(0, static_cast<std::size_t>(match.position(0))));
    const bool opening = before.empty() || before == "(";
    const bool stated =
        match[1].matched ||
        (before.size() >= 6 && toLowerAscii(before.substr(before.size() - 6)) == "number");
    if ((opening || stated) &&
        std::find(numbers.begin(), numbers.end(), match[2].str()) == numbers.end()) {
      numbers.push_back(match[2].str());
    }
  }
  return numbers;
}

bool commentsSayVessel(const std::string& comments) {
  static const std::regex vessel(
      R"(^\s*(vessel\b|ship\b|tanker\b|cargo ship\b|type of vessel|vessel type))",
      std::regex::icase);
  return std::regex_search(comments, vessel);
}

std::string documentScheme(const std::string& type) {
  const std::string lower = toLowerAscii(type);
  if (lower.find("passport") != std::string::npos || lower.find("passeport") != std::string::npos ||
      lower.find("pasaporte") != std::string::npos) {
    return "passport";
  }
  return "id_document";
}

// "PS 472330208 " and "381110042 (Expired 25 Jan. 2016)" to the bare number.
std::string documentNumber(const std::string& raw) {
  std::string text = raw.substr(0, raw.find('('));
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

class UnHandler final : public XmlHandler {
 public:
  explicit UnHandler(std::string path) : m_path(std::move(path)) {}

  ParseResult& result() { return m_result; }
  const std::string& root() const { return m_root; }

  void startElement(const std::string& name, const XmlAttributes& attributes,
                    std::uint64_t line) override {
    if (m_stack.empty()) {
      m_root = name;
      if (name != "CONSOLIDATED_LIST") {
        throw core::InputRejected(m_path + ":" + std::to_string(line) +
                                  ": not a UN Security Council Consolidated List (root element <" +
                                  name + ">, expected <CONSOLIDATED_LIST>)");
      }
      const std::string& generated = xmlAttribute(attributes, "dateGenerated");
      if (!generated.empty()) m_result.listDate = parseListDate(generated);
    }
    m_stack.push_back(name);
    if (name == "INDIVIDUAL" || name == "ENTITY") {
      // A record inside a record breaks the list's schema: the outer one is rejected, not mixed
      // with the inner one's fields.
      if (m_record) {
        ++m_result.recordsRead;
        reject(*m_record, "<" + name + "> nested inside another record");
      }
      m_record = RawRecord{};
      m_record->individual = name == "INDIVIDUAL";
      m_record->line = line;
      return;
    }
    if (!m_record) return;
    if (name == "INDIVIDUAL_ALIAS" || name == "ENTITY_ALIAS") m_record->aliases.emplace_back();
    if (name == "INDIVIDUAL_ADDRESS" || name == "ENTITY_ADDRESS")
      m_record->addresses.emplace_back();
    if (name == "INDIVIDUAL_DOCUMENT") m_record->documents.emplace_back();
    if (name == "INDIVIDUAL_DATE_OF_BIRTH") m_record->birthDates.emplace_back();
    if (name == "INDIVIDUAL_PLACE_OF_BIRTH") m_record->birthplaces.emplace_back();
  }

  void endElement(const std::string& name, const std::string& rawText) override {
    const std::string parent = m_stack.size() >= 2 ? m_stack[m_stack.size() - 2] : std::string();
    m_stack.pop_back();
    if (name == "INDIVIDUAL" || name == "ENTITY") {
      if (!m_record) return;  // the outer end of a nested record, already rejected
      ++m_result.recordsRead;
      finishRecord();
      m_record.reset();
      return;
    }
    if (!m_record) return;
    const std::string text = cleanText(rawText);
    RawRecord& r = *m_record;
    const bool direct = parent == "INDIVIDUAL" || parent == "ENTITY";
    if (direct) {
      if (name == "FIRST_NAME")
        r.nameParts[0] = text;
      else if (name == "SECOND_NAME")
        r.nameParts[1] = text;
      else if (name == "THIRD_NAME")
        r.nameParts[2] = text;
      else if (name == "FOURTH_NAME")
        r.nameParts[3] = text;
      else if (name == "UN_LIST_TYPE")
        r.listType = text;
      else if (name == "REFERENCE_NUMBER")
        r.reference = text;
      else if (name == "LISTED_ON")
        r.listedOn = text;
      else if (name == "DELISTED_ON")
        r.delistedOn = text;
      else if (name == "NAME_ORIGINAL_SCRIPT")
        r.originalScript = text;
      else if (name == "COMMENTS1")
        r.comments = text;
      return;
    }
    if (name == "VALUE" && !text.empty()) {
      if (parent == "TITLE") r.titles.push_back(text);
      if (parent == "DESIGNATION") r.designations.push_back(text);
      if (parent == "NATIONALITY" || parent == "NATIONALITY2") r.nationalities.push_back(text);
      return;
    }
    if ((parent == "INDIVIDUAL_ALIAS" || parent == "ENTITY_ALIAS") && !r.aliases.empty()) {
      if (name == "QUALITY") r.aliases.back().quality = text;
      if (name == "ALIAS_NAME") r.aliases.back().name = text;
    } else if ((parent == "INDIVIDUAL_ADDRESS" || parent == "ENTITY_ADDRESS") &&
               !r.addresses.empty()) {
      Address& a = r.addresses.back();
      if (name == "STREET") a.street = text;
      if (name == "CITY") a.city = text;
      if (name == "STATE_PROVINCE") a.province = text;
      if (name == "ZIP_CODE") a.zip = text;
      if (name == "COUNTRY") a.country = text;
      if (name == "NOTE") a.note = text;
    } else if (parent == "INDIVIDUAL_DOCUMENT" && !r.documents.empty()) {
      Document& d = r.documents.back();
      if (name == "TYPE_OF_DOCUMENT") d.type = text;
      if (name == "NUMBER") d.number = text;
      if (name == "COUNTRY_OF_ISSUE" || name == "ISSUING_COUNTRY") d.country = text;
      if (name == "NOTE") d.note = text;
    } else if (parent == "INDIVIDUAL_DATE_OF_BIRTH" && !r.birthDates.empty()) {
      BirthDate& b = r.birthDates.back();
      if (name == "DATE") b.date = text;
      if (name == "YEAR") b.year = text;
      if (name == "FROM_YEAR") b.fromYear = text;
      if (name == "TO_YEAR") b.toYear = text;
      if (name == "NOTE") b.note = text;
    } else if (parent == "INDIVIDUAL_PLACE_OF_BIRTH" && !r.birthplaces.empty()) {
      Birthplace& p = r.birthplaces.back();
      if (name == "CITY") p.city = text;
      if (name == "STATE_PROVINCE") p.province = text;
      if (name == "COUNTRY") p.country = text;
      if (name == "NOTE") p.note = text;
    }
  }

 private:
  void reject(const RawRecord& r, const std::string& reason) {
    m_result.rejected.push_back({{m_path, r.line, r.reference}, reason});
  }

  void finishRecord() {
    const RawRecord& r = *m_record;
    if (r.reference.empty()) return reject(r, "no REFERENCE_NUMBER");
    const std::string primary = cleanText(
        joinNonEmpty(std::vector<std::string>(r.nameParts.begin(), r.nameParts.end()), " "));
    if (primary.empty()) return reject(r, "no name (FIRST_NAME is empty)");
    if (const auto seen = m_lines.find(r.reference); seen != m_lines.end()) {
      return reject(r, "duplicate REFERENCE_NUMBER " + r.reference + " (first at line " +
                           std::to_string(seen->second) + ")");
    }
    std::optional<core::Date> listed;
    if (!r.listedOn.empty()) {
      listed = core::Date::parse(r.listedOn);
      if (!listed || listed->precision() != core::DatePrecision::Day) {
        return reject(r, "LISTED_ON '" + r.listedOn + "' is not a date (YYYY-MM-DD)");
      }
    }
    std::optional<core::Date> delisted;
    if (!r.delistedOn.empty()) {
      delisted = core::Date::parse(r.delistedOn);
      if (!delisted)
        return reject(r, "DELISTED_ON '" + r.delistedOn + "' is not a date (YYYY-MM-DD)");
    }
    m_lines.emplace(r.reference, r.line);

    EntityRecord e;
    e.where = {m_path, r.line, r.reference};
    e.key = r.reference;
    e.kind = r.individual ? core::EntityKind::Person : core::EntityKind::Organization;
    e.names.push_back(makeName(primary, true));
    const auto addName = [&](const std::string& text, const std::string& quality) {
      const std::string clean = cleanText(text);
      if (clean.empty()) return;
      for (const auto& existing : e.names) {
        if (existing.text == clean) return;
      }
      e.names.push_back(makeName(clean, false, quality));
    };
    for (const auto& part : splitText(r.originalScript, ',')) addName(part, "");
    for (const auto& alias : r.aliases) addName(alias.name, alias.quality);

    e.identifiers.push_back({core::scheme::kUnReference, r.reference});
    for (const auto& number : ownImoNumbers(r.comments))
      e.identifiers.push_back({core::scheme::kImo, number});
    const bool hasImo = e.identifiers.size() > 1;
    if (!r.individual && !looksLikeOrganizationName(primary) &&
        (hasImo || commentsSayVessel(r.comments))) {
      e.kind = core::EntityKind::Vessel;
    }
    for (const auto& document : r.documents) {
      const std::string number = documentNumber(document.number);
      if (number.empty()) continue;
      const core::Identifier id{documentScheme(document.type), number};
      const bool known =
          std::any_of(e.identifiers.begin(), e.identifiers.end(),
                      [&](const auto& x) { return x.scheme == id.scheme && x.value == id.value; });
      if (!known) e.identifiers.push_back(id);
    }

    for (const auto& a : r.addresses) {
      AddressRecord address;
      address.street = a.street;
      address.city = a.city;
      address.province = a.province;
      address.postalCode = a.zip;
      address.country = a.country;
      address.text = joinNonEmpty({a.street, a.city, a.province, a.zip, a.country, a.note}, ", ");
      if (!address.text.empty()) e.addresses.push_back(std::move(address));
    }
    e.nationalities = r.nationalities;
    for (const auto& b : r.birthDates) {
      std::string written = !b.date.empty() ? b.date : !b.year.empty() ? b.year : b.fromYear;
      if (!written.empty()) {
        e.birthDates.push_back(normaliseBirthDate(written).value_or(written));
      }
    }

    std::vector<std::string> notes;
    if (!r.titles.empty()) notes.push_back("Title: " + joinNonEmpty(r.titles, "; "));
    if (!r.designations.empty())
      notes.push_back("Designation: " + joinNonEmpty(r.designations, "; "));
    for (const auto& b : r.birthDates) {
      const std::string range = b.fromYear.empty() ? std::string() : b.fromYear + "-" + b.toYear;
      const std::string when = joinNonEmpty({b.date, b.year, range, b.note}, " ");
      if (!when.empty()) notes.push_back("Date of birth: " + when);
    }
    for (const auto& p : r.birthplaces) {
      const std::string where = joinNonEmpty({p.city, p.province, p.country, p.note}, ", ");
      if (!where.empty()) notes.push_back("Place of birth: " + where);
    }
    for (const auto& d : r.documents) {
      if (!d.note.empty() && !d.number.empty())
        notes.push_back(d.type + " " + cleanText(d.number) + ": " + d.note);
    }
    if (!r.comments.empty()) notes.push_back(r.comments);
    e.notes = joinNonEmpty(notes, "\n");

    DesignationRecord d;
    d.authority = "UN";
    if (!r.listType.empty()) d.programs.push_back(r.listType);
    d.reference = r.reference;
    d.listed = listed;
    d.delisted = delisted;
    if (listed && r.listType == kDprkListType) {
      if (const auto resolution = dprkResolutionAdoptedOn(*listed)) {
        d.roundLabel =
            "UN " + listed->toString() + " (res. " + std::to_string(resolution->number) + ")";
        d.legalBasis = "UNSCR " + std::to_string(resolution->number) + " (" +
                       std::to_string(resolution->adopted.year()) + ")";
      } else {
        d.roundLabel = "UN 1718 Committee " + listed->toString();
        d.legalBasis = "UNSCR 1718 (2006)";
      }
    } else if (listed) {
      d.roundLabel = "UN " + listed->toString();
    }
    e.designations.push_back(std::move(d));
    m_result.entities.push_back(std::move(e));
  }

  std::string m_path;
  std::string m_root;
  std::vector<std::string> m_stack;
  std::optional<RawRecord> m_record;
  std::map<std::string, std::uint64_t> m_lines;
  ParseResult m_result;
};

} // namespace

std::optional<UnResolution> dprkResolutionAdoptedOn(const core::Date& date) {
  for (const auto& row : kDprkResolutions) {
    const core::Date adopted = core::Date::ymd(row.year, row.month, row.day);
    if (adopted == date) return UnResolution{row.number, adopted};
  }
  return std::nullopt;
}

ParseResult parseUnXml(const std::string& path, const core::Progress& progress) {
  UnHandler handler(path);
  parseXmlFile(path, handler, progress);
  ParseResult result = std::move(handler.result());
  result.format = "un-xml";
  result.listSource = fileSource(path);
  result.listSource.publisher = "United Nations Security Council";
  result.listSource.title = "Security Council Consolidated List";
  result.listSource.url = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";
  if (result.listDate) result.listSource.published = result.listDate->toString();
  return result;
}

} // namespace borderlens::ingest
