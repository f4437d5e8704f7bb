#include "core/errors.h"

namespace borderlens::core {

const char* exitCodeName(ExitCode code) {
  switch (code) {
    case ExitCode::Ok: return "ok";
    case ExitCode::Internal: return "internal error";
    case ExitCode::Usage: return "usage error";
    case ExitCode::DatabaseUnavailable: return "database unavailable";
    case ExitCode::SchemaMismatch: return "schema mismatch";
    case ExitCode::InputRejected: return "input rejected";
    case ExitCode::OutputFailed: return "output failed";
    case ExitCode::Cancelled: return "cancelled";
  }
  return "unknown";
}

} // namespace borderlens::core
