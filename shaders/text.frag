#version 330 core
// Drawn twice: first every halo (u_pass 0), then every glyph (u_pass 1), so that the halo of one
// glyph never paints over the stroke of its neighbour where their quads overlap.
in vec2 v_uv;
in vec4 v_color;
in vec4 v_halo;
in float v_sdf_per_px;
uniform sampler2D u_atlas;
uniform int u_pass;
out vec4 o_color;
const float EDGE = 128.0 / 255.0;
const float HALO_PX = 2.0;
void main() {
  float d = texture(u_atlas, v_uv).r;
  float aa = 0.5 * v_sdf_per_px;
  vec4 colour;
  if (u_pass == 0) {
    float halo_edge = EDGE - HALO_PX * v_sdf_per_px;
    colour = vec4(v_halo.rgb, v_halo.a * smoothstep(halo_edge - aa, halo_edge + aa, d));
  } else {
    colour = vec4(v_color.rgb, v_color.a * smoothstep(EDGE - aa, EDGE + aa, d));
  }
  if (colour.a < 0.01) discard;
  o_color = colour;
}
