#include "render/scene/style.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace borderlens::render {

Rgba Rgba::parse(const std::string& text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') {
    throw std::invalid_argument("invalid colour '" + text + "': expected #rrggbb or #rrggbbaa");
  }
  const auto channel = [&](std::size_t at) {
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(text.substr(at, 2), &used, 16);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != 2) throw std::invalid_argument("invalid colour '" + text + "'");
    return static_cast<float>(value) / 255.0f;
  };
  return {channel(1), channel(3), channel(5), text.size() == 9 ? channel(7) : 1.0f};
}

std::uint32_t Rgba::packed() const {
  const auto byte = [](float v) {
    return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return byte(r) | (byte(g) << 8) | (byte(b) << 16) | (byte(a) << 24);
}

namespace {

using Json = nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string origin) : m_origin(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw core::InputRejected(m_origin + ": '" + key + "': " + why);
  }
  const Json& member(const Json& object, const std::string& name, const std::string& key) const {
    if (!object.is_object() || !object.contains(name)) fail(key, "missing");
    return object.at(name);
  }
  Rgba color(const Json& value, const std::string& key) const {
    if (!value.is_string()) fail(key, "expected a colour string");
    try {
      return Rgba::parse(value.get<std::string>());
    } catch (const std::invalid_argument& e) {
      fail(key, e.what());
    }
  }
  double number(const Json& value, const std::string& key, double min, double max) const {
    if (!value.is_number()) fail(key, "expected a number");
    const double v = value.get<double>();
    if (!(v >= min && v <= max)) fail(key, "must lie in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return v;
  }
  std::string string(const Json& value, const std::string& key) const {
    if (!value.is_string()) fail(key, "expected a string");
    return value.get<std::string>();
  }
  Shape shape(const Json& value, const std::string& key) const {
    const std::string name = string(value, key);
    static const std::map<std::string, Shape> shapes{
        {"circle", Shape::Circle},   {"square", Shape::Square},   {"triangle", Shape::Triangle},
        {"diamond", Shape::Diamond}, {"hexagon", Shape::Hexagon}, {"cross", Shape::Cross}};
    const auto it = shapes.find(name);
    if (it == shapes.end()) fail(key, "unknown shape '" + name + "'");
    return it->second;
  }
  SymbolStyle symbol(const Json& value, const std::string& key) const {
    SymbolStyle s;
    s.shape = shape(member(value, "shape", key + ".shape"), key + ".shape");
    s.color = color(member(value, "color", key + ".color"), key + ".color");
    if (value.contains("size")) s.size = static_cast<float>(number(value["size"], key + ".size", 2, 64));
    return s;
  }

 private:
  std::string m_origin;
};

} // namespace

