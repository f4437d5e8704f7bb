#pragma once

#include "core/progress.h"
#include "ingest/records.h"

#include <optional>
#include <string>
#include <string_view>

// OpenSanctions / FollowTheMoney inputs.
namespace borderlens::ingest {

// FollowTheMoney JSON lines (OpenSanctions entities.ftm.json, or any FtM export).
//  - Person, Organization, Company, LegalEntity, PublicBody → entities (Vessel → vessel,
//    Airplane → aircraft). name/alias/weakAlias/previousName → names (quality "", "alias",
//    "weak", "previous"; the top-level `caption`, else the first `name`, is primary; script
//    detected, language ko for Hangul and zh for Han as in list_text.h); imoNumber →
//    imo (digits only); other identifier properties keep their FtM property name as scheme; the
//    FtM id is an `ftm` identifier; country, nationality, citizenship, jurisdiction, flag →
//    nationalities; birthDate → birthDates; notes → notes; first_seen/last_seen → firstSeen/
//    lastSeen.
//  - Address → the AddressRecord of every entity naming it in addressEntity (full, street,
//    city, region/state, postalCode, country, latitude/longitude). Coordinates on an address
//    without street or postal code are city-centre (or region, or country) coordinates, and the
//    record says so in its precision, so that they are never drawn as exact pins. An entity's
//    plain `address` text is used only when it has no addressEntity (FtM keeps the text as a
//    caption of the structured address).
//  - Sanction → a DesignationRecord of its `entity` (authority normalised by
//    normaliseAuthority; program → programs; authorityId → reference, and an `un`/`ofac`
//    identifier of the entity for UN and OFAC listings, as unscId is; listingDate, else
//    startDate → listed; endDate → delisted).
//  - Ownership, Directorship, Employment, Membership, Family, Associate, Representation,
//    UnknownLink, Succession → a link on whichever of their two entities is in the file;
//    Identification and Passport → an identifier of their holder.
//  - Any other schema, and a link record without both ends, is skipped and counted in the
//    warnings.
// sourceUrl and publisher are unordered sets in FtM, so they are paired only when there is one
// publisher; otherwise each URL and each publisher is a source of its own.
// A first line that is not a JSON object means the file is not FtM: core::InputRejected.
ParseResult parseFtmJson(const std::string& path, const core::Progress& progress);

// OpenSanctions targets.simple.csv (columns id, schema, name, aliases, birth_date, countries,
// addresses, identifiers, sanctions, phones, emails, dataset, first_seen, last_seen,
// last_change; list cells `;`-separated). A sanctions cell is OpenSanctions' summary
// "program - reason - status - startDate - endDate" of each Sanction: its first part is the
// program, its first and second dates are listed and delisted. The authority comes from the
// row's datasets (e.g. "US OFAC Specially Designated Nationals (SDN) List" → OFAC) or, when
// they name several authorities, from the summary itself; a sanction whose authority cannot be
// told is reported in the warnings, not imported. Identifiers carry
// no scheme in this format: "IMO1234567" becomes imo, anything else scheme "identifier".
// phones and emails are not imported.
ParseResult parseFtmTargetsCsv(const std::string& path, const core::Progress& progress);

// The authority code of a sanctions authority's name as lists and FtM write it, or nullopt.
// Matched on whole words, case-insensitively, in this order:
//   FinCEN: "FinCEN", "Financial Crimes Enforcement Network"
//   UK:     "OFSI", "HM Treasury", "HMT", "Her/His Majesty's Treasury", "United Kingdom", "UK"
//   OFAC:   "OFAC", "Office of Foreign Assets Control", "US Treasury", "U.S. Treasury",
//           "Department of the Treasury", "Treasury Department"
//   UN:     "UN", "United Nations", "Security Council", "1718 Committee"
//   EU:     "EU", "European Union", "Council of the EU"
//   JP: "Japan"; AU: "Australia(n)", "DFAT"; CA: "Canada", "Canadian"; CH: "Switzerland",
//   "Swiss", "SECO".
// FinCEN and the UK come first because their names also say "Treasury".
std::optional<std::string> normaliseAuthority(std::string_view text);

} // namespace borderlens::ingest
