#include "export/vector_export.h"

#include "core/errors.h"
#include "export/base_layers.h"
#include "export/manifest.h"
#include "export/staged_output.h"
#include "export/styles.h"
#include "export/writers.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

namespace borderlens::exports {

namespace fs = std::filesystem;

namespace {

std::string lowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::optional<VectorFormat> formatOfExtension(const std::string& ext) {
  if (ext == ".gpkg") return VectorFormat::GeoPackage;
  if (ext == ".geojson" || ext == ".json") return VectorFormat::GeoJson;
  if (ext == ".kml") return VectorFormat::Kml;
  if (ext == ".csv") return VectorFormat::Csv;
  if (ext == ".shp") return VectorFormat::Shapefile;
  if (ext == ".fgb") return VectorFormat::FlatGeobuf;
  return std::nullopt;
}

std::string formatList() {
  std::string out;
  const auto& all = allVectorFormats();
  for (std::size_t i = 0; i < all.size(); ++i) {
    out += i == 0 ? "" : i + 1 == all.size() ? " or " : ", ";
    out += nameOf(all[i]);
  }
  return out;
}

bool hasBase(const std::vector<LayerKind>& layers) {
  return std::find(layers.begin(), layers.end(), LayerKind::Base) != layers.end();
}

// The base kind stands for three layers (borders, coastline, rivers).
std::size_t outputLayerCount(const std::vector<LayerKind>& layers) {
  return layers.size() + (hasBase(layers) ? 2 : 0);
}

// A FlatGeobuf file holds one layer; a FlatGeobuf path without .fgb is a directory of them.
bool directoryOutput(const VectorExportOptions& options) {
  return options.format == VectorFormat::Shapefile ||
         (options.format == VectorFormat::FlatGeobuf && lowerExtension(options.output) != ".fgb");
}

std::string stagedExtension(VectorFormat format, bool directory) {
  if (directory) return "";
  switch (format) {
    case VectorFormat::GeoPackage: return ".gpkg";
    case VectorFormat::GeoJson: return ".geojson";
    case VectorFormat::Kml: return ".kml";
    case VectorFormat::Csv: return ".csv";
    case VectorFormat::FlatGeobuf: return ".fgb";
    case VectorFormat::Shapefile: break;
  }
  return "";
}

// Thrown out of a layer's producer once its writer finds a record outside the guessed shape.
struct ShapeMisfit {};

// Runs a layer's producer on a second thread while this one writes what it produces: reading the
// store and writing the format each take a large share of an export (for 100,000 incidents to a
// GeoPackage, about 0.6 s and 0.4 s), and they overlap on two cores. Records cross in batches,
// copied into recycled ones so that their strings keep their capacity; the sink, the writer's
// GDAL calls and the progress callback all stay on this thread, the producer's fraction being
// handed over with each batch.
class ProducerThread {
 public:
  static void run(const OutputLayer& layer, const RecordSink& sink, const LayerProgress& progress) {
    ProducerThread pipe;
    std::thread producer([&] { pipe.produce(layer); });
    try {
      pipe.consume(sink, progress);
    } catch (...) {
      pipe.stop();
      producer.join();
      throw;
    }
    producer.join();
    if (pipe.m_error) std::rethrow_exception(pipe.m_error);
  }

 private:
  static constexpr std::size_t kBatch = 256;
  static constexpr std::size_t kBatchesInFlight = 8;

  struct Batch {
    std::vector<Record> records;  // the first `size` hold this batch
    std::size_t size = 0;
  };
  struct Stopped {};

  void produce(const OutputLayer& layer) {
    Batch batch;
    try {
      layer.produce(
          [&](const Record& record) {
            if (batch.size == batch.records.size()) {
              batch.records.push_back(record);
            } else {
              batch.records[batch.size] = record;
            }
            if (++batch.size == kBatch) ship(batch);
          },
          [&](double fraction) {
            std::lock_guard lock(m_mutex);
            m_fraction = fraction;
            return !m_stopped;
          });
      if (batch.size > 0) ship(batch);
    } catch (const Stopped&) {
    } catch (...) {
      m_error = std::current_exception();
    }
    std::lock_guard lock(m_mutex);
    m_done = true;
    m_changed.notify_all();
  }

  void ship(Batch& batch) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_full.size() < kBatchesInFlight || m_stopped; });
    if (m_stopped) throw Stopped();
    m_full.push_back(std::move(batch));
    batch = Batch();
    if (!m_spare.empty()) {
      batch = std::move(m_spare.back());
      m_spare.pop_back();
    }
    m_changed.notify_all();
  }

  void consume(const RecordSink& sink, const LayerProgress& progress) {
    double reported = -1;
    for (;;) {
      Batch batch;
      double fraction = 0;
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_full.empty() || m_done; });
        if (m_full.empty()) {
          fraction = m_fraction;
        } else {
          batch = std::move(m_full.front());
          m_full.pop_front();
          fraction = m_fraction;
          m_changed.notify_all();
        }
      }
      if (batch.size == 0) {
        // The producer is done: its last fraction, as it would have reported it.
        if (progress && fraction != reported && fraction >= 0 && !m_error && !progress(fraction)) {
          throw core::Cancelled();
        }
        return;
      }
      for (std::size_t i = 0; i < batch.size; ++i) sink(batch.records[i]);
      if (progress && fraction >= 0) {
        if (!progress(fraction)) throw core::Cancelled();
        reported = fraction;
      }
      batch.size = 0;
      std::lock_guard lock(m_mutex);
      m_spare.push_back(std::move(batch));
    }
  }

  void stop() {
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_changed.notify_all();
  }

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Batch> m_full;
  std::vector<Batch> m_spare;
  double m_fraction = -1;  // the producer's last progress; -1 before it reports any
  bool m_done = false;
  bool m_stopped = false;
  std::exception_ptr m_error;  // written by the producer before m_done
};

