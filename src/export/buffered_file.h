#pragma once

#include "export/layers.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace borderlens::exports {

// A file written through one large buffer, for the writers that format their own text (GeoJSON,
// KML): a feature costs a few memcpy and no stream, formatting call or system call. Errors throw
// core::OutputFailed naming the path.
class BufferedFile {
 public:
  explicit BufferedFile(std::string path);
  ~BufferedFile();
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;

  void append(std::string_view text) {
    if (text.size() > kCapacity - m_used) {
      flush();
      if (text.size() > kCapacity) {
        writeThrough(text);
        return;
      }
    }
    std::memcpy(m_buffer.get() + m_used, text.data(), text.size());
    m_used += text.size();
  }

  void append(char c) {
    if (m_used == kCapacity) flush();
    m_buffer[m_used++] = c;
  }

  // The shortest text that reads back as the same double ("0.1", "1e+300", "5"), for a finite
  // value; returns what it wrote, valid until the next append.
  std::string_view appendReal(double value) { return appendNumber(value); }
  std::string_view appendInteger(std::int64_t value) { return appendNumber(value); }

  // Appends `size` bytes of `from` starting at `offset`. The kernel copies them from file to file
  // (copy_file_range) where it can, without passing them through this process: a KML body of a
  // million placemarks is over a gigabyte. Throws core::OutputFailed.
  void appendFile(std::FILE* from, std::uint64_t offset, std::uint64_t size);

  // Writes out the buffer, then closes the file; throws core::OutputFailed.
  void close();

 private:
  static constexpr std::size_t kCapacity = std::size_t{1} << 20;
  static constexpr std::size_t kNumberBytes = 32;  // the longest double or int64 to_chars writes

  template <class T>
  std::string_view appendNumber(T value) {
    if (kCapacity - m_used < kNumberBytes) flush();
    char* begin = m_buffer.get() + m_used;
    const auto result = std::to_chars(begin, begin + kNumberBytes, value);
    m_used += static_cast<std::size_t>(result.ptr - begin);
    return {begin, static_cast<std::size_t>(result.ptr - begin)};
  }

  void flush();
  void writeThrough(std::string_view text);
  [[noreturn]] void fail() const;

  std::string m_path;
  std::FILE* m_file = nullptr;
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_used = 0;
};

// A day as isoDate writes it, without printf or a heap string: with three dates per incident,
// snprintf was a quarter of the KML writer's time.
class IsoDay {
 public:
  explicit IsoDay(Day day);
  std::string_view text() const { return {m_text, m_size}; }

 private:
  char m_text[16];
  std::size_t m_size = 0;
};

} // namespace borderlens::exports
