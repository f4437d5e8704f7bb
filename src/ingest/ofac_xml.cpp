#include "ingest/ofac_xml.h"

#include "core/errors.h"
#include "ingest/file_source.h"
#include "ingest/list_text.h"
#include "ingest/ofac_csv.h"
#include "ingest/xml_reader.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace borderlens::ingest {

namespace {

void addIdentifier(EntityRecord& record, const std::string& scheme, const std::string& value) {
  if (value.empty()) return;
  for (const auto& id : record.identifiers) {
    if (id.scheme == scheme && id.value == value) return;
  }
  record.identifiers.push_back({scheme, value});
}

void addName(EntityRecord& record, const std::string& text, bool primary,
             const std::string& quality) {
  const std::string clean = cleanText(text);
  if (clean.empty()) return;
  for (const auto& name : record.names) {
    if (name.text == clean) return;
  }
  record.names.push_back(makeName(clean, primary, quality));
}

// An identity document as OFAC types it; returns false when it is neither an IMO number nor a
// passport (the caller then keeps it as a note).
bool applyDocument(EntityRecord& record, const std::string& type, const std::string& number) {
  static const std::regex imo(R"(\bIMO\s*:?\s*(\d{7})\b)");
  std::smatch match;
  if (std::regex_search(number, match, imo)) {
    addIdentifier(record, core::scheme::kImo, match[1].str());
    return true;
  }
  if (containsNoCase(type, "passport")) {
    addIdentifier(record, "passport", cleanText(number));
    return true;
  }
  return false;
}

core::EntityKind kindFromType(const std::string& type, bool& known) {
  const std::string lower = toLowerAscii(cleanText(type));
  known = true;
  if (lower == "individual") return core::EntityKind::Person;
  if (lower == "vessel") return core::EntityKind::Vessel;
  if (lower == "aircraft") return core::EntityKind::Aircraft;
  if (lower == "entity") return core::EntityKind::Organization;
  known = false;
  return core::EntityKind::Organization;
}

std::string personName(const std::string& last, const std::string& first) {
  return first.empty() ? last : last.empty() ? first : last + ", " + first;
}

// ---------------------------------------------------------------------------------------------
// Legacy sdn.xml

class SdnListHandler final : public XmlHandler {
 public:
  explicit SdnListHandler(std::string path) : m_path(std::move(path)) {}
  ParseResult& result() { return m_result; }

  void startElement(const std::string& name, const XmlAttributes&, std::uint64_t line) override {
    if (m_stack.empty() && name != "sdnList") {
      throw core::InputRejected(m_path + ":" + std::to_string(line) +
                                ": not an OFAC sdn.xml (root element <" + name +
                                ">, expected <sdnList>)");
    }
    m_stack.push_back(name);
    if (name == "sdnEntry") {
      m_entry = Entry{};
      m_entry->line = line;
    }
    if (!m_entry) return;
    if (name == "id") m_entry->ids.emplace_back();
    if (name == "aka") m_entry->akas.emplace_back();
    if (name == "address") m_entry->addresses.emplace_back();
  }

