#include "render/image.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace borderlens::render {

void Image::writePng(const std::string& path) const {
  if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4)) {
    throw std::runtime_error(path + ": cannot write the PNG file");
  }
}

Image Image::readPng(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!data) throw std::runtime_error(path + ": cannot read as PNG");
  Image image{w, h, std::vector<std::uint8_t>(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4)};
  stbi_image_free(data);
  return image;
}

ImageDifference compareImages(const Image& expected, const Image& actual) {
  ImageDifference result;
  if (expected.width != actual.width || expected.height != actual.height) {
    result.meanAbsolute = 255;
    result.differingPixels = 1;
    result.diff = actual;
    return result;
  }
  result.diff = expected;
  const std::size_t pixels = static_cast<std::size_t>(expected.width) * static_cast<std::size_t>(expected.height);
  std::uint64_t total = 0;
  std::size_t differing = 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    int worst = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      const int d = std::abs(int(expected.rgba[i * 4 + c]) - int(actual.rgba[i * 4 + c]));
      total += static_cast<std::uint64_t>(d);
      worst = std::max(worst, d);
    }
    std::uint8_t* out = &result.diff.rgba[i * 4];
    if (worst > 32) {
      ++differing;
      out[0] = 255, out[1] = 0, out[2] = 0, out[3] = 255;
    } else {
      for (std::size_t c = 0; c < 3; ++c) out[c] = static_cast<std::uint8_t>(128 + out[c] / 2);
    }
  }
  result.meanAbsolute = static_cast<double>(total) / static_cast<double>(pixels * 4);
  result.differingPixels = static_cast<double>(differing) / static_cast<double>(pixels);
  return result;
}

} // namespace borderlens::render