// A layer's records through `sink`: on a second thread where there is a second core.
void produceInto(const OutputLayer& layer, const RecordSink& sink, const LayerProgress& progress) {
  if (std::thread::hardware_concurrency() > 1) {
    ProducerThread::run(layer, sink, progress);
  } else {
    layer.produce(sink, progress);
  }
}

} // namespace

// Base-layer WKB comes from OGR_G_ExportToIsoWkb in little-endian order: a byte-order byte, then
// the type (multi types are 4-7, plus 1000s for Z/M).
bool multiPart(const Record& record) {
  if (record.wkb.size() >= 5) {
    std::uint32_t type = 0;
    for (std::size_t i = 4; i >= 1; --i) type = (type << 8) | static_cast<unsigned char>(record.wkb[i]);
    const std::uint32_t flat = type % 1000;
    return flat >= 4 && flat <= 7;
  }
  return record.wkt.rfind("MULTI", 0) == 0;
}

const char* nameOf(VectorFormat format) {
  switch (format) {
    case VectorFormat::GeoPackage: return "gpkg";
    case VectorFormat::GeoJson: return "geojson";
    case VectorFormat::Kml: return "kml";
    case VectorFormat::Csv: return "csv";
    case VectorFormat::Shapefile: return "shp";
    case VectorFormat::FlatGeobuf: return "fgb";
  }
  return "?";
}

const char* titleOf(VectorFormat format) {
  switch (format) {
    case VectorFormat::GeoPackage: return "GeoPackage";
    case VectorFormat::GeoJson: return "GeoJSON";
    case VectorFormat::Kml: return "KML";
    case VectorFormat::Csv: return "CSV";
    case VectorFormat::Shapefile: return "Shapefile";
    case VectorFormat::FlatGeobuf: return "FlatGeobuf";
  }
  return "?";
}

const std::vector<VectorFormat>& allVectorFormats() {
  static const std::vector<VectorFormat> all{VectorFormat::GeoPackage, VectorFormat::GeoJson, VectorFormat::Kml,
                                             VectorFormat::Csv,        VectorFormat::Shapefile, VectorFormat::FlatGeobuf};
  return all;
}

VectorFormat resolveVectorFormat(const std::string& formatName, const std::string& output) {
  const std::string ext = lowerExtension(output);
  const auto byExtension = formatOfExtension(ext);
  VectorFormat format;
  if (!formatName.empty()) {
    const auto& all = allVectorFormats();
    const auto it = std::find_if(all.begin(), all.end(), [&](VectorFormat f) { return formatName == nameOf(f); });
    if (it == all.end()) throw core::UsageError("unknown --format '" + formatName + "': expected " + formatList());
    format = *it;
    if (byExtension && *byExtension != format) {
      throw core::UsageError("--format " + formatName + " does not match the extension of '" + output + "'");
    }
  } else if (byExtension) {
    format = *byExtension;
  } else {
    throw core::UsageError("cannot tell the export format from '" + output + "': give --format " + formatList());
  }
  if (format == VectorFormat::Shapefile && ext == ".shp") {
    throw core::UsageError("a Shapefile export is a directory with one .shp per layer: give --to DIR --format shp");
  }
  return format;
}

const std::vector<LayerKind>& defaultVectorLayers() {
  static const std::vector<LayerKind> layers{LayerKind::Entities, LayerKind::Designations, LayerKind::Incidents,
                                             LayerKind::Links};
  return layers;
}

std::string manifestPathFor(const std::string& output) {
  std::string path = output;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + ".manifest.json";
}

void checkVectorExport(const VectorExportOptions& options) {
  if (options.layers.empty()) throw core::UsageError("no layers to export");
  if (options.format == VectorFormat::FlatGeobuf && !directoryOutput(options) && outputLayerCount(options.layers) > 1) {
    throw core::UsageError("a .fgb file holds one layer: choose one with --layers, or give --to DIR --format fgb "
                           "for a directory with a file per layer");
  }
  if (hasBase(options.layers) && options.geodataDir.empty()) {
    throw core::InputRejected("the base layer needs geodata/base.gpkg, which was not found (set BORDERLENS_GEODATA)");
  }
  if ((options.format == VectorFormat::GeoPackage || options.format == VectorFormat::Kml) && options.stylePath.empty()) {
    throw core::InputRejected("no assets/style.json found for the layer styles (set BORDERLENS_ASSETS)");
  }
  checkTarget(options.output, directoryOutput(options) ? OutputKind::Directory : OutputKind::File, options.overwrite);
  checkTarget(manifestPathFor(options.output), OutputKind::File, options.overwrite);
}

