#pragma once

#include "core/model.h"
#include "store/store.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace borderlens::ops {

// Identifier schemes that record facts used to recognise a person across lists rather than
// identify anything: a nationality (ISO alpha-2) and a date of birth (YYYY[-MM[-DD]]). Stored as
// identifiers so that a later import, in another run, can still tell two namesakes apart.
inline constexpr const char* kNationalityScheme = "nationality";
inline constexpr const char* kBirthDateScheme = "dob";

// What an entity offers to be recognised by.
struct MatchFacts {
  core::EntityKind kind = core::EntityKind::Organization;
  std::vector<core::Identifier> identifiers;
  std::vector<std::string> names;  // primary name first, then aliases (not low-quality ones)
  std::vector<std::string> countries;  // ISO alpha-2 of locations and nationalities
  std::vector<std::string> birthDates;  // YYYY[-MM[-DD]]
};

// Recognises an entity already in the database (or imported earlier in the same run) when a list
// brings it again, so that one party listed by two authorities, or by two snapshots of one list,
// becomes one entity with both designations. In order:
// 1. a shared list identifier: UN reference, OFAC ent_num, FtM id (the same entry again), then a
//    shared IMO number (of compatible kind), then a shared passport number (persons);
// 2. the same normalised name (case, accents, punctuation, word order, and for organizations
//    legal forms such as Co./Ltd./Corporation and parenthesised acronyms ignored) of a compatible
//    kind, corroborated: for a person by an overlapping date of birth, or by a shared nationality
//    when the birth dates do not contradict each other; for others by a shared country, or no
//    country on either side.
// A name match is refused when the candidate already carries a different identifier of the
// scheme the new record is keyed by (two OFAC entries are two parties, whatever their names), when
// both carry IMO numbers and share none (namesake ships), and
// when more than one candidate fits (namesakes stay apart; the report says so) — unless exactly
// one of them bears the record's primary name as its own primary name: an alias shared with
// another listed party does not make the party itself ambiguous.
class EntityMatcher {
 public:
  explicit EntityMatcher(const std::vector<store::EntityDigest>& digests);

  struct Match {
    core::RecordId id = 0;
    std::string how;  // "ofac 17068", "imo 1790183", "name 'KOREA MINING ...' and country kp"
  };
  struct Outcome {
    std::optional<Match> match;
    std::vector<core::RecordId> ambiguous;  // several name candidates: none taken
  };

  // `keyScheme` is the scheme of the record's own list identifier (un, ofac, ftm), if any.
  Outcome find(const MatchFacts& facts, const std::string& keyScheme) const;
  void add(core::RecordId id, const MatchFacts& facts);

  // The one entity whose name (any of them) has this normalised form, for links by name.
  std::optional<core::RecordId> findByName(std::string_view name) const;

  // Comparison keys of a name: its tokens in order and sorted, concatenated.
  static std::vector<std::string> nameKeys(std::string_view name, core::EntityKind kind);

  // Facts of a stored entity, from its digest.
  static MatchFacts factsOf(const store::EntityDigest& digest);

 private:
  struct Known {
    core::EntityKind kind;
    std::set<std::string> countries;
    std::set<std::string> birthDates;
    std::map<std::string, std::set<std::string>> identifiers;  // scheme -> values
  };

  std::map<core::RecordId, Known> m_known;
  std::map<std::string, std::set<core::RecordId>> m_byIdentifier;  // "scheme\x1Fvalue"
  std::map<std::string, std::set<core::RecordId>> m_byName;
  std::map<std::string, std::set<core::RecordId>> m_byPrimaryName;
  std::map<std::string, std::set<core::RecordId>> m_byAnyKindName;
  std::map<std::string, std::set<core::RecordId>> m_byAnyKindPrimaryName;
};

} // namespace borderlens::ops
