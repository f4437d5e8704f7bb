#version 330 core
// Polylines of constant screen width: each vertex is pushed sideways along the miter of its two
// segments, in pixels, so that zooming changes a uniform and never the buffer.
layout(location = 0) in vec2 a_prev;
layout(location = 1) in vec2 a_pos;
layout(location = 2) in vec2 a_next;
layout(location = 3) in float a_side;
uniform vec2 u_center;
uniform vec2 u_scale;
uniform vec2 u_viewport;  // pixels
uniform float u_width;    // pixels
void main() {
  vec2 half_viewport = 0.5 * u_viewport;
  vec2 p = (a_pos - u_center) * u_scale * half_viewport;
  vec2 prev = (a_prev - u_center) * u_scale * half_viewport;
  vec2 next = (a_next - u_center) * u_scale * half_viewport;
  vec2 d0 = p - prev;
  vec2 d1 = next - p;
  float l0 = length(d0);
  float l1 = length(d1);
  vec2 a = l0 > 1e-6 ? d0 / l0 : (l1 > 1e-6 ? d1 / l1 : vec2(1.0, 0.0));
  vec2 b = l1 > 1e-6 ? d1 / l1 : a;
  vec2 normal = vec2(-a.y, a.x);
  vec2 t = a + b;
  float lt = length(t);
  vec2 miter = lt > 1e-6 ? vec2(-t.y, t.x) / lt : normal;
  // Sharp turns would make an endless miter: cap it (a bevel-like join at the tightest bends).
  float len = 0.5 * u_width / max(dot(miter, normal), 0.35);
  gl_Position = vec4((p + miter * len * a_side) / half_viewport, 0.0, 1.0);
}