  void endElement(const std::string& name, const std::string& raw) override {
    const std::string parent = m_stack.size() >= 2 ? m_stack[m_stack.size() - 2] : std::string();
    m_stack.pop_back();
    const std::string text = cleanText(raw);
    if (name == "Publish_Date") m_result.listDate = parseListDate(text);
    if (name == "sdnEntry" && m_entry) {
      ++m_result.recordsRead;
      finish();
      m_entry.reset();
      return;
    }
    if (!m_entry) return;
    Entry& e = *m_entry;
    if (parent == "sdnEntry") {
      if (name == "uid") e.uid = text;
      if (name == "firstName") e.firstName = text;
      if (name == "lastName") e.lastName = text;
      if (name == "title") e.title = text;
      if (name == "sdnType") e.type = text;
      if (name == "remarks") e.remarks = text;
    } else if (parent == "programList" && name == "program") {
      e.programs.push_back(text);
    } else if (parent == "id" && !e.ids.empty()) {
      if (name == "idType") e.ids.back().type = text;
      if (name == "idNumber") e.ids.back().number = text;
      if (name == "idCountry") e.ids.back().country = text;
    } else if (parent == "aka" && !e.akas.empty()) {
      if (name == "type") e.akas.back().type = text;
      if (name == "category") e.akas.back().category = text;
      if (name == "lastName") e.akas.back().lastName = text;
      if (name == "firstName") e.akas.back().firstName = text;
    } else if (parent == "address" && !e.addresses.empty()) {
      AddressRecord& a = e.addresses.back();
      if (name == "address1" || name == "address2" || name == "address3")
        a.street = joinNonEmpty({a.street, text}, ", ");
      if (name == "city") a.city = text;
      if (name == "stateOrProvince") a.province = text;
      if (name == "postalCode") a.postalCode = text;
      if (name == "country") a.country = text;
    } else if ((parent == "nationality" || parent == "citizenship") && name == "country") {
      e.nationalities.push_back(text);
    } else if (parent == "dateOfBirthItem" && name == "dateOfBirth") {
      e.birthDates.push_back(text);
    } else if (parent == "placeOfBirthItem" && name == "placeOfBirth") {
      e.birthplaces.push_back(text);
    } else if (parent == "vesselInfo" && !text.empty()) {
      e.vessel.push_back(name + ": " + text);
    }
  }

 private:
  struct Id {
    std::string type, number, country;
  };
  struct Aka {
    std::string type, category, lastName, firstName;
  };
  struct Entry {
    std::uint64_t line = 0;
    std::string uid, firstName, lastName, title, type, remarks;
    std::vector<std::string> programs, nationalities, birthDates, birthplaces, vessel;
    std::vector<Id> ids;
    std::vector<Aka> akas;
    std::vector<AddressRecord> addresses;
  };

  void finish() {
    Entry& x = *m_entry;
    EntityRecord e;
    e.where = {m_path, x.line, x.uid};
    e.key = x.uid;
    if (x.uid.empty()) {
      m_result.rejected.push_back({e.where, "sdnEntry without uid"});
      return;
    }
    if (!m_uids.insert(x.uid).second) {
      m_result.rejected.push_back({e.where, "duplicate uid " + x.uid});
      return;
    }
    bool known = true;
    e.kind = kindFromType(x.type.empty() ? "Entity" : x.type, known);
    if (!known) {
      m_result.rejected.push_back({e.where, "unknown sdnType '" + x.type + "'"});
      return;
    }
    const std::string primary = e.kind == core::EntityKind::Person
                                    ? personName(x.lastName, x.firstName)
                                    : joinNonEmpty({x.lastName, x.firstName}, " ");
    if (primary.empty()) {
      m_result.rejected.push_back({e.where, "sdnEntry without a name"});
      return;
    }
    addName(e, primary, true, "");
    e.identifiers.push_back({core::scheme::kOfacEntNum, x.uid});
    for (const auto& aka : x.akas) {
      const std::string text = e.kind == core::EntityKind::Person
                                   ? personName(aka.lastName, aka.firstName)
                                   : joinNonEmpty({aka.lastName, aka.firstName}, " ");
      const std::string quality =
          toLowerAscii(aka.type) + (toLowerAscii(aka.category) == "weak" ? " (weak)" : "");
      addName(e, text, false, quality);
    }
    std::vector<std::string> notes;
    if (!x.title.empty()) notes.push_back("Title: " + x.title);
    for (const auto& id : x.ids) {
      if (!applyDocument(e, id.type, id.number)) {
        notes.push_back(joinNonEmpty(
            {id.type, id.number, id.country.empty() ? "" : "(" + id.country + ")"}, " "));
      }
    }
    for (const auto& place : x.birthplaces) notes.push_back("Place of birth: " + place);
    notes.insert(notes.end(), x.vessel.begin(), x.vessel.end());
    e.notes = joinNonEmpty(notes, "; ");
    for (auto& address : x.addresses) {
      address.text = joinNonEmpty(
          {address.street, address.city, address.province, address.postalCode, address.country},
          ", ");
      if (!address.text.empty()) e.addresses.push_back(address);
    }
    e.nationalities = x.nationalities;
    for (const auto& dob : x.birthDates)
      e.birthDates.push_back(normaliseBirthDate(dob).value_or(dob));
    applyOfacRemarks(x.remarks, e);

    DesignationRecord d;
    d.authority = "OFAC";
    for (const auto& program : x.programs) {
      for (const auto& p : splitOfacPrograms(program)) d.programs.push_back(p);
    }
    d.reference = x.uid;
    e.designations.push_back(std::move(d));
    m_result.entities.push_back(std::move(e));
  }

