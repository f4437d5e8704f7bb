#include "ops/import_op.h"

#include "core/errors.h"
#include "core/redact.h"
#include "ingest/detect.h"
#include "ingest/file_source.h"
#include "ingest/ftm.h"
#include "ingest/geocoder.h"
#include "ingest/incidents.h"
#include "ingest/list_text.h"
#include "ingest/ofac_csv.h"
#include "ingest/ofac_xml.h"
#include "ingest/rounds_csv.h"
#include "ingest/un_xml.h"
#include "ops/entity_matcher.h"
#include "ops/geodata_path.h"
#include "ops/incident_stream.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <set>
#include <sstream>

namespace borderlens::ops {

namespace {

// Share of the progress bar spent reading lists, when every file is a list; the rest is writing
// the database (incidents files are read while they are written).
constexpr double kReadShare = 0.5;
constexpr const char* kSeparator = "\x1F";

bool isListFormat(const std::string& format) {
  return format == "un-xml" || format == "ofac-csv" || format == "ofac-xml" ||
         format == "ofac-advanced";
}

// The scheme of the identifier each record of a format is keyed by.
std::string keySchemeOf(const std::string& format) {
  if (format == "un-xml") return core::scheme::kUnReference;
  if (format.rfind("ofac", 0) == 0) return core::scheme::kOfacEntNum;
  if (format == "ftm" || format == "ftm-csv") return core::scheme::kFtm;
  return {};
}

std::string fileNameOf(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// One unit of work: a file, or an OFAC sdn.csv with the add.csv/alt.csv it is read with.
struct Job {
  std::string path;
  std::string format;
  ingest::OfacCsvFiles ofac;
  std::vector<std::string> paths;  // every file read
  std::vector<std::string> formats;  // format recorded in import_batches, per path
  std::vector<std::string> shas;
  ingest::ParseResult parsed;
  // An incidents file is read while it is written (IncidentStream): not parsed beforehand, and
  // its checksum comes later.
  bool streamed = false;
  std::future<std::vector<std::string>> pendingShas;
};

void checkOptions(const ImportOptions& options) {
  if (options.database.empty()) throw core::UsageError("import: no database given");
  if (options.files.empty())
    throw core::UsageError("import: no file to import (see: borderlens import --help)");
  if (options.format != "auto" && !ingest::isImportFormat(options.format)) {
    std::string known = "auto";
    for (const auto& f : ingest::importFormats()) known += ", " + f;
    throw core::UsageError("unknown --format '" + options.format + "' (one of: " + known + ")");
  }
  for (const auto& [field, column] : options.fieldMap) {
    const auto& fields = ingest::incidentFields();
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
      throw core::UsageError("--map " + field + "=" + column + ": unknown field '" + field +
                             "' (one of: " + known + ")");
    }
  }
  if (options.asOf && options.asOf->precision() != core::DatePrecision::Day) {
    throw core::UsageError("--as-of " + options.asOf->toString() +
                           ": the snapshot date must be a day (YYYY-MM-DD)");
  }
}

void checkReadable(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw core::InputRejected(what + path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    throw core::InputRejected(what + path + ": not a regular file");
}

// Detects formats and groups OFAC companions with their sdn.csv.
std::vector<Job> planJobs(const ImportOptions& options) {
  std::vector<Job> jobs;
  std::vector<std::pair<std::string, std::string>> companions;  // path, ofac-add / ofac-alt
  for (const auto& path : options.files) {
    const std::string detected = ingest::detectFormat(path);
    if (detected == ingest::kRoundsCsv) {
      throw core::InputRejected(path + ": a rounds table, not a list; give it with --rounds " +
                                path);
    }
    if (detected == ingest::kOfacAddCsv || detected == ingest::kOfacAltCsv) {
      companions.emplace_back(path, detected);
      continue;
    }
    Job job;
    job.path = path;
    job.format = options.format == "auto" ? detected : options.format;
    jobs.push_back(std::move(job));
  }
  // Lists first, incidents last, so that incidents can link to entities imported in the same run.
  std::stable_partition(jobs.begin(), jobs.end(),
                        [](const Job& job) { return job.format != "incidents"; });
  for (auto& job : jobs) {
    if (job.format == "ofac-csv") job.ofac = ingest::ofacCsvCompanions(job.path);
  }
  for (const auto& [path, kind] : companions) {
    std::vector<Job*> owners;
    for (auto& job : jobs) {
      if (job.format == "ofac-csv") owners.push_back(&job);
    }
    if (owners.size() > 1) {
      const auto dir = std::filesystem::path(path).parent_path();
      std::erase_if(
          owners, [&](Job* job) { return std::filesystem::path(job->path).parent_path() != dir; });
    }
    if (owners.size() != 1) {
      throw core::InputRejected(
          path + ": an OFAC " + (kind == ingest::kOfacAddCsv ? "add.csv" : "alt.csv") +
          (owners.empty() ? ", which is read with its sdn.csv: import the sdn.csv with it"
                          : ", and several sdn.csv files could own it: import them one by one"));
    }
    (kind == ingest::kOfacAddCsv ? owners.front()->ofac.add : owners.front()->ofac.alt) = path;
  }
  for (auto& job : jobs) {
    job.paths = {job.path};
    job.formats = {job.format};
    if (job.format == "ofac-csv") {
      if (!job.ofac.add.empty()) {
        job.paths.push_back(job.ofac.add);
        job.formats.push_back(ingest::kOfacAddCsv);
      }
      if (!job.ofac.alt.empty()) {
        job.paths.push_back(job.ofac.alt);
        job.formats.push_back(ingest::kOfacAltCsv);
      }
    }
  }
  return jobs;
}

ingest::ParseResult parse(const Job& job, const core::Progress& progress) {
  if (job.format == "un-xml") return ingest::parseUnXml(job.path, progress);
  if (job.format == "ofac-csv") return ingest::parseOfacCsv(job.ofac, progress);
  if (job.format == "ofac-xml") return ingest::parseOfacXml(job.path, progress);
  if (job.format == "ofac-advanced") return ingest::parseOfacAdvancedXml(job.path, progress);
  if (job.format == "ftm") return ingest::parseFtmJson(job.path, progress);
  if (job.format == "ftm-csv") return ingest::parseFtmTargetsCsv(job.path, progress);
  // Incidents files are read while they are written (IncidentStream), never here.
  throw std::logic_error("import: no reader for format " + job.format);
}

// Maps a part of the whole run's progress onto [from, to].
core::Progress scaled(const core::Progress& progress, double from, double to) {
  if (!progress) return {};
  return [progress, from, to](double fraction, std::string_view message) {
    return progress(from + (to - from) * std::clamp(fraction, 0.0, 1.0), message);
  };
}

bool validPoint(const core::Location& location) {
  double lon = 0;
  double lat = 0;
  std::istringstream in(location.wkt.substr(location.wkt.find('(') + 1));
  in >> lon >> lat;
  return !in.fail() && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

nlohmann::ordered_json notesJson(const std::vector<ImportNote>& notes, const char* what) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& note : notes) list.push_back({{"record", note.where}, {what, note.what}});
  return list;
}

std::uint64_t sum(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t total = 0;
  for (const auto& [key, value] : counts) total += value;
  return total;
}

nlohmann::ordered_json fileJson(const FileImportReport& f) {
  nlohmann::ordered_json j;
  j["file"] = f.file;
  j["companions"] = f.companions;
  j["format"] = f.format;
  j["sha256"] = f.sha256;
  j["list_date"] =
      f.listDate.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.listDate);
  j["snapshot_date"] =
      f.snapshotDate.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.snapshotDate);
  j["skipped"] = f.skipped.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.skipped);
  j["records_read"] = f.recordsRead;
  j["entities"] = {{"created", sum(f.created)},
                   {"merged", sum(f.merged)},
                   {"created_by_kind", f.created},
                   {"merged_by_kind", f.merged}};
  j["designations"] = {{"added", f.designationsAdded},
                       {"updated", f.designationsUpdated},
                       {"delisted", f.delisted.size()},
                       {"without_round", f.withoutRound}};
  j["rounds"] = f.rounds;
  j["geocoded"] = f.geocoded;
  j["unlocated"] = notesJson(f.unlocated, "address");
  j["approximate"] = notesJson(f.approximate, "placed");
  j["cross_list_merges"] = notesJson(f.crossListMerges, "merge");
  j["delisted"] = notesJson(f.delisted, "why");
  j["incidents"] = {{"created", f.incidentsCreated}, {"merged", f.incidentsMerged}};
  j["links"] = {{"added", f.linksAdded}, {"unresolved", notesJson(f.unresolvedLinks, "link")}};
  j["rejected"] = notesJson(f.rejected, "reason");
  j["warnings"] = f.warnings;
  return j;
}

