#include "export/layers.h"

#include "core/errors.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>
#include <sstream>

namespace borderlens::exports {

const char* nameOf(LayerKind kind) {
  switch (kind) {
    case LayerKind::Entities: return "entities";
    case LayerKind::Designations: return "designations";
    case LayerKind::Incidents: return "incidents";
    case LayerKind::Links: return "links";
    case LayerKind::Base: return "base";
  }
  return "?";
}

std::vector<LayerKind> parseLayerList(const std::string& list, const std::vector<LayerKind>& allowed) {
  std::set<LayerKind> chosen;
  std::string allowedNames;
  for (auto kind : allowed) allowedNames += (allowedNames.empty() ? "" : ",") + std::string(nameOf(kind));
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto it = std::find_if(allowed.begin(), allowed.end(),
                                 [&](LayerKind kind) { return item == nameOf(kind); });
    if (it == allowed.end()) {
      throw core::UsageError("unknown layer '" + item + "' in --layers: expected some of " + allowedNames);
    }
    chosen.insert(*it);
  }
  if (chosen.empty()) throw core::UsageError("--layers is empty: expected some of " + allowedNames);
  return {chosen.begin(), chosen.end()};
}

const char* nameOf(GeometryFamily family) {
  switch (family) {
    case GeometryFamily::None: return "none";
    case GeometryFamily::Point: return "point";
    case GeometryFamily::Line: return "line";
    case GeometryFamily::Polygon: return "polygon";
  }
  return "?";
}

