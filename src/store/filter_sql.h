#pragma once

#include "store/filter.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace borderlens::store {

using SqlParam = std::variant<std::int64_t, double, std::string>;

// The SQL a backend speaks: its placeholders, spatial functions and text search.
enum class SqlDialect {
  Spatialite,  // ?1, ?2, ...; SpatiaLite's functions and R*Tree, FTS5 MATCH
  Postgis,     // $1, $2, ...; PostGIS's functions, tsquery
};

// Conditions to append to a WHERE clause, each starting " AND ", and their parameters in
// placeholder order. Placeholders name their parameter by number: one may stand twice.
struct FilterSql {
  std::string conditions;
  std::vector<SqlParam> params;
};

// Incident ids from first to last, inclusive.
struct IdSlice {
  core::RecordId first = 0;
  core::RecordId last = 0;
};

// A SpatiaLite point's blob (XY) is this long, and no other geometry's blob is (any other type or
// dimension has another length).
constexpr std::size_t kSpatialitePointBlobBytes = 60;
// SQL that is true where the SpatiaLite geometry `geom` is a point, without parsing its blob.
std::string isSpatialitePoint(const std::string& geom);

// Record ids folded into one column by group_concat or string_agg ("3,12,40"), in ascending
// order whatever order the aggregate met them in.
std::vector<core::RecordId> parseIdList(std::string_view text);

// ftsQuery(text), or an empty string for no text; throws core::UsageError when the text has
// nothing to search for.
std::string searchQuery(const std::string& text);

// The filter over `entities e LEFT JOIN locations l ON l.entity_id = e.id`, one row per location.
// textQuery: the dialect's form of searchQuery(filter.text); when it is empty while filter.text is
// not, nothing matches.
FilterSql entityConditions(const FilterSpec& filter, SqlDialect dialect,
                           const std::string& textQuery);

// The R*Trees a SpatiaLite database keeps over incidents: SpatiaLite's on place, and from schema 5
// on, incidents_span_rtree on place and day span together.
enum class IncidentRtrees { Place, PlaceAndSpan };

// The filter over `incidents i`; textQuery as for entityConditions. With a slice, only the
// incidents whose id lies in it. `rtrees`: what the SpatiaLite database has (PostGIS ignores it).
FilterSql incidentConditions(const FilterSpec& filter, SqlDialect dialect,
                             const std::string& textQuery,
                             const std::optional<IdSlice>& slice = std::nullopt,
                             IncidentRtrees rtrees = IncidentRtrees::PlaceAndSpan);

// The incidents of part `part` of `parts` (see QueryOptions::parts), given the smallest and
// largest incident id in the reader's snapshot: an equal share of that range (empty when there
// are no incidents). nullopt when parts is 1.
std::optional<IdSlice> idSlice(
    const std::optional<std::pair<core::RecordId, core::RecordId>>& idRange, unsigned part,
    unsigned parts);

} // namespace borderlens::store
