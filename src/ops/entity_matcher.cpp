#include "ops/entity_matcher.h"

#include "ingest/list_text.h"

#include <algorithm>
#include <array>

namespace borderlens::ops {

namespace {

// Legal forms and filler words that lists add or drop at will: "CHONGCHONGANG SHIPPING COMPANY"
// (UN) is OFAC's "CHONGCHONGANG SHIPPING COMPANY LIMITED".
constexpr std::array<std::string_view, 17> kOrganizationFiller{
    "co",  "company", "corp", "corporation", "ltd", "limited", "llc", "inc", "incorporated",
    "plc", "jsc",     "the",  "and",         "of",  "gmbh",    "sa",  "pte"};

constexpr const char* kSeparator = "\x1F";

// A list identifier names one entry of one list: a match on it is the same entry again.
bool isEntryScheme(const std::string& scheme) {
  return scheme == core::scheme::kUnReference || scheme == core::scheme::kOfacEntNum ||
         scheme == core::scheme::kFtm;
}

bool compatible(core::EntityKind a, core::EntityKind b) { return a == b; }

bool overlaps(const std::set<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(b.begin(), b.end(), [&](const std::string& x) { return a.count(x) > 0; });
}

// "1964" and "1964-07-17" overlap; "1964-07-17" and "1964-07-18" do not.
bool datesOverlap(const std::set<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.rfind(y, 0) == 0 || y.rfind(x, 0) == 0) return true;
    }
  }
  return false;
}

} // namespace

std::vector<std::string> EntityMatcher::nameKeys(std::string_view name, core::EntityKind kind) {
  std::string text(name);
  if (kind != core::EntityKind::Person) {
    // "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)": the acronym is an alias, not the name.
    std::string bare;
    int depth = 0;
    for (char c : text) {
      if (c == '(')
        ++depth;
      else if (c == ')')
        depth = std::max(0, depth - 1);
      else if (depth == 0)
        bare += c;
    }
    if (!ingest::cleanText(bare).empty()) text = bare;
  }
  std::vector<std::string> tokens;
  for (const auto& token : ingest::splitText(ingest::foldForMatching(text), ' ')) {
    if (token.empty()) continue;
    if (kind != core::EntityKind::Person &&
        std::find(kOrganizationFiller.begin(), kOrganizationFiller.end(), token) !=
            kOrganizationFiller.end()) {
      continue;
    }
    tokens.push_back(token);
  }
  if (tokens.empty()) return {};
  std::string ordered;
  for (const auto& token : tokens) ordered += token;
  std::sort(tokens.begin(), tokens.end());
  std::string sorted;
  for (const auto& token : tokens) sorted += token + " ";
  std::vector<std::string> keys{ordered};
  if (sorted != ordered) keys.push_back(sorted);
  return keys;
}

MatchFacts EntityMatcher::factsOf(const store::EntityDigest& digest) {
  MatchFacts facts;
  facts.kind = digest.kind;
  for (const auto& name : digest.names) {
    if (ingest::containsNoCase(name.quality, "low") || ingest::containsNoCase(name.quality, "weak"))
      continue;
    facts.names.push_back(name.text);
  }
  for (const auto& id : digest.identifiers) {
    if (id.scheme == kNationalityScheme)
      facts.countries.push_back(id.value);
    else if (id.scheme == kBirthDateScheme)
      facts.birthDates.push_back(id.value);
    else
      facts.identifiers.push_back(id);
  }
  facts.countries.insert(facts.countries.end(), digest.countries.begin(), digest.countries.end());
  return facts;
}

EntityMatcher::EntityMatcher(const std::vector<store::EntityDigest>& digests) {
  for (const auto& digest : digests) add(digest.id, factsOf(digest));
}

void EntityMatcher::add(core::RecordId id, const MatchFacts& facts) {
  Known& known = m_known.try_emplace(id, Known{facts.kind, {}, {}, {}}).first->second;
  known.countries.insert(facts.countries.begin(), facts.countries.end());
  known.birthDates.insert(facts.birthDates.begin(), facts.birthDates.end());
  for (const auto& identifier : facts.identifiers) {
    known.identifiers[identifier.scheme].insert(identifier.value);
    m_byIdentifier[identifier.scheme + kSeparator + identifier.value].insert(id);
  }
  for (std::size_t i = 0; i < facts.names.size(); ++i) {
    for (const auto& key : nameKeys(facts.names[i], known.kind)) {
      m_byName[key].insert(id);
      if (i == 0) m_byPrimaryName[key].insert(id);
    }
    for (const auto& key : nameKeys(facts.names[i], core::EntityKind::Person)) {
      m_byAnyKindName[key].insert(id);
      if (i == 0) m_byAnyKindPrimaryName[key].insert(id);
    }
  }
}