GeometryFamily familyOfWkt(const std::string& wkt) {
  std::string head;
  for (char c : wkt) {
    if (c == '(' || c == ' ') break;
    head += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (head.empty() || wkt.find("EMPTY") != std::string::npos) return GeometryFamily::None;
  if (head.find("POINT") != std::string::npos) return GeometryFamily::Point;
  if (head.find("LINESTRING") != std::string::npos) return GeometryFamily::Line;
  if (head.find("POLYGON") != std::string::npos) return GeometryFamily::Polygon;
  // A geometry collection has no one family; writers that need one treat it as a polygon layer's.
  return GeometryFamily::Polygon;
}

std::string isoDate(Day day) { return core::Date::fromDays(day.days).toString(); }

std::string valueText(const Value& value) {
  return std::visit(Overloaded{
                        [](std::monostate) { return std::string(); },
                        [](const std::string& text) { return text; },
                        [](std::int64_t number) { return std::to_string(number); },
                        [](double number) {
                          char buffer[32];
                          const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
                          return std::string(buffer, result.ptr);
                        },
                        [](Day day) { return isoDate(day); },
                    },
                    value);
}

int LayerDef::fieldIndex(const std::string& field) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<std::string>& authorityPrecedence() {
  static const std::vector<std::string> list{"UN", "OFAC", "EU", "UK", "FinCEN", "KR"};
  return list;
}

// ---------------------------------------------------------------------------------------------
// Sources

const core::Source& SourceBook::lookup(core::RecordId id) {
  auto it = m_sources.find(id);
  if (it == m_sources.end()) {
    core::Source source = m_store.source(id).value_or(core::Source{});
    source.id = id;
    it = m_sources.emplace(id, std::move(source)).first;
  }
  return it->second;
}

std::string SourceBook::citation(const std::vector<core::RecordId>& ids) {
  std::string out;
  for (auto id : ids) {
    const core::Source& s = lookup(id);
    m_cited.insert(id);
    std::string one = s.publisher;
    if (!s.title.empty()) one += (one.empty() ? "" : ": ") + s.title;
    if (!s.published.empty()) one += " (" + s.published + ")";
    const std::string& where = s.url.empty() ? s.file : s.url;
    if (!where.empty()) one += " " + where;
    out += (out.empty() ? "" : " | ") + one;
  }
  return out;
}

std::string SourceBook::idList(const std::vector<core::RecordId>& ids) const {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::vector<core::Source> SourceBook::cited() const {
  std::vector<core::Source> out;
  for (auto id : m_cited) out.push_back(m_sources.at(id));
  return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Layer definitions: the names, order and Shapefile names are documented in docs/exports.md.

Field text(const char* name, const char* shortName) { return {name, FieldType::Text, shortName}; }
Field integer(const char* name, const char* shortName) { return {name, FieldType::Integer, shortName}; }
Field real(const char* name, const char* shortName) { return {name, FieldType::Real, shortName}; }
Field date(const char* name, const char* shortName) { return {name, FieldType::Date, shortName}; }

LayerDef entitiesDef() {
  return {"entities",
          "Sanctioned and watched entities, one feature per location",
          {integer("entity_id", "entity_id"), integer("location_id", "loc_id"), text("kind", "kind"),
           text("name", "name"), text("name_han", "name_han"), text("name_hangul", "name_hang"),
           text("aliases", "aliases"), text("identifiers", "identifier"), text("authority", "authority"),
           text("authorities", "auths"), text("programs", "programs"), text("rounds", "rounds"),
           text("listed", "listed"), date("time_begin", "time_begin"), date("time_end", "time_end"),
           text("precision", "precision"), text("address", "address"), text("country", "country"),
           real("border_km", "border_km"), text("sources", "sources"), text("source_ids", "source_ids")},
          GeometryFamily::Point,
          true};
}

LayerDef designationsDef() {
  return {"designations",
          "Designations, one row per listing of an entity by an authority",
          {integer("designation_id", "desig_id"), integer("entity_id", "entity_id"),
           text("entity_name", "ent_name"), text("entity_kind", "ent_kind"), text("authority", "authority"),
           text("programs", "programs"), text("reference", "reference"), text("listed", "listed"),
           text("delisted", "delisted"), text("round_id", "round_id"), text("round_label", "round_lbl"),
           date("time_begin", "time_begin"), date("time_end", "time_end"), text("precision", "precision"),
           text("sources", "sources"), text("source_ids", "source_ids")},
          GeometryFamily::Point,
          true};
}

LayerDef incidentsDef() {
  return {"incidents",
          "Reported incidents",
          {integer("incident_id", "inc_id"), text("external_id", "ext_id"), text("kind", "kind"),
           text("title", "title"), text("start_date", "start_date"), text("end_date", "end_date"),
           text("start_precision", "start_prec"), text("end_precision", "end_prec"),
           date("time_begin", "time_begin"), date("time_end", "time_end"), text("precision", "precision"),
           text("place", "place"), text("description", "descr"), real("confidence", "confidence"),
           text("entities", "entities"), text("entity_ids", "entity_ids"), text("authorities", "auths"),
           text("rounds", "rounds"), real("border_km", "border_km"), text("sources", "sources"),
           text("source_ids", "source_ids")},
          GeometryFamily::Point,
          true};
}

LayerDef linksDef() {
  return {"links",
          "Links from entities to linked entities and incidents",
          {text("from_type", "from_type"), integer("from_id", "from_id"), text("from_name", "from_name"),
           text("to_type", "to_type"), integer("to_id", "to_id"), text("to_name", "to_name"),
           text("relation", "relation"), text("sources", "sources"), text("source_ids", "source_ids")},
          GeometryFamily::Line,
          false};
}

// ---------------------------------------------------------------------------------------------
// Value helpers

Value textOrNull(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
Value realOrNull(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }
Value dayOrNull(const std::optional<std::int32_t>& d) { return d ? Value{Day{*d}} : Value{}; }

std::string number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

struct Point {
  double lon = 0;
  double lat = 0;
};

std::optional<Point> pointOf(const std::optional<double>& lon, const std::optional<double>& lat) {
  if (!lon || !lat) return std::nullopt;
  return Point{*lon, *lat};
}

std::string lineWkt(const Point& a, const Point& b) {
  return "LINESTRING(" + number(a.lon) + " " + number(a.lat) + ", " + number(b.lon) + " " +
         number(b.lat) + ")";
}

bool coarse(const std::string& precision) {
  return !precision.empty() && precision != "exact" && precision != "street";
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    if (item.empty()) continue;
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

std::vector<std::string> splitList(const std::string& joined) {
  std::vector<std::string> out;
  std::stringstream stream(joined);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string primaryAuthority(const std::vector<std::string>& authorities) {
  for (const auto& preferred : authorityPrecedence()) {
    if (std::find(authorities.begin(), authorities.end(), preferred) != authorities.end()) return preferred;
  }
  return authorities.empty() ? std::string() : *std::min_element(authorities.begin(), authorities.end());
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The designation conditions of a filter, applied to one designation, exactly as the store
// applies them when it selects the entity (see store::FilterSpec).
bool designationSelected(const core::Designation& d, const store::FilterSpec& f) {
  if (!f.rounds.empty() && !contains(f.rounds, d.roundId)) return false;
  if (!f.authorities.empty() && !contains(f.authorities, d.authority)) return false;
  if (!f.programs.empty() &&
      std::none_of(d.programs.begin(), d.programs.end(), [&](const auto& p) { return contains(f.programs, p); })) {
    return false;
  }
  if (f.window.to && (!d.listed || d.listed->firstDay() > *f.window.to)) return false;
  if (f.window.from) {
    if (d.delisted && d.delisted->lastDay() < *f.window.from) return false;
    if (!f.window.to && !d.listed) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// What the filter selects, gathered once for the layers that follow entities and incidents.

struct Selected {
  core::RecordId id = 0;
  std::optional<Point> point;  // the first location's point (entities), a point on it (incidents)
  std::string name;
};

struct Selection {
  std::vector<Selected> entities;  // distinct, in store order
  std::map<core::RecordId, std::size_t> entityIndex;
  std::uint64_t entityRows = 0;
  std::vector<Selected> incidents;
  std::map<core::RecordId, std::size_t> incidentIndex;
};

class Context {
 public:
  Context(store::Store& store, const store::FilterSpec& filter, SourceBook& sources)
      : m_store(store), m_filter(filter), m_sources(sources) {}

  store::Store& store() { return m_store; }
  const store::FilterSpec& filter() const { return m_filter; }
  SourceBook& sources() { return m_sources; }

  const Selection& selection() {
    if (!m_selection) {
      m_selection = Selection{};
      Selection& s = *m_selection;
      m_store.forEachFeature(m_filter, {}, [&](const store::FeatureRow& row) {
        if (row.type == store::FeatureType::Entity) {
          ++s.entityRows;
          if (!s.entityIndex.count(row.id)) {
            s.entityIndex[row.id] = s.entities.size();
            s.entities.push_back({row.id, pointOf(row.lon, row.lat), row.name});
          }
        } else {
          s.incidentIndex[row.id] = s.incidents.size();
          s.incidents.push_back({row.id, pointOf(row.lon, row.lat), row.name});
        }
        return true;
      });
    }
    return *m_selection;
  }

  const std::string& roundLabel(const std::string& id) {
    if (!m_roundLabels) {
      m_roundLabels.emplace();
      m_store.forEachRound([&](const store::RoundRow& row) {
        (*m_roundLabels)[row.round.id] = row.round.label;
        return true;
      });
    }
    static const std::string none;
    const auto it = m_roundLabels->find(id);
    return it == m_roundLabels->end() ? none : it->second;
  }

 private:
  store::Store& m_store;
  store::FilterSpec m_filter;
  SourceBook& m_sources;
  std::optional<Selection> m_selection;
  std::optional<std::map<std::string, std::string>> m_roundLabels;
};

void checkCancel(const LayerProgress& progress, std::uint64_t done, std::uint64_t total) {
  // Every 64 records is often enough for a responsive bar and a prompt cancel.
  if (done % 64 != 0 && done != total) return;
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  if (progress && !progress(fraction)) throw core::Cancelled();
}

// ---------------------------------------------------------------------------------------------
// Producers

struct EntityDetails {
  core::Entity entity;
  std::vector<core::Designation> designations;
};

void produceEntities(Context& context, const RecordSink& sink, const LayerProgress& progress) {
  const std::uint64_t total = context.selection().entityRows;
  std::uint64_t done = 0;
  std::optional<EntityDetails> details;
  store::QueryOptions query;
  query.withGeometry = true;
  context.store().forEachFeature(context.filter(), query, [&](const store::FeatureRow& row) {
    if (row.type != store::FeatureType::Entity) return false;  // entities come first
    if (!details || details->entity.id != row.id) {
      details = EntityDetails{context.store().entity(row.id).value_or(core::Entity{}),
                              context.store().designationsOf(row.id)};
    }
    const core::Entity& e = details->entity;
    std::string han, hangul;
    std::vector<std::string> aliases;
    for (const auto& n : e.names) {
      if (n.script == core::Script::Han && han.empty()) han = n.text;
      if (n.script == core::Script::Hangul && hangul.empty()) hangul = n.text;
      if (n.text != row.name) aliases.push_back(n.text);
    }
    std::vector<std::string> identifiers;
    for (const auto& id : e.identifiers) identifiers.push_back(id.scheme + ":" + id.value);
    std::set<std::string> programs;
    for (const auto& d : details->designations) programs.insert(d.programs.begin(), d.programs.end());
    std::string country;
    for (const auto& location : e.locations) {
      if (location.id == row.locationId) country = location.country;
    }
    const auto authorities = splitList(row.authorities);

    Record r;
    r.values = {std::int64_t{row.id},
                row.locationId ? Value{std::int64_t{row.locationId}} : Value{},
                row.kind,
                row.name,
                textOrNull(han),
                textOrNull(hangul),
                textOrNull(join(aliases, " | ")),
                textOrNull(join(identifiers, "; ")),
                textOrNull(primaryAuthority(authorities)),
                textOrNull(row.authorities),
                textOrNull(join({programs.begin(), programs.end()}, ",")),
                textOrNull(row.rounds),
                textOrNull(row.start),
                dayOrNull(row.firstDay),
                dayOrNull(row.lastDay),
                textOrNull(row.precision),
                textOrNull(row.place),
                textOrNull(country),
                realOrNull(row.borderKm),
                textOrNull(context.sources().citation(e.sourceIds)),
                textOrNull(context.sources().idList(e.sourceIds))};
    r.wkt = row.wkt;
    r.family = familyOfWkt(r.wkt);
    r.label = row.name;
    r.styleKey = primaryAuthority(authorities);
    r.approximate = coarse(row.precision);
    r.folders = {r.styleKey.empty() ? "No designation" : r.styleKey};
    sink(r);
    checkCancel(progress, ++done, total);
    return true;
  });
}

void produceDesignations(Context& context, const RecordSink& sink, const LayerProgress& progress) {
  const auto& entities = context.selection().entities;
  std::uint64_t done = 0;
  for (const auto& selected : entities) {
    const core::Entity e = context.store().entity(selected.id).value_or(core::Entity{});
    const core::Location* location = e.locations.empty() ? nullptr : &e.locations.front();
    for (const auto& d : context.store().designationsOf(selected.id)) {
      if (!designationSelected(d, context.filter())) continue;
      const std::string& roundLabel = context.roundLabel(d.roundId);
      const std::string precision = location ? core::nameOf(location->precision) : "";
      Record r;
      r.values = {std::int64_t{d.id},
                  std::int64_t{d.entityId},
                  e.primaryName(),
                  core::nameOf(e.kind),
                  d.authority,
                  textOrNull(join(d.programs, ",")),
                  textOrNull(d.reference),
                  d.listed ? Value{d.listed->toString()} : Value{},
                  d.delisted ? Value{d.delisted->toString()} : Value{},
                  textOrNull(d.roundId),
                  textOrNull(roundLabel),
                  d.listed ? Value{Day{d.listed->firstDay()}} : Value{},
                  d.delisted ? Value{Day{d.delisted->lastDay()}} : Value{},
                  textOrNull(precision),
                  textOrNull(context.sources().citation(d.sourceIds)),
                  textOrNull(context.sources().idList(d.sourceIds))};
      if (location) r.wkt = location->wkt;
      r.family = familyOfWkt(r.wkt);
      r.label = e.primaryName() + " (" + d.authority + (d.reference.empty() ? "" : " " + d.reference) + ")";
      r.styleKey = d.authority;
      r.approximate = coarse(precision);
      r.folders = {d.authority, d.roundId.empty() ? "No round" : (roundLabel.empty() ? d.roundId : roundLabel)};
      sink(r);
    }
    checkCancel(progress, ++done, entities.size());
  }
}

void produceIncidents(Context& context, const RecordSink& sink, const LayerProgress& progress) {
  // A count, not the selection: that would read every incident once more only to size the bar.
  const std::uint64_t total = context.store().countIncidents(context.filter());
  std::uint64_t done = 0;
  store::QueryOptions query;
  query.withGeometry = true;
  query.withDetails = true;
  context.store().forEachFeature(context.filter(), query, [&](const store::FeatureRow& row) {
    if (row.type != store::FeatureType::Incident) return true;
    const std::optional<core::Date> start = core::Date::parse(row.start);
    const std::optional<core::Date> end = row.end.empty() ? std::nullopt : core::Date::parse(row.end);
    if (!start || (!row.end.empty() && !end)) {
      throw core::StoreError("incident " + std::to_string(row.id) + " has an unreadable date '" +
                             (start ? row.end : row.start) + "'");
    }
    std::vector<std::string> linked;
    std::vector<std::string> linkedIds;
    if (row.linkCount > 0) {
      for (const auto& link : context.store().linksOf(store::FeatureType::Incident, row.id)) {
        linked.push_back(link.name + (link.relation.empty() ? "" : " (" + link.relation + ")"));
        linkedIds.push_back(std::to_string(link.id));
      }
    }
    Record r;
    r.values = {std::int64_t{row.id},
                textOrNull(row.externalId),
                row.kind,
                row.name,
                start->toString(),
                end ? Value{end->toString()} : Value{},
                core::nameOf(start->precision()),
                end ? Value{core::nameOf(end->precision())} : Value{},
                row.firstDay ? Value{Day{*row.firstDay}} : Value{},
                row.lastDay ? Value{Day{*row.lastDay}} : Value{},
                textOrNull(row.precision),
                textOrNull(row.place),
                textOrNull(row.description),
                realOrNull(row.confidence),
                textOrNull(join(linked, "; ")),
                textOrNull(join(linkedIds, ",")),
                textOrNull(row.authorities),
                textOrNull(row.rounds),
                realOrNull(row.borderKm),
                textOrNull(context.sources().citation(row.sourceIds)),
                textOrNull(context.sources().idList(row.sourceIds))};
    r.wkt = row.wkt;
    r.family = familyOfWkt(r.wkt);
    r.label = row.name;
    r.styleKey = row.kind;
    r.approximate = coarse(row.precision);
    r.folders = {row.kind};
    sink(r);
    checkCancel(progress, ++done, total);
    return true;
  });
}

void produceLinks(Context& context, const RecordSink& sink, const LayerProgress& progress) {
  const Selection& s = context.selection();
  const std::uint64_t total = s.entities.size() + s.incidents.size();
  std::uint64_t done = 0;
  const auto emit = [&](const Selected& from, const store::LinkedRecord& to, const std::optional<Point>& toPoint,
                        const std::vector<core::RecordId>& sourceIds) {
    const bool incident = to.type == store::FeatureType::Incident;
    Record r;
    r.values = {"entity",
                std::int64_t{from.id},
                from.name,
                store::nameOf(to.type),
                std::int64_t{to.id},
                to.name,
                textOrNull(to.relation),
                textOrNull(context.sources().citation(sourceIds)),
                textOrNull(context.sources().idList(sourceIds))};
    if (from.point && toPoint) r.wkt = lineWkt(*from.point, *toPoint);
    r.family = familyOfWkt(r.wkt);
    r.label = from.name + " – " + to.name;
    r.styleKey = "link";
    r.folders = {incident ? "Entity to incident" : "Entity to entity"};
    sink(r);
  };
  // An incident states its links, so its sources are the links' sources. The store keeps sources
  // for entity-to-entity links but does not hand them out (store::LinkedRecord has none).
  const auto incidentSources = [&](core::RecordId id) {
    return context.store().incident(id).value_or(core::Incident{}).sourceIds;
  };
  for (const auto& entity : s.entities) {
    for (const auto& link : context.store().linksOf(store::FeatureType::Entity, entity.id)) {
      if (link.type == store::FeatureType::Entity) {
        // Both ends selected: once, from the lower id (the store does not keep a direction).
        if (s.entityIndex.count(link.id) && link.id < entity.id) continue;
        emit(entity, link, pointOf(link.lon, link.lat), {});
      } else {
        emit(entity, link, pointOf(link.lon, link.lat), incidentSources(link.id));
      }
    }
    checkCancel(progress, ++done, total);
  }
  // Incidents whose linked entities the filter left out still show their links.
  for (const auto& incident : s.incidents) {
    for (const auto& link : context.store().linksOf(store::FeatureType::Incident, incident.id)) {
      if (s.entityIndex.count(link.id)) continue;
      const Selected from{link.id, pointOf(link.lon, link.lat), link.name};
      store::LinkedRecord to;
      to.type = store::FeatureType::Incident;
      to.id = incident.id;
      to.name = incident.name;
      to.relation = link.relation;
      emit(from, to, incident.point, incidentSources(incident.id));
    }
    checkCancel(progress, ++done, total);
  }
}

} // namespace

std::vector<OutputLayer> recordLayers(store::Store& store, const store::FilterSpec& filter,
                                      const std::vector<LayerKind>& kinds, SourceBook& sources) {
  auto context = std::make_shared<Context>(store, filter, sources);
  std::vector<OutputLayer> layers;
  const auto add = [&](LayerDef def, void (*produce)(Context&, const RecordSink&, const LayerProgress&)) {
    layers.push_back({std::move(def), [context, produce](const RecordSink& sink, const LayerProgress& progress) {
                        produce(*context, sink, progress);
                      }});
  };
  for (auto kind : kinds) {
    switch (kind) {
      case LayerKind::Entities: add(entitiesDef(), &produceEntities); break;
      case LayerKind::Designations: add(designationsDef(), &produceDesignations); break;
      case LayerKind::Incidents: add(incidentsDef(), &produceIncidents); break;
      case LayerKind::Links: add(linksDef(), &produceLinks); break;
      case LayerKind::Base: break;
    }
  }
  return layers;
}

} // namespace borderlens::exports
