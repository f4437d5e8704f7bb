#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace borderlens::ui {

// Runs one long operation (an import, an export) on a worker thread while the window keeps
// drawing: the operation reports progress through core::Progress and stops when cancelled.
class BackgroundJob {
 public:
  // The work gets a progress callback; it returns the line to show when it has finished, and
  // throws core::Error (or std::exception) to fail.
  using Work = std::function<std::string(const std::function<bool(double, std::string_view)>&)>;

  ~BackgroundJob();
  // Starts `work` unless a job is running; returns false then.
  bool start(std::string title, Work work);
  void cancel() { m_cancel = true; }
  bool running() const { return m_running; }
  // True once after a job ended (successfully, failed or cancelled); then result() tells.
  bool takeFinished();

  std::string title() const;
  double fraction() const { return m_fraction; }
  std::string message() const;
  std::string result() const;
  bool failed() const { return m_failed; }

 private:
  std::thread m_thread;
  std::atomic<bool> m_running{false};
  std::atomic<bool> m_finished{false};
  std::atomic<bool> m_cancel{false};
  std::atomic<bool> m_failed{false};
  std::atomic<double> m_fraction{0};
  mutable std::mutex m_mutex;
  std::string m_title;
  std::string m_message;
  std::string m_result;
};

} // namespace borderlens::ui
