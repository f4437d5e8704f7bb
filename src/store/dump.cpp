#include "store/store.h"

namespace borderlens::store {

const std::vector<DumpTable>& dumpTables() {
  // Mirrors the schema (sqlite/schema.cpp, postgis/schema.cpp); the text search index and the
  // spatial indexes are derived and rebuilt by finishRestore(), so they are not listed.
  static const std::vector<DumpTable> tables{
      {"sources", {"id", "publisher", "title", "published", "url", "file", "sha256"}},
      {"import_batches", {"id", "file", "sha256", "format", "started_at", "finished_at", "report"}},
      {"entities", {"id", "kind", "primary_name", "notes", "first_seen", "last_seen"}},
      {"names", {"id", "entity_id", "text", "script", "language", "is_primary", "quality"}},
      {"identifiers", {"entity_id", "scheme", "value"}},
      {"locations", {"id", "entity_id", "precision", "address", "country", "border_km", "geom"}},
      {"rounds", {"id", "authority", "date", "day", "label", "legal_basis"}},
      {"designations",
       {"id", "entity_id", "authority", "reference", "listed", "listed_day", "delisted",
        "delisted_day", "round_id"}},
      {"designation_programs", {"designation_id", "program"}},
      {"incidents",
       {"id", "external_id", "kind", "title", "span_start", "span_end", "first_day", "last_day",
        "precision", "place", "description", "confidence", "border_km", "geom"}},
      {"incident_entities", {"incident_id", "entity_id", "role"}},
      {"entity_links", {"id", "from_id", "to_id", "relation"}},
      {"record_sources", {"kind", "record_id", "source_id"}},
      {"border_lines", {"id", "name", "geom"}},
  };
  return tables;
}

} // namespace borderlens::store