// Writes the records of parsed files into the store; one instance per run.
class Importer {
 public:
  Importer(store::Store& db, const ingest::Geocoder& geocoder, const ImportOptions& options,
           ImportReport& report)
      : m_db(db),
        m_geocoder(geocoder),
        m_options(options),
        m_report(report),
        m_matcher(db.entityDigests()) {
    m_db.forEachRound([&](const store::RoundRow& row) {
      m_knownRounds.insert(row.round.id);
      return true;
    });
  }

  void loadRounds(const ingest::ParseResult& rounds) {
    std::vector<core::RecordId> fileSource;
    if (!rounds.listSource.sha256.empty()) fileSource.push_back(m_db.addSource(rounds.listSource));
    for (const auto& record : rounds.rounds) {
      core::Round round = record.round;
      if (round.id.empty()) round.id = core::Round::makeId(round.authority, round.date);
      round.sourceIds = fileSource;
      for (const auto& source : record.sources) round.sourceIds.push_back(m_db.addSource(source));
      for (const auto& reference : record.references) {
        m_explicit[round.authority + kSeparator + reference] = round;
      }
      m_explicitRounds.push_back(round);
    }
    for (const auto& rejected : rounds.rejected) {
      m_report.roundsRejected.push_back({rejected.where.toString(), rejected.reason});
    }
    m_report.warnings.insert(m_report.warnings.end(), rounds.warnings.begin(),
                             rounds.warnings.end());
  }

  // True when the job is skipped: every file of it was imported before.
  bool alreadyImported(const Job& job, FileImportReport& file) {
    std::vector<std::string> batches;
    for (std::size_t i = 0; i < job.paths.size(); ++i) {
      if (m_seenShas.count(job.shas[i])) {
        batches.push_back(fileNameOf(job.paths[i]) +
                          " is the same file as one imported earlier in this run");
        continue;
      }
      const auto batch = m_db.findImportBatch(job.shas[i]);
      if (!batch) return false;
      batches.push_back(fileNameOf(job.paths[i]) + " was imported before (batch " +
                        std::to_string(batch->id) + ", " + batch->startedAt + ", as " +
                        batch->file + ")");
    }
    file.skipped = ingest::joinNonEmpty(batches, "; ") + "; nothing to do";
    return true;
  }

