#pragma once

#include "core/model.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace borderlens::ingest {

// The most bytes one record may take: a CSV row, a FollowTheMoney JSON line, one XML tag or one
// element's text. Real list records are a few kilobytes (the largest OpenSanctions entities well
// under one megabyte); a longer one is hostile or broken input, and reading it whole would let
// one line of a file take gigabytes of memory (parsed JSON, a vector of empty CSV fields).
constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;

// The SHA-256 of a file's bytes as 64 lower-case hex digits. Throws core::InputRejected naming
// the file when it cannot be read.
std::string sha256OfFile(const std::string& path);

// The source record of an imported file, with its name and checksum filled in; the parser adds
// publisher, title, the list's own date and URL. The name is the file name without directories,
// so that the same file imported from another folder is recognised as the same source.
core::Source fileSource(const std::string& path);

// A whole file's bytes. Throws core::InputRejected naming the file when it cannot be read.
std::string readFileBytes(const std::string& path);

// A file's size in bytes, for progress; 0 when it cannot be known.
std::uint64_t fileSize(const std::string& path);

} // namespace borderlens::ingest
