#include "ingest/rounds_csv.h"

#include "core/errors.h"
#include "ingest/csv.h"

#include <map>

namespace borderlens::ingest {

ParseResult parseRoundsCsv(const std::string& path, const core::Progress& progress) {
  static const std::vector<std::string> kColumns{
      "authority",        "date",         "label",       "legal_basis", "references",
      "source_publisher", "source_title", "source_date", "source_url"};
  static const std::vector<std::string> kRequired{"authority", "date", "label",
                                                  "source_publisher", "source_url"};

  CsvReader reader(path);
  const CsvHeader header = readCsvHeader(reader, path);
  for (const auto& column : kRequired) {
    if (!header.has(column)) {
      throw core::InputRejected(path + ": missing required column '" + column + "'");
    }
  }

  ParseResult result;
  result.format = "rounds";
  result.listSource.file = fileName(path);
  result.listSource.title = fileName(path);
  if (const auto unknown = header.unknownColumns(kColumns); !unknown.empty()) {
    std::string text = path + ": columns not imported:";
    for (const auto& name : unknown) text += " " + name;
    result.warnings.push_back(std::move(text));
  }

  std::map<std::string, std::uint64_t> lineOfRound;
  CsvRecord record;
  while (reader.next(record)) {
    ++result.recordsRead;
    reportReadProgress(progress, reader.bytesRead(), reader.fileSize(), path);
    RecordRef where{path, record.line, ""};
    auto reject = [&](std::string reason) {
      result.rejected.push_back(Rejected{where, std::move(reason)});
    };
    if (auto problem = header.rowProblem(record); !problem.empty()) {
      reject(std::move(problem));
      continue;
    }
    auto value = [&](const char* column) {
      return std::string(trim(header.value(record, column)));
    };

    RoundRecord round;
    round.round.authority = value("authority");
    const std::string dateText = value("date");
    round.round.label = value("label");
    round.round.legalBasis = value("legal_basis");
    if (round.round.authority.empty()) {
      reject("authority is empty");
      continue;
    }
    const auto date = core::Date::parse(dateText);
    if (!date || date->precision() != core::DatePrecision::Day) {
      reject("date '" + dateText + "' is not a day (YYYY-MM-DD)");
      continue;
    }
    round.round.date = *date;
    round.round.id = core::Round::makeId(round.round.authority, *date);
    where.id = round.round.id;
    if (round.round.label.empty()) {
      reject("label is empty");
      continue;
    }

    core::Source source;
    source.publisher = value("source_publisher");
    source.title = value("source_title");
    source.url = value("source_url");
    source.published = value("source_date");
    if (source.publisher.empty() || source.url.empty()) {
      reject(source.publisher.empty() ? "source_publisher is empty" : "source_url is empty");
      continue;
    }
    if (!source.published.empty() && !core::Date::parse(source.published)) {
      reject("source_date '" + source.published + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
      continue;
    }
    const auto [first, inserted] = lineOfRound.emplace(round.round.id, record.line);
    if (!inserted) {
      reject("duplicate round " + round.round.id + " (first on line " +
             std::to_string(first->second) + ")");
      continue;
    }
    round.where = where;
    round.references = splitList(header.value(record, "references"));
    round.sources.push_back(std::move(source));
    result.rounds.push_back(std::move(round));
  }
  reportReadProgress(progress, reader.fileSize(), reader.fileSize(), path);
  return result;
}

} // namespace borderlens::ingest
