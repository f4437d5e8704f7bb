#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace borderlens::render {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // top-down rows

  // Throws std::runtime_error naming the file on failure.
  void writePng(const std::string& path) const;
  static Image readPng(const std::string& path);
};

struct ImageDifference {
  double meanAbsolute = 0;      // mean per-channel difference, 0-255
  double differingPixels = 0;   // fraction of pixels with a channel differing by more than 32
  Image diff;                   // red where pixels differ, the expected image faded elsewhere
};

// Compares two images of the same size (a size mismatch counts as everything different).
ImageDifference compareImages(const Image& expected, const Image& actual);

} // namespace borderlens::render