EntityMatcher::Outcome EntityMatcher::find(const MatchFacts& facts,
                                           const std::string& keyScheme) const {
  Outcome outcome;
  // One entity holds at most one entry of a list: a record keyed by OFAC ent_num 23723 is never
  // merged into an entity that already is OFAC entry 19583, whatever else they share.
  const auto otherEntry = [&](const Known& known) {
    if (keyScheme.empty()) return false;
    const auto own = known.identifiers.find(keyScheme);
    if (own == known.identifiers.end()) return false;
    return std::none_of(facts.identifiers.begin(), facts.identifiers.end(), [&](const auto& x) {
      return x.scheme == keyScheme && own->second.count(x.value) > 0;
    });
  };
  // An IMO number belongs to one ship or company for good: two of them that share none are two.
  const auto differentImo = [&](const Known& known) {
    const auto imos = known.identifiers.find(core::scheme::kImo);
    if (imos == known.identifiers.end()) return false;
    bool recordHasImo = false;
    for (const auto& x : facts.identifiers) {
      if (x.scheme != core::scheme::kImo) continue;
      if (imos->second.count(x.value)) return false;
      recordHasImo = true;
    }
    return recordHasImo;
  };
  const auto byIdentifier =
      [&](const core::Identifier& identifier) -> std::optional<core::RecordId> {
    const auto it = m_byIdentifier.find(identifier.scheme + kSeparator + identifier.value);
    if (it == m_byIdentifier.end()) return std::nullopt;
    for (core::RecordId id : it->second) {
      const Known& known = m_known.at(id);
      if (isEntryScheme(identifier.scheme) ||
          (compatible(known.kind, facts.kind) && !otherEntry(known)))
        return id;
    }
    return std::nullopt;
  };
  for (const char* scheme : {core::scheme::kUnReference, core::scheme::kOfacEntNum,
                             core::scheme::kFtm, core::scheme::kImo, "passport"}) {
    if (std::string(scheme) == "passport" && facts.kind != core::EntityKind::Person) continue;
    for (const auto& identifier : facts.identifiers) {
      if (identifier.scheme != scheme) continue;
      if (const auto id = byIdentifier(identifier)) {
        outcome.match = Match{*id, identifier.scheme + " " + identifier.value};
        return outcome;
      }
    }
  }

  std::set<core::RecordId> candidates;
  std::string matchedName;
  for (const auto& name : facts.names) {
    for (const auto& key : nameKeys(name, facts.kind)) {
      const auto it = m_byName.find(key);
      if (it == m_byName.end()) continue;
      for (core::RecordId id : it->second) {
        if (candidates.insert(id).second && matchedName.empty()) matchedName = name;
      }
    }
  }
  std::vector<core::RecordId> fitting;
  std::string corroboration;
  for (core::RecordId id : candidates) {
    const Known& known = m_known.at(id);
    if (!compatible(known.kind, facts.kind)) continue;
    if (otherEntry(known) || differentImo(known)) continue;
    if (facts.kind == core::EntityKind::Person) {
      const bool bothDated = !known.birthDates.empty() && !facts.birthDates.empty();
      if (bothDated && datesOverlap(known.birthDates, facts.birthDates)) {
        corroboration = "date of birth";
      } else if (!bothDated && overlaps(known.countries, facts.countries)) {
        corroboration = "nationality";
      } else {
        continue;
      }
    } else if (known.countries.empty() || facts.countries.empty()) {
      corroboration = "no country to contradict it";
    } else if (overlaps(known.countries, facts.countries)) {
      corroboration = "country";
    } else {
      continue;
    }
    fitting.push_back(id);
  }
  if (fitting.size() > 1 && !facts.names.empty()) {
    std::vector<core::RecordId> primary;
    for (const auto& key : nameKeys(facts.names.front(), facts.kind)) {
      const auto it = m_byPrimaryName.find(key);
      if (it == m_byPrimaryName.end()) continue;
      for (core::RecordId id : fitting) {
        if (it->second.count(id) && std::find(primary.begin(), primary.end(), id) == primary.end())
          primary.push_back(id);
      }
    }
    if (primary.size() == 1) {
      outcome.match = Match{primary.front(), "primary name '" + facts.names.front() + "' (" +
                                                 std::to_string(fitting.size() - 1) +
                                                 " other entities share an alias)"};
      return outcome;
    }
  }
  if (fitting.size() == 1) {
    outcome.match = Match{fitting.front(), "name '" + matchedName + "' and " + corroboration};
  } else if (fitting.size() > 1) {
    outcome.ambiguous = fitting;
  }
  return outcome;
}

std::optional<core::RecordId> EntityMatcher::findByName(std::string_view name) const {
  const auto lookup = [&](const std::map<std::string, std::set<core::RecordId>>& index) {
    std::set<core::RecordId> found;
    for (const auto& key : nameKeys(name, core::EntityKind::Person)) {
      if (const auto it = index.find(key); it != index.end())
        found.insert(it->second.begin(), it->second.end());
    }
    return found;
  };
  // A primary name wins over aliases other parties share.
  if (const auto primary = lookup(m_byAnyKindPrimaryName); primary.size() == 1)
    return *primary.begin();
  const auto any = lookup(m_byAnyKindName);
  if (any.size() != 1) return std::nullopt;
  return *any.begin();
}

} // namespace borderlens::ops