  std::string m_path;
  std::vector<std::string> m_stack;
  std::optional<Entry> m_entry;
  std::set<std::string> m_uids;
  ParseResult m_result;
};

// ---------------------------------------------------------------------------------------------
// SDN advanced XML

struct YearMonthDay {
  std::string year, month, day;
  std::optional<core::Date> date() const {
    if (year.empty()) return std::nullopt;
    const auto pad = [](const std::string& v) { return v.size() == 1 ? "0" + v : v; };
    if (month.empty()) return core::Date::parse(year);
    if (day.empty()) return core::Date::parse(year + "-" + pad(month));
    return core::Date::parse(year + "-" + pad(month) + "-" + pad(day));
  }
};

struct AdvancedLocation {
  std::vector<std::string> countryIds;
  std::vector<std::pair<std::string, std::string>> parts;  // LocPartTypeID, value
};

struct AdvancedDocument {
  std::string typeId, number, countryId;
};

struct AdvancedNamePart {
  std::string groupId, value;
};

struct AdvancedAlias {
  std::string typeId;
  bool primary = false;
  bool lowQuality = false;
  std::vector<std::vector<AdvancedNamePart>> names;
};

struct AdvancedFeature {
  std::string typeId;
  std::vector<std::string> locationIds;
  std::vector<std::string> details;  // text, or "@ref:ID" for a DetailReference
  YearMonthDay from, to;
};

struct AdvancedParty {
  std::uint64_t line = 0;
  std::string profileId, subTypeId, identityId;
  std::map<std::string, std::string> groupTypes;  // NamePartGroup ID -> NamePartType ID
  std::vector<AdvancedAlias> aliases;
  std::vector<AdvancedFeature> features;
  std::vector<std::string> comments;
};

struct AdvancedEvent {
  YearMonthDay date;
  std::string legalBasisId;
};

struct AdvancedEntry {
  std::uint64_t line = 0;
  std::string profileId, listId;
  std::vector<AdvancedEvent> events;
  std::vector<std::pair<std::string, std::string>> measures;  // SanctionsTypeID, comment
};

struct AdvancedRelation {
  std::string from, to, typeId;
};

class AdvancedHandler final : public XmlHandler {
 public:
  explicit AdvancedHandler(std::string path) : m_path(std::move(path)) {}