  void importJob(Job& job, FileImportReport& file, const core::Progress& progress) {
    std::optional<IncidentStream> stream;
    if (job.streamed) {
      stream.emplace(m_db, job.path, m_options.fieldMap);
      job.parsed = stream->header();
    }
    ingest::ParseResult& parsed = job.parsed;
    const std::string startedAt = core::nowUtcTimestamp();
    m_seenShas.insert(job.shas.begin(), job.shas.end());
    if (parsed.listDate) file.listDate = parsed.listDate->toString();
    std::optional<core::Date> snapshot;
    if (isListFormat(job.format)) snapshot = m_options.asOf ? m_options.asOf : parsed.listDate;
    if (snapshot) file.snapshotDate = snapshot->toString();

    core::Source listSource = parsed.listSource;
    if (listSource.file.empty()) listSource.file = fileNameOf(job.path);
    if (listSource.sha256.empty()) listSource.sha256 = job.shas.front();
    if (listSource.title.empty()) listSource.title = listSource.file;
    if (listSource.publisher.empty()) listSource.publisher = listSource.file;
    // A snapshot without a date of its own is dated by --as-of, which says when it was taken.
    if (listSource.published.empty() && snapshot && isListFormat(job.format))
      listSource.published = snapshot->toString();
    m_listSourceId = m_db.addSource(listSource);
    m_keyScheme = keySchemeOf(job.format);
    m_snapshot = snapshot;
    m_file = &file;

    const bool undated =
        isListFormat(job.format) &&
        std::none_of(parsed.entities.begin(), parsed.entities.end(),
                     [](const ingest::EntityRecord& e) {
                       return std::any_of(e.designations.begin(), e.designations.end(),
                                          [](const auto& d) { return d.listed.has_value(); });
                     });
    if (undated && !parsed.entities.empty() && !snapshot && m_explicit.empty()) {
      file.warnings.push_back(
          fileNameOf(job.path) +
          " carries no designation dates: without --as-of DATE (the date of this "
          "snapshot) or --rounds FILE its designations belong to no round");
    }

    std::map<std::string, core::RecordId> byKey;
    std::vector<std::pair<core::RecordId, const ingest::EntityRecord*>> written;
    const double total =
        static_cast<double>(parsed.entities.size() + parsed.incidents.size()) + 1.0;
    double done = 0;
    const std::string writing = "writing " + fileNameOf(job.path);
    for (const auto& record : parsed.entities) {
      if (!core::reportProgress(progress, ++done / total, writing))
        throw core::Cancelled();
      const core::RecordId id = writeEntity(record);
      if (!record.key.empty()) byKey[record.key] = id;
      written.emplace_back(id, &record);
    }
    for (const auto& [id, record] : written) {
      if (record->links.empty()) continue;
      const auto existing = m_db.linksOf(store::FeatureType::Entity, id);
      for (const auto& link : record->links) {
        const auto target = resolve(link.target, byKey);
        if (!target) {
          file.unresolvedLinks.push_back(
              {record->where.toString(), link.relation + " '" + link.target.value + "' (" +
                                             link.target.scheme + "): no such entity"});
          continue;
        }
        if (*target == id) continue;
        const bool known =
            std::any_of(existing.begin(), existing.end(), [&](const store::LinkedRecord& r) {
              return r.type == store::FeatureType::Entity && r.id == *target &&
                     r.relation == link.relation;
            });
        m_db.addEntityLink({id, *target, link.relation, {m_listSourceId}});
        if (!known) ++file.linksAdded;
      }
    }
    for (auto& record : parsed.incidents) {
      if (!core::reportProgress(progress, ++done / total, writing))
        throw core::Cancelled();
      writeIncident(record, byKey, std::nullopt);
    }
    if (stream) {
      const std::string importing = "importing " + fileNameOf(job.path);
      for (auto batch = stream->next(); !batch.empty(); batch = stream->next(std::move(batch))) {
        if (!core::reportProgress(progress, stream->fraction(), importing))
          throw core::Cancelled();
        for (auto& item : batch) writeIncident(item.record, byKey, item.point);
      }
      parsed = stream->finish();
    }
    // The reading's own findings come first in the report, before what writing found.
    file.recordsRead = parsed.recordsRead;
    file.warnings.insert(file.warnings.begin(), parsed.warnings.begin(), parsed.warnings.end());
    std::vector<ImportNote> readRejected;
    for (const auto& rejected : parsed.rejected)
      readRejected.push_back({rejected.where.toString(), rejected.reason});
    file.rejected.insert(file.rejected.begin(), readRejected.begin(), readRejected.end());
    if (snapshot && isListFormat(job.format)) delistVanished(parsed, *snapshot);

    nlohmann::ordered_json summary = fileJson(file);
    for (std::size_t i = 0; i < job.paths.size(); ++i) {
      core::ImportBatch batch;
      batch.file = job.paths[i];
      batch.sha256 = job.shas[i];
      batch.format = job.formats[i];
      batch.startedAt = startedAt;
      batch.finishedAt = core::nowUtcTimestamp();
      // File names are bytes, not always UTF-8; the stored summary is JSON all the same.
      batch.reportJson =
          (i == 0 ? summary : nlohmann::ordered_json{{"read_with", job.path}})
              .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      m_db.addImportBatch(batch);
    }
  }

