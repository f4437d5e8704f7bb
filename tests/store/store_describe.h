#pragma once

#include "core/model.h"
#include "store/store.h"

#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

// One line of text per record, so the store tests can compare two backends (or a database and its
// copy) by comparing strings, and print the difference when they disagree.
namespace borderlens::test {

inline std::string number(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

template <typename T>
inline std::string text(const std::optional<T>& value) {
  if (!value) return "-";
  if constexpr (std::is_same_v<T, double>) return number(*value);
  else if constexpr (std::is_same_v<T, core::Date>) return value->toString();
  else return std::to_string(*value);
}

inline std::string ids(const std::vector<core::RecordId>& list) {
  std::string out;
  for (const auto id : list) out += std::to_string(id) + ",";
  return out;
}

inline std::string describe(const store::FeatureRow& r) {
  std::ostringstream out;
  out << store::nameOf(r.type) << " " << r.id << " " << r.locationId << " | " << r.kind << " | "
      << r.name << " | " << text(r.lon) << " " << text(r.lat) << " | " << r.precision << " | "
      << r.start << " | " << r.end << " | " << r.place << " | " << r.authorities << " | "
      << r.rounds << " | " << r.programs << " | " << text(r.confidence) << " | "
      << text(r.firstDay) << " " << text(r.lastDay) << " | " << text(r.borderKm) << " | " << r.wkt
      << " | " << r.externalId << " | " << r.description << " | " << ids(r.sourceIds) << " | "
      << r.linkCount << "\n";
  return out.str();
}

inline std::string describe(const std::optional<core::Entity>& entity) {
  if (!entity) return "no entity\n";
  const core::Entity& e = *entity;
  std::ostringstream out;
  out << e.id << " " << core::nameOf(e.kind) << " notes=" << e.notes << " seen " << text(e.firstSeen)
      << ".." << text(e.lastSeen) << " sources " << ids(e.sourceIds) << "\n";
  for (const auto& n : e.names) {
    out << "  name " << n.text << " | " << core::nameOf(n.script) << " | " << n.language << " | "
        << n.primary << " | " << n.quality << "\n";
  }
  for (const auto& i : e.identifiers) out << "  id " << i.scheme << ":" << i.value << "\n";
  for (const auto& l : e.locations) {
    out << "  location " << l.id << " " << l.wkt << " | " << core::nameOf(l.precision) << " | "
        << l.address << " | " << l.country << "\n";
  }
  return out.str();
}

inline std::string describe(const core::Designation& d) {
  std::ostringstream out;
  out << "designation " << d.id << " " << d.entityId << " " << d.authority << " " << d.reference
      << " listed " << text(d.listed) << " delisted " << text(d.delisted) << " round " << d.roundId
      << " sources " << ids(d.sourceIds) << " programs";
  for (const auto& p : d.programs) out << " [" << p << "]";
  return out.str() + "\n";
}

inline std::string describe(const std::optional<core::Incident>& incident) {
  if (!incident) return "no incident\n";
  const core::Incident& i = *incident;
  std::ostringstream out;
  out << i.id << " " << i.externalId << " | " << i.kind << " | " << i.title << " | "
      << i.span.start.toString() << ".." << text(i.span.end) << " | " << i.wkt << " | "
      << core::nameOf(i.precision) << " | " << i.place << " | " << i.description << " | "
      << number(i.confidence) << " | sources " << ids(i.sourceIds) << "\n";
  return out.str();
}

inline std::string describe(const store::DumpValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "NULL";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return "i" + std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return "r" + number(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return "'" + v + "'";
        } else {
          std::string hex = "x";
          for (const auto byte : v) {
            char pair[3];
            std::snprintf(pair, sizeof pair, "%02x", byte);
            hex += pair;
          }
          return hex;
        }
      },
      value);
}

inline std::string features(store::Store& db, const store::FilterSpec& filter,
                     store::QueryOptions options = {true, 0}) {
  std::string out;
  db.forEachFeature(filter, options, [&](const store::FeatureRow& row) {
    out += describe(row);
    return true;
  });
  return out;
}
inline std::string describe(const std::vector<store::LinkedRecord>& links) {
  std::ostringstream out;
  for (const auto& l : links) {
    out << "  link " << store::nameOf(l.type) << " " << l.id << " " << l.name << " | "
        << l.relation << " | " << text(l.lon) << " " << text(l.lat) << "\n";
  }
  return out.str();
}

} // namespace borderlens::test
