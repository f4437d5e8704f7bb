#include "export/buffered_file.h"

#include "core/date.h"
#include "core/errors.h"

#include <algorithm>
#include <cerrno>

namespace borderlens::exports {

BufferedFile::BufferedFile(std::string path)
    : m_path(std::move(path)), m_file(std::fopen(m_path.c_str(), "wb")), m_buffer(new char[kCapacity]) {
  if (!m_file) fail();
}

BufferedFile::~BufferedFile() {
  if (m_file) std::fclose(m_file);
}

void BufferedFile::flush() {
  if (m_used == 0) return;
  if (std::fwrite(m_buffer.get(), 1, m_used, m_file) != m_used) fail();
  m_used = 0;
}

void BufferedFile::writeThrough(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size()) fail();
}

void BufferedFile::close() {
  flush();
  std::FILE* file = m_file;
  m_file = nullptr;
  if (std::fclose(file) != 0) fail();
}

void BufferedFile::fail() const {
  const int error = errno;
  throw core::OutputFailed(m_path + ": cannot write it" + (error ? std::string(": ") + std::strerror(error) : ""));
}

IsoDay::IsoDay(Day day) {
  const core::Date date = core::Date::fromDays(day.days);
  const int year = date.year();
  if (year < 0 || year > 9999) {
    const std::string text = isoDate(day);
    m_size = std::min(text.size(), sizeof m_text);
    std::memcpy(m_text, text.data(), m_size);
    return;
  }
  const auto digit = [](unsigned value) { return static_cast<char>('0' + value % 10); };
  const auto y = static_cast<unsigned>(year);
  const char text[] = {digit(y / 1000), digit(y / 100), digit(y / 10), digit(y),  '-',
                       digit(date.month() / 10), digit(date.month()), '-', digit(date.day() / 10), digit(date.day())};
  std::memcpy(m_text, text, sizeof text);
  m_size = sizeof text;
}

} // namespace borderlens::exports
