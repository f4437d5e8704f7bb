#pragma once

#include "render/gl/gl.h"

#include <string>
#include <unordered_map>

namespace borderlens::render::gl {

// A linked vertex + fragment program from the embedded shaders. Throws std::runtime_error with
// the driver's log when compiling or linking fails.
class Program {
 public:
  Program(const char* vertexName, const char* fragmentName);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  void use() const { glUseProgram(m_id); }
  GLint uniform(const char* name);

 private:
  GLuint m_id = 0;
  std::unordered_map<std::string, GLint> m_uniforms;
};

} // namespace borderlens::render::gl
