#pragma once

#include "core/progress.h"

#include <memory>

namespace borderlens::cli {

// The progress of a long command: a bar redrawn in place on standard error when standard error
// is a terminal, and nothing at all otherwise, so that scripts and logs get the command's report
// and its one-line errors, not a stream of dots. The bar is erased when the object goes.
class ProgressBar {
 public:
  ProgressBar();
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The callback to hand to an op; empty when there is no terminal.
  core::Progress callback();

 private:
  struct State;
  std::shared_ptr<State> m_state;
};

} // namespace borderlens::cli