VectorExportReport writeVectorExport(store::Store& store, const VectorExportOptions& options,
                                     const core::Progress& progress) {
  checkVectorExport(options);
  const std::string createdAt = options.createdAt.empty() ? creationTime() : options.createdAt;
  StyleSheet styles;
  if (options.format == VectorFormat::GeoPackage || options.format == VectorFormat::Kml) {
    styles = StyleSheet::load(options.stylePath);
  }

  SourceBook sources(store);
  std::vector<OutputLayer> layers = recordLayers(store, options.filter, options.layers, sources);
  std::vector<BaseSource> baseSources;
  if (hasBase(options.layers)) {
    auto base = baseLayers(options.geodataDir, options.filter.bbox, baseSources);
    layers.insert(layers.end(), std::make_move_iterator(base.begin()), std::make_move_iterator(base.end()));
  }
  std::vector<LayerDef> defs;
  for (const auto& layer : layers) defs.push_back(layer.def);

  const bool directory = directoryOutput(options);
  StagedOutput output(options.output, directory ? OutputKind::Directory : OutputKind::File,
                      stagedExtension(options.format, directory));
  StagedOutput manifestOutput(manifestPathFor(options.output), OutputKind::File, ".json");
  std::unique_ptr<VectorWriter> writer;
  switch (options.format) {
    case VectorFormat::Kml: writer = makeKmlWriter(output.path(), styles); break;
    case VectorFormat::GeoJson: writer = makeGeoJsonWriter(output.path(), defs); break;
    default: writer = makeOgrWriter(options.format, output.path(), defs, styles, createdAt);
  }

  VectorExportReport report;
  report.output = options.output;
  report.manifest = manifestPathFor(options.output);
  const double slot = 0.95 / static_cast<double>(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const OutputLayer& layer = layers[i];
    const std::string message = "writing " + layer.def.name;
    const auto within = [&](double from, double span) -> LayerProgress {
      return [&, from, span](double fraction) {
        return core::reportProgress(progress, slot * (static_cast<double>(i) + from + span * fraction), message);
      };
    };
    const auto exactShape = [&](const LayerProgress& passProgress) {
      LayerShape shape;
      layer.produce(
          [&](const Record& record) {
            if (record.family == GeometryFamily::None) {
              shape.hasNull = true;
            } else {
              shape.families[record.family] = shape.families[record.family] || multiPart(record);
            }
          },
          passProgress);
      return shape;
    };
    const auto write = [&](const LayerShape& shape, const LayerProgress& passProgress) {
      writer->beginLayer(layer.def, shape);
      produceInto(
          layer,
          [&](const Record& record) {
            writer->write(record);
            if (!writer->fits()) throw ShapeMisfit();
          },
          passProgress);
    };
    switch (writer->shapeNeed()) {
      case VectorWriter::ShapeNeed::None: write({}, within(0, 1)); break;
      case VectorWriter::ShapeNeed::Exact: write(exactShape(within(0, 0.5)), within(0.5, 0.5)); break;
      case VectorWriter::ShapeNeed::Guess: {
        LayerShape guess;
        guess.guessed = true;
        if (layer.def.geometry != GeometryFamily::None) guess.families[layer.def.geometry] = false;
        try {
          write(guess, within(0, 1));
        } catch (const ShapeMisfit&) {
          writer->discardLayer();
          write(exactShape(within(0, 0.5)), within(0.5, 0.5));
        }
        break;
      }
    }
    const LayerResult result = writer->endLayer();
    report.layers.push_back({layer.def.name, result.written, result.parts});
  }

  ManifestInput manifest;
  manifest.command = "export";
  manifest.format = nameOf(options.format);
  manifest.database = options.database;
  manifest.schemaVersion = store.schemaVersion();
  manifest.filter = options.filter;
  for (const auto& count : report.layers) manifest.layers.push_back({count.name, count.features, count.parts});
  manifest.sources = sources.cited();
  manifest.baseSources = baseSources;
  manifest.createdAt = createdAt;
  manifest.version = options.version;
  FinishInfo info;
  info.manifest = manifestJson(manifest);
  info.sources = manifest.sources;
  info.createdAt = createdAt;
  core::reportProgress(progress, 0.96, "completing the " + std::string(titleOf(options.format)));
  writer->finish(info);
  report.warnings = writer->warnings();
  manifest.warnings = report.warnings;
  const nlohmann::ordered_json json = manifestJson(manifest);
  writeManifest(json, output.path(), fs::path(options.output).filename().string(), manifestOutput.path());
  if (!core::reportProgress(progress, 0.99, "renaming into place")) throw core::Cancelled();
  output.commit();
  manifestOutput.commit();
  core::reportProgress(progress, 1.0, "written");
  return report;
}

} // namespace borderlens::exports