  // Rounds of the rounds file for designations imported earlier (not in this run's files).
  void applyRoundsToStored() {
    std::map<std::string, std::vector<store::DesignationRow>> byAuthority;
    for (const auto& [key, round] : m_explicit) {
      if (m_explicitUsed.count(key)) continue;
      const std::string reference = key.substr(key.find(kSeparator) + 1);
      auto& rows =
          byAuthority.try_emplace(round.authority, m_db.designationsByAuthority(round.authority))
              .first->second;
      // The reference names a designation, or (an FtM id) the entity that holds it.
      const auto holder = m_db.findEntityByIdentifier(core::scheme::kFtm, reference);
      bool found = false;
      for (auto& row : rows) {
        if (row.designation.reference != reference &&
            (!holder || row.designation.entityId != *holder))
          continue;
        found = true;
        if (row.designation.roundId == round.id) continue;
        core::Designation d = row.designation;
        d.roundId = ensureRound(round, true);
        if (!d.listed) d.listed = round.date;
        d.sourceIds = round.sourceIds;
        m_db.updateDesignation(d);
        ++m_storedReassigned;
      }
      if (!found) {
        m_report.warnings.push_back(m_options.roundsFile + ": reference " + reference +
                                    " of round " + round.id + " matches no " + round.authority +
                                    " designation");
      }
    }
    for (const auto& round : m_explicitRounds) ensureRound(round, true);
    if (m_storedReassigned > 0) {
      m_report.warnings.push_back(m_options.roundsFile + ": " + std::to_string(m_storedReassigned) +
                                  " designations imported before were assigned to its rounds");
    }
  }

 private:
  core::RecordId writeEntity(const ingest::EntityRecord& record) {
    core::Entity entity;
    entity.kind = record.kind;
    entity.names = record.names;
    if (!entity.names.empty() && std::none_of(entity.names.begin(), entity.names.end(),
                                              [](const core::Name& n) { return n.primary; })) {
      entity.names.front().primary = true;
    }
    entity.identifiers = record.identifiers;
    MatchFacts facts;
    facts.kind = record.kind;
    facts.identifiers = record.identifiers;
    for (const auto& name : record.names) {
      if (ingest::containsNoCase(name.quality, "low") ||
          ingest::containsNoCase(name.quality, "weak"))
        continue;
      facts.names.push_back(name.text);
    }
    const auto addFact = [&](const char* scheme, const std::string& value) {
      if (value.empty()) return;
      for (const auto& id : entity.identifiers) {
        if (id.scheme == scheme && id.value == value) return;
      }
      entity.identifiers.push_back({scheme, value});
    };
    for (const auto& nationality : record.nationalities) {
      const std::string code = ingest::Geocoder::countryCode(nationality);
      if (code.empty()) continue;
      facts.countries.push_back(code);
      if (record.kind == core::EntityKind::Person) addFact(kNationalityScheme, code);
    }
    for (const auto& written : record.birthDates) {
      const auto normalised = ingest::normaliseBirthDate(written);
      if (!normalised) continue;
      facts.birthDates.push_back(*normalised);
      addFact(kBirthDateScheme, *normalised);
    }
    entity.notes = record.notes;
    entity.firstSeen = record.firstSeen ? record.firstSeen : m_snapshot;
    entity.lastSeen = record.lastSeen ? record.lastSeen : m_snapshot;
    entity.sourceIds = {m_listSourceId};
    for (const auto& source : record.sources) entity.sourceIds.push_back(sourceIdOf(source));

    for (const auto& address : record.addresses) {
      const auto placed = m_geocoder.geocode(address);
      if (!placed || !validPoint(placed->location)) {
        m_file->unlocated.push_back({record.where.toString(), address.text});
        continue;
      }
      const bool duplicate = std::any_of(
          entity.locations.begin(), entity.locations.end(), [&](const core::Location& l) {
            return l.wkt == placed->location.wkt && l.precision == placed->location.precision &&
                   l.address == placed->location.address;
          });
      if (duplicate) continue;
      if (placed->fuzzy)
        m_file->approximate.push_back(
            {record.where.toString(), "'" + address.text + "' placed at " + placed->matched});
      ++m_file->geocoded[core::nameOf(placed->location.precision)];
      facts.countries.push_back(placed->location.country);
      entity.locations.push_back(placed->location);
    }

    const auto outcome = m_matcher.find(facts, m_keyScheme);
    core::RecordId id = 0;
    const std::string kind = core::nameOf(record.kind);
    if (outcome.match) {
      id = outcome.match->id;
      m_db.extendEntity(id, entity);
      ++m_file->merged[kind];
      const bool sameEntry =
          !m_keyScheme.empty() && outcome.match->how.rfind(m_keyScheme + " ", 0) == 0;
      if (!sameEntry) {
        m_file->crossListMerges.push_back(
            {record.where.toString(), "'" + record.names.front().text + "' merged into entity " +
                                          std::to_string(id) + " by " + outcome.match->how});
      }
    } else {
      if (!outcome.ambiguous.empty()) {
        std::string ids;
        for (auto candidate : outcome.ambiguous)
          ids += (ids.empty() ? "" : ", ") + std::to_string(candidate);
        m_file->warnings.push_back(record.where.toString() + ": '" + record.names.front().text +
                                   "' has the name of several entities (" + ids + "); kept apart");
      }
      id = m_db.addEntity(entity);
      ++m_file->created[kind];
    }
    m_matcher.add(id, facts);
    for (const auto& designation : record.designations) writeDesignation(id, record, designation);
    return id;
  }

