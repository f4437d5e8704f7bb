// The RFC 4180 reader every CSV importer shares (ingest/csv.h): header, records, row checks and
// list cells. Record lines must start after the previous record and never run past the file.

#include "fuzz_support.h"
#include "ingest/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string_view text = fuzz::asText(data, size);
  const std::string path = fuzz::writeScratch("table.csv", text);
  // Line ends as the reader counts them: LF, CRLF and a lone CR.
  std::uint64_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  }
  fuzz::expectRefusalsOnly([&] {
    ingest::CsvReader reader(path);
    const ingest::CsvHeader header = ingest::readCsvHeader(reader, path);
    header.unknownColumns({"id", "name"});
    std::uint64_t previousLine = 0;
    ingest::CsvRecord record;
    while (reader.next(record)) {
      if (record.line <= previousLine || record.line > lines) fuzz::invariantBroken("record line");
      if (reader.bytesRead() > reader.fileSize()) fuzz::invariantBroken("bytes read");
      previousLine = record.line;
      header.rowProblem(record);
      for (const std::string& name : header.names()) header.value(record, name);
      for (const std::string& field : record.fields) {
        ingest::splitList(field);
        ingest::splitList(field, ',');
        ingest::toLower(ingest::trim(field));
      }
    }
  });
  return 0;
}
