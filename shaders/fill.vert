#version 330 core
// Base-map polygons: triangles in Web Mercator metres relative to the scene origin.
layout(location = 0) in vec2 a_pos;
uniform vec2 u_center;  // camera centre relative to the scene origin, metres
uniform vec2 u_scale;   // metres to clip space
void main() {
  gl_Position = vec4((a_pos - u_center) * u_scale, 0.0, 1.0);
}