  void startElement(const std::string& name, const XmlAttributes& a, std::uint64_t line) override {
    if (m_stack.empty() && name != "Sanctions") {
      throw core::InputRejected(m_path + ":" + std::to_string(line) +
                                ": not an OFAC SDN advanced XML (root element <" + name +
                                ">, expected <Sanctions>)");
    }
    const std::string parent = m_stack.empty() ? std::string() : m_stack.back();
    m_stack.push_back(name);
    // m_ymd points into a feature or event vector; any element inside a date other than its
    // parts may grow those vectors (a malformed file), so it ends the date rather than leave
    // the pointer dangling.
    if (m_ymd && name != "Year" && name != "Month" && name != "Day") m_ymd = nullptr;
    if (inside("ReferenceValueSets") && m_stack.size() == 4) {
      m_refKey = name + ":" + xmlAttribute(a, "ID");
      if (name == "Country" && !xmlAttribute(a, "ISO2").empty())
        m_iso2[xmlAttribute(a, "ID")] = xmlAttribute(a, "ISO2");
      if (name == "LegalBasis") m_refs[m_refKey + ":short"] = xmlAttribute(a, "LegalBasisShortRef");
      if (name == "PartySubType")
        m_subTypeParent[xmlAttribute(a, "ID")] = xmlAttribute(a, "PartyTypeID");
      return;
    }
    if (name == "DateOfIssue") m_ymd = &m_issued;
    if (name == "Location" && parent == "Locations") {
      m_locationId = xmlAttribute(a, "ID");
      m_locations[m_locationId] = {};
    }
    if (name == "LocationCountry" && !m_locationId.empty())
      m_locations[m_locationId].countryIds.push_back(xmlAttribute(a, "CountryID"));
    if (name == "LocationPart") m_partType = xmlAttribute(a, "LocPartTypeID");
    if (name == "IDRegDocument") {
      m_document = AdvancedDocument{xmlAttribute(a, "IDRegDocTypeID"), "",
                                    xmlAttribute(a, "IssuedBy-CountryID")};
      m_documentIdentity = xmlAttribute(a, "IdentityID");
    }
    if (name == "DistinctParty") {
      m_party = AdvancedParty{};
      m_party->line = line;
    }
    if (m_party) {
      if (name == "Profile") {
        m_party->profileId = xmlAttribute(a, "ID");
        m_party->subTypeId = xmlAttribute(a, "PartySubTypeID");
      }
      if (name == "Identity" && m_party->identityId.empty())
        m_party->identityId = xmlAttribute(a, "ID");
      if (name == "Alias") {
        m_party->aliases.push_back({xmlAttribute(a, "AliasTypeID"),
                                    xmlAttribute(a, "Primary") == "true",
                                    xmlAttribute(a, "LowQuality") == "true",
                                    {}});
      }
      if (name == "DocumentedName" && !m_party->aliases.empty())
        m_party->aliases.back().names.emplace_back();
      if (name == "NamePartValue") m_nameGroup = xmlAttribute(a, "NamePartGroupID");
      if (name == "NamePartGroup")
        m_party->groupTypes[xmlAttribute(a, "ID")] = xmlAttribute(a, "NamePartTypeID");
      if (name == "Feature")
        m_party->features.push_back({xmlAttribute(a, "FeatureTypeID"), {}, {}, {}, {}});
      if (!m_party->features.empty()) {
        auto& feature = m_party->features.back();
        if (name == "VersionLocation") feature.locationIds.push_back(xmlAttribute(a, "LocationID"));
        if (name == "VersionDetail" && !xmlAttribute(a, "DetailReferenceID").empty()) {
          feature.details.push_back("@ref:" + xmlAttribute(a, "DetailReferenceID"));
        }
        if (name == "From" && inside("Start")) m_ymd = &feature.from;
        if (name == "To" && inside("End")) m_ymd = &feature.to;
      }
    }
    if (name == "SanctionsEntry") {
      m_entry = AdvancedEntry{};
      m_entry->line = line;
      m_entry->profileId = xmlAttribute(a, "ProfileID");
      m_entry->listId = xmlAttribute(a, "ListID");
    }
    if (m_entry) {
      if (name == "EntryEvent") m_entry->events.push_back({{}, xmlAttribute(a, "LegalBasisID")});
      if (name == "Date" && parent == "EntryEvent" && !m_entry->events.empty())
        m_ymd = &m_entry->events.back().date;
      if (name == "SanctionsMeasure")
        m_entry->measures.emplace_back(xmlAttribute(a, "SanctionsTypeID"), "");
    }
    if (name == "ProfileRelationship") {
      m_relations.push_back({xmlAttribute(a, "From-ProfileID"), xmlAttribute(a, "To-ProfileID"),
                             xmlAttribute(a, "RelationTypeID")});
    }
  }

