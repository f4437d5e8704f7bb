#pragma once

#include <stdexcept>
#include <string>

namespace borderlens::core {

// Exit codes are part of the CLI contract (listed in `borderlens --help`); every error type
// carries the one it maps to so the CLI never has to guess.
enum class ExitCode : int {
  Ok = 0,
  Internal = 1,
  Usage = 2,
  DatabaseUnavailable = 3,
  SchemaMismatch = 4,
  InputRejected = 5,
  OutputFailed = 6,
  Cancelled = 7,
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  ExitCode code() const noexcept { return m_code; }

 private:
  ExitCode m_code;
};

// A bad argument or value given by the user (flag, date, bbox).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ExitCode::Usage, message) {}
};

// The database file is missing, unreadable, not SQLite, or not a borderlens database.
class DatabaseUnavailable : public Error {
 public:
  explicit DatabaseUnavailable(const std::string& message)
      : Error(ExitCode::DatabaseUnavailable, message) {}
};

// The database was written by a newer borderlens, or needs an upgrade a read-only open can't do.
class SchemaMismatch : public Error {
 public:
  explicit SchemaMismatch(const std::string& message) : Error(ExitCode::SchemaMismatch, message) {}
};

// Input data that cannot be accepted (an import file, a record).
class InputRejected : public Error {
 public:
  explicit InputRejected(const std::string& message) : Error(ExitCode::InputRejected, message) {}
};

class OutputFailed : public Error {
 public:
  explicit OutputFailed(const std::string& message) : Error(ExitCode::OutputFailed, message) {}
};

class Cancelled : public Error {
 public:
  Cancelled() : Error(ExitCode::Cancelled, "cancelled") {}
};

// A failure inside the storage layer that is not the user's doing (SQL error, constraint).
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(ExitCode::Internal, message) {}
};

const char* exitCodeName(ExitCode code);

} // namespace borderlens::core
