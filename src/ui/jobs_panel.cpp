#include "ui/panels.h"

#include "core/redact.h"
#include "ops/export_op.h"
#include "ops/import_op.h"
#include "ops/render_op.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>

namespace borderlens::ui {

void startImport(ViewModel& model, const std::vector<std::string>& files) {
  if (model.database.empty()) {
    model.message = "open a database before dropping files on the map";
    return;
  }
  ops::ImportOptions options;
  options.database = model.database;
  options.files = files;
  const bool started = model.job.start(
      "Importing " + std::to_string(files.size()) + (files.size() == 1 ? " file" : " files"),
      [options](const auto& progress) {
        const ops::ImportReport report = ops::runImport(options, progress);
        std::size_t created = 0, rejected = 0;
        for (const auto& file : report.files) {
          for (const auto& [kind, count] : file.created) created += count;
          created += file.incidentsCreated;
          rejected += file.rejected.size();
        }
        return "imported " + std::to_string(created) + " new records, " + std::to_string(rejected) +
               " rejected (borderlens import --dry-run shows the full report)";
      });
  if (started) model.reloadAfterJob = true;
  else model.message = "another import or export is still running";
}

void drawJobWindow(ViewModel& model) {
  if (model.job.takeFinished()) {
    // A failed job's message may quote the database location: never with its password.
    std::string result = model.job.result();
    const std::string safe = core::redactSecrets(model.database);
    if (safe != model.database) {
      for (auto at = result.find(model.database); at != std::string::npos;
           at = result.find(model.database, at + safe.size())) {
        result.replace(at, model.database.size(), safe);
      }
    }
    model.message = model.job.title() + ": " + result;
    if (model.job.failed()) model.reloadAfterJob = false;
  }
  if (!model.job.running()) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x / 2, viewport->Pos.y + 60), ImGuiCond_Always,
                          ImVec2(0.5f, 0));
  ImGui::SetNextWindowSize(ImVec2(420, 0));
  ImGui::Begin(model.job.title().c_str(), nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize);
  ImGui::ProgressBar(static_cast<float>(model.job.fraction()), ImVec2(-1, 0));
  ImGui::TextWrapped("%s", model.job.message().c_str());
  if (ImGui::Button("Cancel")) model.job.cancel();
  ImGui::End();
}

void startImageExport(ViewModel& model, const std::string& path, const std::string& title) {
  ops::RenderOptions options;
  options.database = model.database;
  options.output = path;
  options.overwrite = true;
  options.bbox = model.camera.visibleBBox();
  options.width = model.camera.width;
  options.height = model.camera.height;
  options.filter = model.filter.toSpec(model.scene);
  options.script = model.script;
  options.title = title;
  model.job.start("Exporting " + std::filesystem::path(path).filename().string(), [options](const auto& progress) {
    const ops::RenderReport report = ops::runRender(options, progress);
    return "wrote " + options.output + " (" + std::to_string(report.width) + "x" + std::to_string(report.height) + ")";
  });
}

void startLayersExport(ViewModel& model, const std::string& path) {
  ops::ExportOptions options;
  options.database = model.database;
  options.output = path;
  options.overwrite = true;
  options.filter = model.filter.toSpec(model.scene);
  options.filter.bbox = model.camera.visibleBBox();
  model.job.start("Exporting " + std::filesystem::path(path).filename().string(), [options](const auto& progress) {
    ops::runExport(options, progress);
    return "wrote " + options.output + " and " + options.output + ".manifest.json";
  });
}

void drawExportDialog(ViewModel& model) {
  if (!model.exportDialogOpen) return;
  static int kind = 0;  // 0 map image, 1 layers
  static std::string imagePath = "borderlens-map.png";
  static std::string layersPath = "borderlens-layers.gpkg";
  static std::string title;
  ImGui::SetNextWindowSize(ImVec2(480, 0), ImGuiCond_Appearing);
  if (!ImGui::Begin("Export", &model.exportDialogOpen, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("Exports what the map shows now: this view and the current filters.");
  ImGui::RadioButton("Map image", &kind, 0);
  ImGui::SameLine();
  ImGui::RadioButton("Map layers", &kind, 1);
  if (kind == 0) {
    ImGui::InputText("file (.png, .tif)", &imagePath);
    ImGui::InputText("title", &title);
    ImGui::TextDisabled("with legend, scale bar, north arrow, caption and attribution; .tif is georeferenced");
  } else {
    ImGui::InputText("file", &layersPath);
    ImGui::TextDisabled(".gpkg .geojson .kml .csv .fgb, or a directory for Shapefiles (--format shp)");
  }
  const bool busy = model.job.running();
  if (busy) ImGui::BeginDisabled();
  if (ImGui::Button("Export")) {
    if (kind == 0) startImageExport(model, imagePath, title);
    else startLayersExport(model, layersPath);
    model.exportDialogOpen = false;
  }
  if (busy) ImGui::EndDisabled();
  ImGui::End();
}

} // namespace borderlens::ui