  void endElement(const std::string& name, const std::string& raw) override {
    m_stack.pop_back();
    const std::string parent = m_stack.empty() ? std::string() : m_stack.back();
    const std::string text = cleanText(raw);
    if (inside("ReferenceValueSets") && m_stack.size() == 3) {
      m_refs[m_refKey] = text;
      return;
    }
    if (m_ymd) {
      if (name == "Year") m_ymd->year = text;
      if (name == "Month") m_ymd->month = text;
      if (name == "Day") m_ymd->day = text;
      if (name == "DateOfIssue" || name == "From" || name == "To" || name == "Date")
        m_ymd = nullptr;
    }
    if (name == "Location" && parent == "Locations") m_locationId.clear();
    if (name == "Value" && !m_locationId.empty())
      m_locations[m_locationId].parts.emplace_back(m_partType, text);
    if (name == "IDRegistrationNo" && m_document) m_document->number = text;
    if (name == "IDRegDocument" && m_document) {
      m_documents[m_documentIdentity].push_back(*m_document);
      m_document.reset();
    }
    if (m_party) {
      if (name == "NamePartValue" && !m_party->aliases.empty() &&
          !m_party->aliases.back().names.empty()) {
        m_party->aliases.back().names.back().push_back({m_nameGroup, text});
      }
      if (name == "VersionDetail" && !m_party->features.empty() && !text.empty()) {
        auto& details = m_party->features.back().details;
        if (details.empty() || details.back().rfind("@ref:", 0) != 0) details.push_back(text);
      }
      if (name == "Comment" && parent == "DistinctParty" && !text.empty())
        m_party->comments.push_back(text);
      if (name == "DistinctParty") {
        m_parties.push_back(std::move(*m_party));
        m_party.reset();
      }
    }
    if (m_entry) {
      if (name == "Comment" && parent == "SanctionsMeasure" && !m_entry->measures.empty()) {
        m_entry->measures.back().second = text;
      }
      if (name == "SanctionsEntry") {
        m_entries.push_back(std::move(*m_entry));
        m_entry.reset();
      }
    }
  }

  ParseResult assemble() {
    ParseResult result;
    if (auto issued = m_issued.date()) result.listDate = issued;
    std::map<std::string, std::vector<const AdvancedEntry*>> entriesByProfile;
    for (const auto& entry : m_entries) entriesByProfile[entry.profileId].push_back(&entry);
    std::map<std::string, std::vector<const AdvancedRelation*>> relationsByProfile;
    for (const auto& relation : m_relations) relationsByProfile[relation.from].push_back(&relation);
    std::set<std::string> seen;

    for (const auto& party : m_parties) {
      ++result.recordsRead;
      EntityRecord e;
      e.where = {m_path, party.line, party.profileId};
      e.key = party.profileId;
      if (party.profileId.empty()) {
        result.rejected.push_back({e.where, "DistinctParty without a Profile ID"});
        continue;
      }
      if (!seen.insert(party.profileId).second) {
        result.rejected.push_back({e.where, "duplicate Profile ID " + party.profileId});
        continue;
      }
      std::string type = ref("PartySubType", party.subTypeId);
      if (type.empty() || type == "Unknown") {
        const auto parentType = m_subTypeParent.find(party.subTypeId);
        type = parentType == m_subTypeParent.end() ? std::string()
                                                   : ref("PartyType", parentType->second);
      }
      bool known = true;
      e.kind = kindFromType(type, known);
      if (!known) {
        result.rejected.push_back({e.where, "unknown party type '" + type + "' (PartySubTypeID " +
                                                party.subTypeId + ")"});
        continue;
      }
      applyNames(party, e);
      if (e.names.empty()) {
        result.rejected.push_back({e.where, "DistinctParty without a name"});
        continue;
      }
      e.identifiers.push_back({core::scheme::kOfacEntNum, party.profileId});
      std::vector<std::string> notes = party.comments;
      if (const auto docs = m_documents.find(party.identityId); docs != m_documents.end()) {
        for (const auto& doc : docs->second) {
          const std::string docType = ref("IDRegDocType", doc.typeId);
          if (!applyDocument(e, docType, doc.number)) notes.push_back(docType + " " + doc.number);
        }
      }
      for (const auto& feature : party.features) applyFeature(feature, e, notes);
      e.notes = joinNonEmpty(notes, "; ");

      const auto entries = entriesByProfile.find(party.profileId);
      if (entries != entriesByProfile.end()) {
        for (const AdvancedEntry* entry : entries->second) {
          if (auto d = designation(*entry, e.where); d)
            e.designations.push_back(std::move(*d));
          else {
            result.rejected.push_back({{m_path, entry->line, party.profileId}, m_lastProblem});
          }
        }
      }
      if (const auto relations = relationsByProfile.find(party.profileId);
          relations != relationsByProfile.end()) {
        for (const AdvancedRelation* relation : relations->second) {
          const std::string kind = ref("RelationType", relation->typeId);
          e.links.push_back({{core::scheme::kOfacEntNum, relation->to},
                             kind.empty() ? "related to" : toLowerAscii(kind)});
        }
      }
      result.entities.push_back(std::move(e));
    }
    return result;
  }

