#include "ops/render_op.h"

#include "core/errors.h"
#include "core/model.h"
#include "core/redact.h"
#include "export/manifest.h"
#include "export/raster.h"
#include "render/scene/overlay.h"
#include "ops/geodata_path.h"
#include "ops/map_loader.h"
#include "render/gl/map_renderer.h"
#include "render/image.h"
#include "render/offscreen.h"
#include "render/scene/map_scene.h"
#include "render/scene/style.h"

#include <charconv>
#include <set>
#include <filesystem>

namespace borderlens::ops {

namespace {

std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

} // namespace

std::vector<std::string> describeFilter(const store::FilterSpec& filter,
                                        const std::vector<store::RoundRow>& rounds) {
  std::vector<std::string> lines;
  const auto day = [](std::optional<std::int32_t> d, const char* open) {
    return d ? core::Date::fromDays(*d).toString() : std::string(open);
  };
  lines.push_back(filter.window.empty() ? "Time: all dates"
                                        : "Time: " + day(filter.window.from, "any date") + " to " +
                                              day(filter.window.to, "today"));
  if (filter.rounds.empty()) {
    lines.push_back("Rounds: all");
  } else {
    std::string text = "Rounds: ";
    for (std::size_t i = 0; i < filter.rounds.size(); ++i) {
      std::string label = filter.rounds[i];
      for (const auto& row : rounds) {
        if (row.round.id == label && !row.round.label.empty()) label = row.round.label;
      }
      text += (i ? "; " : "") + label;
    }
    lines.push_back(text);
  }
  std::string other;
  const auto add = [&](const std::string& part) { other += (other.empty() ? "" : "; ") + part; };
  const auto joined = [](const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
    return out;
  };
  if (!filter.authorities.empty()) add("authorities " + joined(filter.authorities));
  if (!filter.programs.empty()) add("programs " + joined(filter.programs));
  std::vector<std::string> kinds;
  for (auto k : filter.entityKinds) kinds.emplace_back(core::nameOf(k));
  kinds.insert(kinds.end(), filter.incidentKinds.begin(), filter.incidentKinds.end());
  if (!kinds.empty()) add("kinds " + joined(kinds));
  if (filter.minConfidence) add("confidence >= " + std::to_string(*filter.minConfidence).substr(0, 4));
  if (!filter.text.empty()) add("matching \"" + filter.text + "\"");
  if (filter.borderKm) add("within " + std::to_string(static_cast<int>(*filter.borderKm)) + " km of the border");
  if (filter.near) add("within " + std::to_string(static_cast<int>(filter.near->km)) + " km of a point");
  if (!other.empty()) lines.push_back("Filter: " + other);
  return lines;
}

namespace {

// Records whose sources the manifest lists one by one; past this many it gives the count and
// points to `borderlens export`, which writes every source.
constexpr std::size_t kManifestSourceRecords = 50000;

void writeImageManifest(const RenderOptions& options, const render::SceneGeometry& scene, bool geoTiff,
                        const RenderReport& report) {
  exports::ManifestInput manifest;
  manifest.command = "render";
  manifest.format = geoTiff ? "gtiff" : "png";
  manifest.database = options.database;
  manifest.filter = options.filter;
  manifest.layers = {{"entities", report.entities, {}}, {"incidents", report.incidents, {}}};
  manifest.createdAt = exports::creationTime();
  manifest.version = version();
  manifest.extra["size"] = {options.width, options.height};
  manifest.extra["attribution"] = scene.attribution;
  if (!options.database.empty()) {
    auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
    manifest.schemaVersion = db->schemaVersion();
    if (scene.features.size() <= kManifestSourceRecords) {
      std::set<core::RecordId> ids;
      for (const auto& row : scene.features) {
        if (row.type == store::FeatureType::Entity) {
          if (auto e = db->entity(row.id)) ids.insert(e->sourceIds.begin(), e->sourceIds.end());
          for (const auto& d : db->designationsOf(row.id)) ids.insert(d.sourceIds.begin(), d.sourceIds.end());
        } else if (auto i = db->incident(row.id)) {
          ids.insert(i->sourceIds.begin(), i->sourceIds.end());
        }
      }
      for (auto id : ids) {
        if (auto source = db->source(id)) manifest.sources.push_back(*source);
      }
    } else {
      manifest.warnings.push_back(std::to_string(scene.features.size()) +
                                  " records drawn: their sources are not listed here; `borderlens export` "
                                  "with the same filters writes every source");
    }
  }
  exports::writeManifest(exports::manifestJson(manifest), options.output,
                         std::filesystem::path(options.output).filename().string(),
                         options.output + ".manifest.json");
}

} // namespace

void parseSize(const std::string& text, int& width, int& height) {
  const auto x = text.find('x');
  const auto parse = [&](std::string_view part, int& out) {
    const auto result = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && result.ec == std::errc{} && result.ptr == part.data() + part.size() && out > 0;
  };
  const std::string_view all(text);
  if (x == std::string::npos || !parse(all.substr(0, x), width) || !parse(all.substr(x + 1), height)) {
    throw core::UsageError("invalid size '" + text + "': expected WIDTHxHEIGHT in pixels, e.g. 1600x1000");
  }
}

RenderReport runRender(const RenderOptions& options, const core::Progress& progress) {
  if (options.output.empty()) throw core::UsageError("render: no output file given (--to)");
  const std::string extension = lowerExtension(options.output);
  const bool geoTiff = extension == ".tif" || extension == ".tiff";
  if (extension != ".png" && !geoTiff) {
    throw core::UsageError("render: unknown image format for '" + options.output + "' (use .png, .tif or .tiff)");
  }
  std::error_code ec;
  if (std::filesystem::exists(options.output, ec) && !options.overwrite) {
    throw core::OutputFailed(options.output + ": exists (use --overwrite to replace it)");
  }
  const auto parent = std::filesystem::path(options.output).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    throw core::OutputFailed(options.output + ": no such directory '" + parent.string() + "'");
  }