Style Style::parse(const std::string& text, const std::string& origin) {
  Reader r(origin);
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::exception& e) {
    // Not only parse_error: a number beyond double's range ("1e400") is an out_of_range.
    throw core::InputRejected(origin + ": not valid JSON: " + e.what());
  }
  if (!json.is_object()) r.fail("(top)", "expected an object");
  Style style;
  style.background = r.color(r.member(json, "background", "background"), "background");
  style.highlight = r.color(r.member(json, "highlight", "highlight"), "highlight");
  style.linkLine = r.color(r.member(json, "link_line", "link_line"), "link_line");
  style.otherAuthority = r.color(r.member(json, "other_authority", "other_authority"), "other_authority");

  const Json& base = r.member(json, "base", "base");
  if (!base.is_array()) r.fail("base", "expected a list");
  for (std::size_t i = 0; i < base.size(); ++i) {
    const std::string key = "base[" + std::to_string(i) + "]";
    BaseLayerStyle layer;
    layer.layer = r.string(r.member(base[i], "layer", key + ".layer"), key + ".layer");
    const std::string kind = r.string(r.member(base[i], "kind", key + ".kind"), key + ".kind");
    if (kind != "fill" && kind != "line") r.fail(key + ".kind", "expected fill or line");
    layer.fill = kind == "fill";
    layer.color = r.color(r.member(base[i], "color", key + ".color"), key + ".color");
    if (base[i].contains("width")) layer.width = static_cast<float>(r.number(base[i]["width"], key + ".width", 0.1, 32));
    if (base[i].contains("lod")) layer.lod = base[i]["lod"].is_boolean() ? base[i]["lod"].get<bool>() : (r.fail(key + ".lod", "expected true or false"), true);
    if (base[i].contains("min_zoom")) layer.minZoom = r.number(base[i]["min_zoom"], key + ".min_zoom", 0, 24);
    style.base.push_back(layer);
  }

  const Json& lods = r.member(json, "lod", "lod");
  if (!lods.is_array() || lods.empty()) r.fail("lod", "expected a non-empty list");
  for (std::size_t i = 0; i < lods.size(); ++i) {
    const std::string key = "lod[" + std::to_string(i) + "]";
    LodLevel level;
    level.suffix = r.string(r.member(lods[i], "suffix", key + ".suffix"), key + ".suffix");
    level.maxZoom = r.number(r.member(lods[i], "max_zoom", key + ".max_zoom"), key + ".max_zoom", 0, 99);
    if (!style.lods.empty() && level.maxZoom <= style.lods.back().maxZoom) {
      r.fail(key + ".max_zoom", "levels must be listed by increasing max_zoom");
    }
    style.lods.push_back(level);
  }

  for (const auto& [section, target] :
       {std::pair{"entity_kinds", &style.entityKinds}, std::pair{"incident_kinds", &style.incidentKinds}}) {
    const Json& symbols = r.member(json, section, section);
    if (!symbols.is_object()) r.fail(section, "expected an object");
    for (const auto& [name, value] : symbols.items()) {
      (*target)[name] = r.symbol(value, std::string(section) + "." + name);
    }
    if (!target->count("other")) r.fail(section, "needs an 'other' entry");
  }
  const Json& authorities = r.member(json, "authorities", "authorities");
  if (!authorities.is_object()) r.fail("authorities", "expected an object");
  for (const auto& [name, value] : authorities.items()) {
    style.authorities[name] = r.color(value, "authorities." + name);
  }
  const Json& labels = r.member(json, "labels", "labels");
  if (!labels.is_object()) r.fail("labels", "expected an object");
  for (const auto& [name, value] : labels.items()) {
    const std::string key = "labels." + name;
    LabelStyle label;
    label.size = static_cast<float>(r.number(r.member(value, "size", key + ".size"), key + ".size", 6, 64));
    label.color = r.color(r.member(value, "color", key + ".color"), key + ".color");
    label.halo = r.color(r.member(value, "halo", key + ".halo"), key + ".halo");
    if (value.contains("min_zoom")) label.minZoom = r.number(value["min_zoom"], key + ".min_zoom", 0, 24);
    if (value.contains("priority")) label.priority = static_cast<int>(r.number(value["priority"], key + ".priority", -1000, 1000));
    style.labels[name] = label;
  }
  return style;
}

Style Style::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputRejected(path + ": cannot read the style file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

const std::string& Style::lodFor(double zoom) const {
  for (const auto& level : lods) {
    if (zoom <= level.maxZoom) return level.suffix;
  }
  return lods.back().suffix;
}

const SymbolStyle& Style::entitySymbol(const std::string& kind) const {
  const auto it = entityKinds.find(kind);
  return it != entityKinds.end() ? it->second : entityKinds.at("other");
}

const SymbolStyle& Style::incidentSymbol(const std::string& kind) const {
  const auto it = incidentKinds.find(kind);
  return it != incidentKinds.end() ? it->second : incidentKinds.at("other");
}

const Rgba& Style::authorityColor(const std::string& authority) const {
  const auto it = authorities.find(authority);
  return it != authorities.end() ? it->second : otherAuthority;
}

} // namespace borderlens::render
