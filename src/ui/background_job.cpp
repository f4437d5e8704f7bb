#include "ui/background_job.h"

#include "core/errors.h"

namespace borderlens::ui {

BackgroundJob::~BackgroundJob() {
  m_cancel = true;
  if (m_thread.joinable()) m_thread.join();
}

bool BackgroundJob::start(std::string title, Work work) {
  if (m_running) return false;
  if (m_thread.joinable()) m_thread.join();
  {
    std::lock_guard lock(m_mutex);
    m_title = std::move(title);
    m_message.clear();
    m_result.clear();
  }
  m_cancel = false;
  m_failed = false;
  m_finished = false;
  m_fraction = 0;
  m_running = true;
  m_thread = std::thread([this, work = std::move(work)] {
    std::string result;
    try {
      result = work([this](double fraction, std::string_view message) {
        m_fraction = fraction;
        std::lock_guard lock(m_mutex);
        m_message = std::string(message);
        return !m_cancel.load();
      });
    } catch (const core::Cancelled&) {
      result = "cancelled: nothing was changed";
      m_failed = true;
    } catch (const std::exception& e) {
      result = e.what();
      m_failed = true;
    }
    {
      std::lock_guard lock(m_mutex);
      m_result = result;
    }
    m_running = false;
    m_finished = true;
  });
  return true;
}

bool BackgroundJob::takeFinished() { return m_finished.exchange(false); }

std::string BackgroundJob::title() const {
  std::lock_guard lock(m_mutex);
  return m_title;
}

std::string BackgroundJob::message() const {
  std::lock_guard lock(m_mutex);
  return m_message;
}

std::string BackgroundJob::result() const {
  std::lock_guard lock(m_mutex);
  return m_result;
}

} // namespace borderlens::ui
