#pragma once

#include <functional>
#include <string_view>

namespace borderlens::core {

// One progress/cancel callback for every long operation: fraction in [0,1] and a short message;
// returning false asks the operation to stop (it then throws core::Cancelled and rolls back).
using Progress = std::function<bool(double fraction, std::string_view message)>;

inline bool reportProgress(const Progress& progress, double fraction, std::string_view message) {
  return !progress || progress(fraction, message);
}

} // namespace borderlens::core
