#pragma once

namespace borderlens::render::gl {

// The GLSL source of a file in shaders/ ("point.vert"), embedded at build time; nullptr when
// there is no such file.
const char* shaderSource(const char* name);

} // namespace borderlens::render::gl
