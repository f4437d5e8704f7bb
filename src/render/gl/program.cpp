#include "render/gl/program.h"

#include "render/gl/shader_sources.h"

#include <stdexcept>
#include <vector>

namespace borderlens::render::gl {

namespace {

GLuint compile(GLenum type, const char* name) {
  const char* source = shaderSource(name);
  if (!source) throw std::runtime_error(std::string("no embedded shader ") + name);
  const GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(length) + 1);
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    glDeleteShader(shader);
    throw std::runtime_error(std::string(name) + ": " + log.data());
  }
  return shader;
}

} // namespace

Program::Program(const char* vertexName, const char* fragmentName) {
  const GLuint vertex = compile(GL_VERTEX_SHADER, vertexName);
  const GLuint fragment = compile(GL_FRAGMENT_SHADER, fragmentName);
  m_id = glCreateProgram();
  glAttachShader(m_id, vertex);
  glAttachShader(m_id, fragment);
  glLinkProgram(m_id);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint ok = 0;
  glGetProgramiv(m_id, GL_LINK_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetProgramiv(m_id, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(length) + 1);
    glGetProgramInfoLog(m_id, length, nullptr, log.data());
    glDeleteProgram(m_id);
    throw std::runtime_error(std::string("linking ") + vertexName + " + " + fragmentName + ": " + log.data());
  }
}

Program::~Program() { glDeleteProgram(m_id); }

GLint Program::uniform(const char* name) {
  const auto it = m_uniforms.find(name);
  if (it != m_uniforms.end()) return it->second;
  const GLint location = glGetUniformLocation(m_id, name);
  m_uniforms.emplace(name, location);
  return location;
}

} // namespace borderlens::render::gl