  void writeDesignation(core::RecordId entityId, const ingest::EntityRecord& record,
                        const ingest::DesignationRecord& dr) {
    std::vector<core::RecordId> sources{m_listSourceId};
    for (const auto& source : dr.sources) sources.push_back(sourceIdOf(source));

    // A rounds table may name an entry by its list reference, by its key in the file (an FtM
    // id), or both; the reference wins.
    std::optional<core::Round> explicitRound;
    for (const auto& reference : {dr.reference, record.key}) {
      if (reference.empty()) continue;
      const std::string key = dr.authority + kSeparator + reference;
      if (const auto it = m_explicit.find(key); it != m_explicit.end()) {
        if (!explicitRound) explicitRound = it->second;
        m_explicitUsed.insert(key);
      }
    }

    std::optional<core::Designation> stored;
    for (const auto& d : m_db.designationsOf(entityId)) {
      if (d.authority == dr.authority && d.reference == dr.reference) stored = d;
    }
    const bool relisted =
        stored && stored->delisted && !dr.delisted && m_snapshot && *m_snapshot > *stored->delisted;

    core::Designation d;
    if (stored && !relisted) {
      d = *stored;
      for (const auto& program : dr.programs) {
        if (std::find(d.programs.begin(), d.programs.end(), program) == d.programs.end())
          d.programs.push_back(program);
      }
      if (dr.listed) d.listed = dr.listed;
      if (dr.delisted) d.delisted = dr.delisted;
      if (explicitRound) {
        d.roundId = ensureRound(*explicitRound, true);
        if (!d.listed) d.listed = explicitRound->date;
      } else if (dr.listed) {
        d.roundId = ensureRound(datedRound(dr), false);
      }
      d.sourceIds = sources;
      m_db.updateDesignation(d);
      ++m_file->designationsUpdated;
    } else {
      d.entityId = entityId;
      d.authority = dr.authority;
      d.programs = dr.programs;
      d.reference = dr.reference;
      d.listed = dr.listed;
      d.delisted = dr.delisted;
      d.sourceIds = sources;
      if (explicitRound) {
        d.roundId = ensureRound(*explicitRound, true);
        if (!d.listed) d.listed = explicitRound->date;
      } else if (dr.listed) {
        d.roundId = ensureRound(datedRound(dr), false);
      } else if (const auto seen = record.firstSeen ? record.firstSeen : m_snapshot; seen) {
        // Known only from a snapshot: listed on or before the day it was first seen.
        core::Round round;
        round.authority = dr.authority;
        round.date = *seen;
        round.id = core::Round::makeId(dr.authority, *seen);
        round.label = dr.authority + " " + seen->toString() + " (first seen)";
        round.sourceIds = {m_listSourceId};
        d.roundId = ensureRound(round, false);
        d.listed = seen;
      }
      d.id = m_db.addDesignation(d);
      ++m_file->designationsAdded;
    }
    if (d.roundId.empty())
      ++m_file->withoutRound;
    else
      ++m_file->rounds[d.roundId];
    for (const auto& program : d.programs) m_filePrograms.insert(program);
    m_fileReferences.insert(dr.reference);
  }

  core::Round datedRound(const ingest::DesignationRecord& dr) const {
    core::Round round;
    round.authority = dr.authority;
    round.date = *dr.listed;
    round.id = core::Round::makeId(dr.authority, *dr.listed);
    round.label =
        dr.roundLabel.empty() ? dr.authority + " " + dr.listed->toString() : dr.roundLabel;
    round.legalBasis = dr.legalBasis;
    round.sourceIds = {m_listSourceId};
    return round;
  }

  // Upserts a round once per run; an existing round keeps its label unless the round comes from
  // a rounds table, which is the analyst's explicit word.
  std::string ensureRound(core::Round round, bool explicitLabel) {
    if (m_ensured.count(round.id)) {
      if (!round.sourceIds.empty())
        m_db.upsertRound(
            core::Round{round.id, round.authority, round.date, "", "", round.sourceIds});
      return round.id;
    }
    if (m_knownRounds.count(round.id) && !explicitLabel) round.label.clear();
    m_db.upsertRound(round);
    m_ensured.insert(round.id);
    m_knownRounds.insert(round.id);
    return round.id;
  }

  // The stored id of a record's source. Most records of a file cite the same few sources, and
  // what this run stored stays until its commit, so each is looked up once.
  core::RecordId sourceIdOf(const core::Source& source) {
    // Length-prefixed fields, unambiguous whatever bytes they hold, in a buffer kept between
    // calls: every incident row cites a source, nearly always one met before.
    std::string& key = m_sourceKey;
    key.clear();
    for (const std::string* field : {&source.publisher, &source.title, &source.published,
                                     &source.url, &source.file, &source.sha256}) {
      char length[24];
      key.append(length, std::to_chars(length, length + sizeof length, field->size()).ptr);
      (key += ':') += *field;
    }
    if (const auto it = m_sourceIds.find(key); it != m_sourceIds.end()) return it->second;
    const core::RecordId id = m_db.addSource(source);
    m_sourceIds.emplace(key, id);
    return id;
  }