 private:
  bool inside(const char* element) const {
    return std::find(m_stack.begin(), m_stack.end(), element) != m_stack.end();
  }

  std::string ref(const std::string& type, const std::string& id) const {
    const auto it = m_refs.find(type + ":" + id);
    return it == m_refs.end() ? std::string() : it->second;
  }

  std::string country(const std::string& id) const {
    const std::string name = ref("Country", id);
    if (!name.empty()) return name;
    const auto iso = m_iso2.find(id);
    return iso == m_iso2.end() ? std::string() : iso->second;
  }

  void applyNames(const AdvancedParty& party, EntityRecord& e) const {
    for (const auto& alias : party.aliases) {
      const std::string aliasType = ref("AliasType", alias.typeId);
      const bool primary = alias.primary && e.names.empty();
      std::string quality = primary ? std::string() : toLowerAscii(aliasType);
      if (alias.lowQuality) quality += quality.empty() ? "low quality" : " (low quality)";
      for (const auto& parts : alias.names) {
        std::map<std::string, std::string> byType;
        for (const auto& part : parts) {
          const auto group = party.groupTypes.find(part.groupId);
          const std::string partType =
              group == party.groupTypes.end() ? std::string() : ref("NamePartType", group->second);
          byType[partType] = joinNonEmpty({byType[partType], part.value}, " ");
        }
        const std::string last = byType["Last Name"];
        const std::string given = joinNonEmpty({byType["First Name"], byType["Middle Name"]}, " ");
        std::string text = joinNonEmpty(
            {byType["Entity Name"], byType["Vessel Name"], byType["Aircraft Name"]}, " ");
        if (text.empty()) text = personName(last, given);
        if (text.empty()) {
          std::vector<std::string> all;
          for (const auto& part : parts) all.push_back(part.value);
          text = joinNonEmpty(all, " ");
        }
        addName(e, text, primary, quality);
      }
    }
    if (!e.names.empty() && std::none_of(e.names.begin(), e.names.end(),
                                         [](const core::Name& n) { return n.primary; })) {
      e.names.front().primary = true;
    }
  }

  void applyFeature(const AdvancedFeature& feature, EntityRecord& e,
                    std::vector<std::string>& notes) const {
    const std::string type = ref("FeatureType", feature.typeId);
    std::vector<std::string> values;
    for (const auto& detail : feature.details) {
      values.push_back(detail.rfind("@ref:", 0) == 0 ? ref("DetailReference", detail.substr(5))
                                                     : detail);
    }
    if (type == "Location") {
      for (const auto& id : feature.locationIds) {
        const auto it = m_locations.find(id);
        if (it == m_locations.end()) continue;
        AddressRecord address;
        for (const auto& [partTypeId, value] : it->second.parts) {
          const std::string partType = toLowerAscii(ref("LocPartType", partTypeId));
          if (partType.rfind("address", 0) == 0)
            address.street = joinNonEmpty({address.street, value}, ", ");
          else if (partType == "city")
            address.city = value;
          else if (partType == "state/province" || partType == "region")
            address.province = joinNonEmpty({address.province, value}, ", ");
          else if (partType == "postal code")
            address.postalCode = value;
          else
            address.street = joinNonEmpty({address.street, value}, ", ");
        }
        for (const auto& countryId : it->second.countryIds) address.country = country(countryId);
        address.text = joinNonEmpty(
            {address.street, address.city, address.province, address.postalCode, address.country},
            ", ");
        if (!address.text.empty()) e.addresses.push_back(std::move(address));
      }
      return;
    }
    const auto locationCountries = [&] {
      std::vector<std::string> out;
      for (const auto& id : feature.locationIds) {
        if (const auto it = m_locations.find(id); it != m_locations.end()) {
          for (const auto& countryId : it->second.countryIds) out.push_back(country(countryId));
        }
      }
      return out;
    };
    if (type == "Birthdate") {
      if (const auto from = feature.from.date()) {
        const auto to = feature.to.date();
        // OFAC writes a year known only as a whole as the span 1 January to 31 December.
        if (to && *to != *from && to->year() == from->year() && from->month() == 1 &&
            from->day() == 1 && to->month() == 12 && to->day() == 31) {
          e.birthDates.push_back(std::to_string(from->year()));
        } else {
          e.birthDates.push_back(from->toString());
        }
      }
      return;
    }
    if (type == "Nationality Country" || type == "Citizenship Country") {
      for (const auto& value : values) e.nationalities.push_back(value);
      for (const auto& value : locationCountries()) e.nationalities.push_back(value);
      return;
    }
    for (const auto& value : locationCountries()) values.push_back(value);
    if (const auto from = feature.from.date()) values.push_back(from->toString());
    if (!values.empty()) notes.push_back(type + ": " + joinNonEmpty(values, ", "));
  }