  std::string stylePath = options.stylePath;
  if (stylePath.empty()) {
    const auto assets = findAssetsDir();
    if (!assets) throw core::InputRejected("no assets/style.json found (set BORDERLENS_ASSETS)");
    stylePath = (std::filesystem::path(*assets) / "style.json").string();
  }
  const render::Style style = render::Style::load(stylePath);

  render::OffscreenContext context;
  const int limit = render::Framebuffer::maxSize();
  if (options.width > limit || options.height > limit) {
    throw core::UsageError("size " + std::to_string(options.width) + "x" + std::to_string(options.height) +
                           " exceeds this OpenGL's limit of " + std::to_string(limit) + " pixels a side");
  }

  MapLoadOptions load;
  load.database = options.database;
  load.filter = options.filter;
  for (const auto& layer : style.base) load.baseLayers.push_back(layer.layer);
  // A given view needs the base map at one level of detail only; without one, the view follows
  // the records, so every level is read.
  if (options.bbox) {
    load.lod = style.lodFor(render::Camera::fit(*options.bbox, options.width, options.height, 40).zoom);
  }
  const render::SceneGeometry scene = render::buildScene(loadMapData(load, progress), style);
  core::reportProgress(progress, 0.9, "drawing");

  geo::BBox box = options.bbox.value_or(kBorderRegion);
  if (!options.bbox && !scene.features.empty()) box = scene.extent;
  render::Camera camera = render::Camera::fit(box, options.width, options.height, 40);

  render::Framebuffer framebuffer(options.width, options.height);
  render::gl::MapRenderer renderer(scene, style);
  // The store has applied the filter already; the GPU filter shows everything it returned.
  const render::GpuFilter filter;
  // The furniture's panels and north arrow are triangles, smoothed by the samples: with them the
  // whole image stays multisampled. The two ways differ by rounding only, as blending is linear.
  render::gl::MapRenderer::Targets targets{framebuffer.multisampledFbo(), std::nullopt};
  if (!options.furniture) targets.resolved = framebuffer.resolvedFbo();
  renderer.draw(camera, filter, options.script, targets);
  if (options.furniture) {
    render::FurnitureOptions furniture;
    furniture.title = options.title;
    furniture.caption = describeFilter(options.filter, scene.rounds);
    furniture.attribution = scene.attribution;
    if (!options.database.empty()) {
      furniture.attribution.push_back("Records: " + std::to_string(scene.features.size()) +
                                      " shown, each with its sources in " +
                                      std::filesystem::path(core::redactSecrets(options.database))
                                          .filename()
                                          .string());
    }
    const render::Overlay overlay = render::buildMapFurniture(scene, style, camera, renderer.atlas(), furniture);
    renderer.drawOverlay(overlay, camera);
    framebuffer.resolve();
  }
  render::Image image{options.width, options.height, framebuffer.readRgba()};
  if (geoTiff) {
    // The image spans the camera's view exactly, so its geotransform follows from the camera.
    const double halfW = camera.width * camera.metresPerPixel() / 2;
    const double halfH = camera.height * camera.metresPerPixel() / 2;
    exports::writeGeoTiff(options.output, image.width, image.height, image.rgba,
                          {camera.centerX - halfW, camera.centerY - halfH, camera.centerX + halfW,
                           camera.centerY + halfH});
  } else {
    image.writePng(options.output);
  }

  RenderReport report;
  report.width = options.width;
  report.height = options.height;
  for (const auto& p : scene.points) {
    (p.category & render::category::kIncident ? report.incidents : report.entities)++;
  }
  writeImageManifest(options, scene, geoTiff, report);
  report.labels = renderer.placedLabels().size();
  report.renderer = context.rendererName();
  core::reportProgress(progress, 1.0, "written");
  return report;
}

} // namespace borderlens::ops