  std::optional<core::RecordId> resolve(const ingest::EntityRef& ref,
                                        const std::map<std::string, core::RecordId>& byKey) {
    if (ref.scheme == "name") return m_matcher.findByName(ref.value);
    if (ref.scheme == m_keyScheme) {
      if (const auto it = byKey.find(ref.value); it != byKey.end()) return it->second;
    }
    return m_db.findEntityByIdentifier(ref.scheme, ref.value);
  }

  // `prepared`: the point of record.incident.wkt, made ahead (IncidentStream), if any. Takes
  // record.incident.
  void writeIncident(ingest::IncidentRecord& record,
                     const std::map<std::string, core::RecordId>& byKey,
                     const std::optional<store::PreparedPoint>& prepared) {
    core::Incident incident = std::move(record.incident);
    if (incident.wkt.empty() && !incident.place.empty()) {
      ingest::AddressRecord place;
      place.text = incident.place;
      if (const auto placed = m_geocoder.geocode(place)) {
        incident.wkt = placed->location.wkt;
        incident.precision = placed->location.precision;
        if (placed->fuzzy)
          m_file->approximate.push_back(
              {record.where.toString(), "'" + incident.place + "' placed at " + placed->matched});
      }
    }
    if (incident.wkt.empty()) {
      m_file->rejected.push_back(
          {record.where.toString(),
           "no geometry, and the place '" + incident.place + "' cannot be placed"});
      return;
    }
    std::vector<core::RecordId> sources{m_listSourceId};
    for (const auto& source : record.sources) sources.push_back(sourceIdOf(source));
    if (const auto stored =
            m_db.findIncident(incident.externalId, incident.kind, incident.span.start.toString())) {
      m_db.addRecordSources("incident", *stored, sources);
      ++m_file->incidentsMerged;
      return;
    }
    incident.sourceIds = std::move(sources);
    core::RecordId id = 0;
    try {
      id = prepared ? m_db.addPreparedIncident(incident, *prepared) : m_db.addIncident(incident);
    } catch (const core::InputRejected& e) {
      m_file->rejected.push_back({record.where.toString(), e.what()});
      return;
    }
    ++m_file->incidentsCreated;
    std::set<std::pair<core::RecordId, std::string>> linked;
    for (const auto& link : record.links) {
      const auto target = resolve(link.target, byKey);
      if (!target) {
        m_file->unresolvedLinks.push_back(
            {record.where.toString(),
             link.role + " " + link.target.scheme + ":" + link.target.value + ": no such entity"});
        continue;
      }
      m_db.addIncidentLink({id, *target, link.role});
      if (linked.emplace(*target, link.role).second) ++m_file->linksAdded;
    }
  }

  // Entries of earlier snapshots of this list that this one no longer carries are delisted on
  // its date, never deleted. Only designations of the programs this file covers are compared, so
  // that an extract of one program does not delist every other.
  void delistVanished(const ingest::ParseResult& parsed, const core::Date& snapshot) {
    std::set<std::string> authorities;
    for (const auto& e : parsed.entities) {
      for (const auto& d : e.designations) authorities.insert(d.authority);
    }
    const std::string date = snapshot.toString();
    for (const auto& authority : authorities) {
      for (auto& row : m_db.designationsByAuthority(authority)) {
        core::Designation& d = row.designation;
        if (d.delisted || d.reference.empty() || m_fileReferences.count(d.reference)) continue;
        if (row.lastListed.empty() || row.lastListed >= date) continue;
        if (d.listed && *d.listed > snapshot) continue;
        const bool inScope = d.programs.empty() ||
                             std::any_of(d.programs.begin(), d.programs.end(), [&](const auto& p) {
                               return m_filePrograms.count(p) > 0;
                             });
        if (!inScope) continue;
        d.delisted = snapshot;
        d.sourceIds = {m_listSourceId};
        m_db.updateDesignation(d);
        const auto entity = m_db.entity(d.entityId);
        m_file->delisted.push_back({authority + " " + d.reference,
                                    (entity ? entity->primaryName()
                                            : std::string("entity ") + std::to_string(d.entityId)) +
                                        ": last listed " + row.lastListed +
                                        ", absent from the list of " + date});
      }
    }
    m_fileReferences.clear();
    m_filePrograms.clear();
  }

  store::Store& m_db;
  const ingest::Geocoder& m_geocoder;
  const ImportOptions& m_options;
  ImportReport& m_report;
  EntityMatcher m_matcher;
  std::set<std::string> m_knownRounds;
  std::set<std::string> m_ensured;
  std::map<std::string, core::Round> m_explicit;
  std::vector<core::Round> m_explicitRounds;
  std::set<std::string> m_explicitUsed;
  std::uint64_t m_storedReassigned = 0;
  std::set<std::string> m_seenShas;
  core::RecordId m_listSourceId = 0;
  std::map<std::string, core::RecordId> m_sourceIds;
  std::string m_sourceKey;  // sourceIdOf()'s key, kept for its capacity
  std::string m_keyScheme;
  std::optional<core::Date> m_snapshot;
  FileImportReport* m_file = nullptr;
  std::set<std::string> m_fileReferences;
  std::set<std::string> m_filePrograms;
};

} // namespace

