#include "export/buffered_file.h"

#include "core/date.h"
#include "core/errors.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include <unistd.h>

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

void BufferedFile::appendFile(std::FILE* from, std::uint64_t offset, std::uint64_t size) {
  flush();
  if (std::fflush(m_file) != 0 || std::fflush(from) != 0) fail();
  const int in = fileno(from);
  const int out = fileno(m_file);
  auto at = static_cast<off64_t>(offset);
  while (size > 0) {
    const ssize_t copied = copy_file_range(in, &at, out, nullptr, static_cast<std::size_t>(size), 0);
    if (copied > 0) {
      size -= static_cast<std::uint64_t>(copied);
      continue;
    }
    if (copied < 0 && errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) fail();
    // Across file systems, or where the kernel cannot: through a buffer.
    std::vector<char> buffer(std::size_t{1} << 20);
    while (size > 0) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, buffer.size()));
      const ssize_t got = pread(in, buffer.data(), want, at);
      if (got <= 0) fail();
      writeThrough(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      at += got;
      size -= static_cast<std::uint64_t>(got);
    }
    if (std::fflush(m_file) != 0) fail();
  }
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
