#version 330 core
// Symbols as point sprites, one vertex a feature. Every feature carries its time span, round bits, kind and authority bits,
// confidence and distance to the border; the filter is a set of uniforms, so moving the time
// window or toggling a round costs a uniform upload, not a buffer rebuild.
layout(location = 1) in vec2 i_pos;
layout(location = 2) in vec2 i_time;
layout(location = 3) in uvec4 i_rounds;
layout(location = 4) in uint i_category;
layout(location = 5) in float i_confidence;
layout(location = 6) in float i_border_km;
layout(location = 7) in vec4 i_color;
layout(location = 8) in float i_size;
layout(location = 9) in uint i_shape;
layout(location = 10) in uint i_pick_id;
layout(location = 11) in vec2 i_offset;  // pixels, y up: fans out symbols sharing one point
layout(location = 12) in uint i_programs;

uniform vec2 u_center;
uniform vec2 u_scale;
uniform vec2 u_viewport;
uniform bool u_window_active;
uniform vec2 u_window;
uniform bool u_rounds_active;
uniform uvec4 u_round_mask;
uniform bool u_programs_active;
uniform uint u_program_mask;
uniform uint u_kind_mask;
uniform uint u_authority_mask;
uniform float u_min_confidence;
uniform float u_max_border_km;
uniform uint u_highlight_id;
uniform float u_symbol_scale;  // smaller symbols when zoomed out, where they crowd
uniform bool u_filter_enabled;  // false for place dots, which no filter hides

out vec4 v_color;
out float v_size;
flat out uint v_shape;
flat out int v_highlight;

const uint KIND_MASK = 31u;
const uint AUTHORITY_SHIFT = 5u;
const uint INCIDENT = 8192u;

bool passes() {
  if (u_window_active && (i_time.x > u_window.y || i_time.y < u_window.x)) return false;
  if (u_rounds_active && all(equal(i_rounds & u_round_mask, uvec4(0u)))) return false;
  if (u_programs_active && (i_programs & u_program_mask) == 0u) return false;
  if (((u_kind_mask >> (i_category & KIND_MASK)) & 1u) == 0u) return false;
  if (((i_category >> AUTHORITY_SHIFT) & u_authority_mask & 255u) == 0u) return false;
  if ((i_category & INCIDENT) != 0u && i_confidence < u_min_confidence) return false;
  return i_border_km <= u_max_border_km;
}

void main() {
  if (u_filter_enabled && !passes()) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: culled
    gl_PointSize = 0.0;
    return;
  }
  bool highlighted = i_pick_id == u_highlight_id;
  float size = i_size * u_symbol_scale * (highlighted ? 1.6 : 1.0) + 2.0;
  vec2 centre = (i_pos - u_center) * u_scale;
  gl_Position = vec4(centre + 2.0 * i_offset * u_symbol_scale / u_viewport, 0.0, 1.0);
  gl_PointSize = size;
  v_color = i_color;
  v_size = size;
  v_shape = i_shape;
  v_highlight = highlighted ? 1 : 0;
}