ImportReport runImport(const ImportOptions& options, const core::Progress& progress) {
  checkOptions(options);
  for (const auto& path : options.files) checkReadable(path, "");
  if (!options.roundsFile.empty()) checkReadable(options.roundsFile, "--rounds ");
  if (!options.geodata.empty()) checkReadable(options.geodata, "--geodata ");

  ImportReport report;
  // The report is printed: never with a connection string's password.
  report.database = core::redactSecrets(options.database);
  report.dryRun = options.dryRun;
  report.roundsFile = options.roundsFile;

  // The database is checked before any list is read, so a wrong database fails fast; a dry run
  // never upgrades a schema.
  if (options.dryRun && store::peekSchemaVersion(options.database) < store::kSchemaVersion) {
    throw core::SchemaMismatch(report.database + ": schema version is older than " +
                               std::to_string(store::kSchemaVersion) +
                               "; upgrade it with: borderlens init " + report.database);
  }
  auto db = store::openStore(options.database, store::OpenMode::ReadWrite);

  std::vector<Job> jobs = planJobs(options);
  if (!options.fieldMap.empty() && std::none_of(jobs.begin(), jobs.end(), [](const Job& job) {
        return job.format == "incidents";
      })) {
    report.warnings.push_back("--map applies to incidents files only, and none was given");
  }
  // Lists are read before anything is written, and take their share of the progress first;
  // incidents files are read while they are written (IncidentStream).
  const auto bytesOf = [](const Job& job) {
    std::uint64_t bytes = 0;
    for (const auto& path : job.paths) bytes += ingest::fileSize(path);
    return bytes;
  };
  std::uint64_t totalBytes = 1;
  std::uint64_t readFirstBytes = 1;
  for (auto& job : jobs) {
    job.streamed = job.format == "incidents";
    totalBytes += bytesOf(job);
    if (!job.streamed) readFirstBytes += bytesOf(job);
  }
  const double readShare =
      kReadShare * static_cast<double>(readFirstBytes) / static_cast<double>(totalBytes);
  std::uint64_t doneBytes = 0;
  for (auto& job : jobs) {
    // The checksum reads the file a second time: on the other core, while the parser reads it.
    auto shas = std::async(std::launch::async, [&job] {
      std::vector<std::string> out;
      for (const auto& path : job.paths) out.push_back(ingest::sha256OfFile(path));
      return out;
    });
    if (job.streamed) {
      job.pendingShas = std::move(shas);
      continue;
    }
    const double from =
        readShare * static_cast<double>(doneBytes) / static_cast<double>(readFirstBytes);
    doneBytes += bytesOf(job);
    const double to =
        readShare * static_cast<double>(doneBytes) / static_cast<double>(readFirstBytes);
    job.parsed = parse(job, scaled(progress, from, to));
    job.shas = shas.get();
  }
  ingest::ParseResult rounds;
  if (!options.roundsFile.empty()) {
    rounds = ingest::parseRoundsCsv(options.roundsFile, {});
    if (rounds.listSource.sha256.empty())
      rounds.listSource.sha256 = ingest::sha256OfFile(options.roundsFile);
    if (rounds.listSource.file.empty()) rounds.listSource.file = fileNameOf(options.roundsFile);
  }

  ingest::Geocoder geocoder;
  std::string gazetteer = options.geodata;
  if (gazetteer.empty()) {
    if (const auto dir = findGeodataDir())
      gazetteer = (std::filesystem::path(*dir) / "base.gpkg").string();
  }
  if (gazetteer.empty()) {
    report.warnings.push_back(
        "no geodata/base.gpkg found (set BORDERLENS_GEODATA): addresses are placed at "
        "province or country precision only");
  } else {
    geocoder = ingest::Geocoder::fromGeoPackage(gazetteer);
  }

  {
    store::Transaction transaction(*db);
    Importer importer(*db, geocoder, options, report);
    if (!options.roundsFile.empty()) importer.loadRounds(rounds);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      Job& job = jobs[i];
      if (job.pendingShas.valid()) job.shas = job.pendingShas.get();
      FileImportReport file;
      file.file = job.path;
      file.companions.assign(job.paths.begin() + 1, job.paths.end());
      file.format = job.format;
      file.sha256 = job.shas.front();
      if (job.parsed.listDate) file.listDate = job.parsed.listDate->toString();
      const double from =
          readShare + (1 - readShare) * static_cast<double>(i) / static_cast<double>(jobs.size());
      const double to = readShare + (1 - readShare) * static_cast<double>(i + 1) /
                                         static_cast<double>(jobs.size());
      if (!importer.alreadyImported(job, file))
        importer.importJob(job, file, scaled(progress, from, to));
      report.files.push_back(std::move(file));
    }
    if (!options.roundsFile.empty()) importer.applyRoundsToStored();
    // A dry run leaves the transaction uncommitted: it rolls back here, with the report complete.
    if (!options.dryRun) transaction.commit();
  }
  core::reportProgress(progress, 1.0, options.dryRun ? "dry run: nothing written" : "imported");
  return report;
}

