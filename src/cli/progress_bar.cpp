#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace borderlens::cli {

struct ProgressBar::State {
  long lastPercent = -1;
  std::string lastMessage;
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
    constexpr long kWidth = 30;
    // Redrawn only when the percentage or the message changes: a terminal is slow to scroll.
    const long percent = std::lround(std::clamp(fraction, 0.0, 1.0) * 100);
    const std::string text(message.substr(0, 50));
    if (percent == state->lastPercent && text == state->lastMessage) return true;
    state->lastPercent = percent;
    state->lastMessage = text;
    const long filled = percent * kWidth / 100;
    const std::string bar = "\r[" + std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] " +
                            std::to_string(percent) + "% " + text;
    std::fputs(bar.c_str(), stderr);
    std::fputs("\033[K", stderr);
    std::fflush(stderr);
    state->drawn = true;
    return true;
  };
}

} // namespace borderlens::cli
