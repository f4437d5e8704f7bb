#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace borderlens::cli {

struct ProgressBar::State {
  int lastPermille = -1;
  bool drawn = false;
};

ProgressBar::ProgressBar() {
  if (isatty(STDERR_FILENO)) m_state = std::make_shared<State>();
}

ProgressBar::~ProgressBar() {
  if (m_state && m_state->drawn) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

core::Progress ProgressBar::callback() {
  if (!m_state) return {};
  return [state = m_state](double fraction, std::string_view message) {
    constexpr int kWidth = 30;
    const int permille = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000));
    if (permille == state->lastPermille) return true;
    state->lastPermille = permille;
    const int filled = permille * kWidth / 1000;
    std::string bar = "\r[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] " +
                      std::to_string(permille / 10) + "% " + std::string(message.substr(0, 50));
    std::fputs(bar.c_str(), stderr);
    std::fputs("\033[K", stderr);
    std::fflush(stderr);
    state->drawn = true;
    return true;
  };
}

} // namespace borderlens::cli