nlohmann::ordered_json importReportJson(const ImportReport& report) {
  nlohmann::ordered_json j;
  j["database"] = report.database;
  j["dry_run"] = report.dryRun;
  j["rounds_file"] = report.roundsFile.empty() ? nlohmann::ordered_json()
                                               : nlohmann::ordered_json(report.roundsFile);
  j["rounds_rejected"] = notesJson(report.roundsRejected, "reason");
  j["warnings"] = report.warnings;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  std::map<std::string, std::uint64_t> created, merged, rounds, geocoded;
  std::uint64_t read = 0, skipped = 0, added = 0, updated = 0, delisted = 0, unlocated = 0,
                rejected = 0;
  std::uint64_t incidentsCreated = 0, incidentsMerged = 0, links = 0;
  for (const auto& f : report.files) {
    files.push_back(fileJson(f));
    skipped += f.skipped.empty() ? 0U : 1U;
    read += f.recordsRead;
    for (const auto& [k, v] : f.created) created[k] += v;
    for (const auto& [k, v] : f.merged) merged[k] += v;
    for (const auto& [k, v] : f.rounds) rounds[k] += v;
    for (const auto& [k, v] : f.geocoded) geocoded[k] += v;
    added += f.designationsAdded;
    updated += f.designationsUpdated;
    delisted += f.delisted.size();
    unlocated += f.unlocated.size();
    rejected += f.rejected.size();
    incidentsCreated += f.incidentsCreated;
    incidentsMerged += f.incidentsMerged;
    links += f.linksAdded;
  }
  j["files"] = files;
  j["totals"] = {{"files", report.files.size()},
                 {"skipped", skipped},
                 {"records_read", read},
                 {"entities",
                  {{"created", sum(created)},
                   {"merged", sum(merged)},
                   {"created_by_kind", created},
                   {"merged_by_kind", merged}}},
                 {"designations", {{"added", added}, {"updated", updated}, {"delisted", delisted}}},
                 {"rounds", rounds},
                 {"geocoded", geocoded},
                 {"unlocated", unlocated},
                 {"rejected", rejected + report.roundsRejected.size()},
                 {"incidents", {{"created", incidentsCreated}, {"merged", incidentsMerged}}},
                 {"links", links}};
  return j;
}

namespace {

std::string counts(const std::map<std::string, std::uint64_t>& byKey) {
  std::string out;
  for (const auto& [key, value] : byKey)
    out += (out.empty() ? "" : ", ") + key + " " + std::to_string(value);
  return out.empty() ? out : " (" + out + ")";
}

void line(std::ostringstream& out, const char* label, const std::string& text) {
  std::string padded = std::string("  ") + label;
  padded.resize(std::max<std::size_t>(padded.size() + 1, 20), ' ');
  out << padded << text << "\n";
}

void notes(std::ostringstream& out, const char* label, const std::vector<ImportNote>& list) {
  for (const auto& note : list)
    out << "  " << label << ": " << note.where << ": " << note.what << "\n";
}

} // namespace

std::string importReportText(const ImportReport& report) {
  std::ostringstream out;
  for (const auto& f : report.files) {
    out << f.file;
    for (const auto& companion : f.companions) out << " + " << companion;
    out << " (" << f.format;
    if (!f.listDate.empty()) out << ", list of " << f.listDate;
    if (!f.snapshotDate.empty() && f.snapshotDate != f.listDate)
      out << ", as of " << f.snapshotDate;
    out << ", sha256 " << f.sha256.substr(0, 12) << ")\n";
    if (!f.skipped.empty()) {
      line(out, "skipped", f.skipped);
      continue;
    }
    line(out, "records read", std::to_string(f.recordsRead));
    line(out, "entities",
         std::to_string(sum(f.created)) + " created" + counts(f.created) + ", " +
             std::to_string(sum(f.merged)) + " merged" + counts(f.merged));
    line(out, "designations",
         std::to_string(f.designationsAdded) + " added, " + std::to_string(f.designationsUpdated) +
             " updated, " + std::to_string(f.delisted.size()) + " delisted, " +
             std::to_string(f.withoutRound) + " without a round");
    line(out, "rounds", std::to_string(f.rounds.size()));
    for (const auto& [round, count] : f.rounds) {
      std::string padded = "    " + round;
      padded.resize(std::max<std::size_t>(padded.size() + 1, 20), ' ');
      out << padded << count << "\n";
    }
    line(out, "locations",
         std::to_string(sum(f.geocoded)) + counts(f.geocoded) + ", unlocated addresses " +
             std::to_string(f.unlocated.size()));
    if (f.incidentsCreated + f.incidentsMerged > 0) {
      line(out, "incidents",
           std::to_string(f.incidentsCreated) + " created, " + std::to_string(f.incidentsMerged) +
               " merged");
    }
    line(out, "links",
         std::to_string(f.linksAdded) + " added, " + std::to_string(f.unresolvedLinks.size()) +
             " unresolved");
    line(out, "rejected", std::to_string(f.rejected.size()));
    notes(out, "rejected", f.rejected);
    notes(out, "unlocated", f.unlocated);
    notes(out, "approximate", f.approximate);
    notes(out, "merged", f.crossListMerges);
    notes(out, "delisted", f.delisted);
    notes(out, "unresolved link", f.unresolvedLinks);
    for (const auto& warning : f.warnings) out << "  warning: " << warning << "\n";
  }
  for (const auto& note : report.roundsRejected)
    out << "rejected: " << note.where << ": " << note.what << "\n";
  for (const auto& warning : report.warnings) out << "warning: " << warning << "\n";
  out << (report.dryRun ? "dry run: nothing was written to " : "imported into ") << report.database
      << "\n";
  return out.str();
}

} // namespace borderlens::ops