  std::optional<DesignationRecord> designation(const AdvancedEntry& entry, const RecordRef&) {
    DesignationRecord d;
    d.authority = "OFAC";
    d.reference = entry.profileId;
    for (const auto& [typeId, comment] : entry.measures) {
      if (ref("SanctionsType", typeId) == "Program" && !comment.empty()) {
        for (const auto& p : splitOfacPrograms(comment)) {
          if (std::find(d.programs.begin(), d.programs.end(), p) == d.programs.end())
            d.programs.push_back(p);
        }
      }
    }
    const AdvancedEvent* first = nullptr;
    for (const auto& event : entry.events) {
      const auto date = event.date.date();
      if (!date || date->precision() != core::DatePrecision::Day) {
        m_lastProblem = "EntryEvent date " + event.date.year + "-" + event.date.month + "-" +
                        event.date.day + " is not a calendar date";
        return std::nullopt;
      }
      if (!first || *date < *first->date.date()) first = &event;
    }
    if (first) {
      d.listed = first->date.date();
      d.roundLabel = "OFAC " + d.listed->toString();
      const std::string shortRef = ref("LegalBasis", first->legalBasisId + ":short");
      d.legalBasis = shortRef.empty() ? ref("LegalBasis", first->legalBasisId) : shortRef;
    }
    return d;
  }

  std::string m_path;
  std::vector<std::string> m_stack;
  std::map<std::string, std::string> m_refs;
  std::map<std::string, std::string> m_iso2;
  std::map<std::string, std::string> m_subTypeParent;
  std::string m_refKey;
  YearMonthDay m_issued;
  YearMonthDay* m_ymd = nullptr;
  std::map<std::string, AdvancedLocation> m_locations;
  std::string m_locationId, m_partType, m_nameGroup, m_documentIdentity;
  std::optional<AdvancedDocument> m_document;
  std::map<std::string, std::vector<AdvancedDocument>> m_documents;
  std::optional<AdvancedParty> m_party;
  std::vector<AdvancedParty> m_parties;
  std::optional<AdvancedEntry> m_entry;
  std::vector<AdvancedEntry> m_entries;
  std::vector<AdvancedRelation> m_relations;
  std::string m_lastProblem;
};

} // namespace

ParseResult parseOfacXml(const std::string& path, const core::Progress& progress) {
  SdnListHandler handler(path);
  parseXmlFile(path, handler, progress);
  ParseResult result = std::move(handler.result());
  result.format = "ofac-xml";
  result.listSource = fileSource(path);
  describeOfacSource(result.listSource, "legacy XML",
                     "https://www.treasury.gov/ofac/downloads/sdn.xml");
  if (result.listDate) result.listSource.published = result.listDate->toString();
  return result;
}

ParseResult parseOfacAdvancedXml(const std::string& path, const core::Progress& progress) {
  AdvancedHandler handler(path);
  parseXmlFile(path, handler, progress, 0.0, 0.9);
  ParseResult result = handler.assemble();
  result.format = "ofac-advanced";
  result.listSource = fileSource(path);
  describeOfacSource(result.listSource, "advanced XML",
                     "https://www.treasury.gov/ofac/downloads/sanctions/1.0/sdn_advanced.xml");
  if (result.listDate) result.listSource.published = result.listDate->toString();
  core::reportProgress(progress, 1.0, "read " + path);
  return result;
}

} // namespace borderlens::ingest
