#version 330 core
in vec4 v_color;
in float v_size;
flat in uint v_shape;
flat in int v_highlight;
out vec4 o_color;

const uint SHAPE_MASK = 15u;
const uint RING = 16u;

// Signed distance to the shape's edge in half-size units (negative inside).
float shape_distance(vec2 p, uint shape) {
  if (shape == 1u) return max(abs(p.x), abs(p.y)) - 0.72;                          // square
  if (shape == 2u) {                                                                  // triangle
    p.y = -p.y + 0.15;
    return max(abs(p.x) * 0.866 + p.y * 0.5, -p.y) - 0.55;
  }
  if (shape == 3u) return (abs(p.x) + abs(p.y)) * 0.7071 - 0.62;                     // diamond
  if (shape == 4u) {                                                                  // hexagon
    vec2 q = abs(p);
    return max(q.x * 0.866 + q.y * 0.5, q.y) - 0.72;
  }
  if (shape == 5u) {                                                                  // cross
    vec2 q = abs(p);
    return min(max(q.x - 0.8, q.y - 0.26), max(q.x - 0.26, q.y - 0.8));
  }
  return length(p) - 0.78;                                                            // circle
}

void main() {
  // The sprite's own coordinates, -1..1 with y up.
  vec2 local = vec2(gl_PointCoord.x * 2.0 - 1.0, 1.0 - gl_PointCoord.y * 2.0);
  // Pixels per half-size unit, for edges one pixel wide at any symbol size.
  float px = 0.5 * v_size;
  float d = shape_distance(local, v_shape & SHAPE_MASK) * px;
  vec4 outline = v_highlight == 1 ? vec4(1.0, 0.85, 0.1, 1.0) : vec4(0.12, 0.12, 0.14, 0.9);
  float outline_width = v_highlight == 1 ? 2.5 : 1.0;
  float inside = clamp(0.5 - d, 0.0, 1.0);
  float stroke = clamp(0.5 - abs(d + 0.5 * outline_width), 0.0, 1.0) * step(-outline_width - 1.0, d);
  vec4 colour;
  if ((v_shape & RING) != 0u) {
    // A coarse location is a ring: a thick coloured band, hollow inside, never a precise pin.
    float band = clamp(0.5 - abs(d + 2.5) + 1.5, 0.0, 1.0);
    colour = vec4(v_color.rgb, v_color.a * band);
    colour = mix(colour, outline, stroke * 0.8);
    colour.a = max(colour.a, 0.15 * inside);
  } else {
    colour = vec4(v_color.rgb, v_color.a * inside);
    colour = mix(colour, outline, stroke);
  }
  if (colour.a < 0.01) discard;
  o_color = colour;
}
