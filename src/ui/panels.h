#pragma once

#include "ui/view_model.h"

// One function a panel, each in its own file; they draw ImGui widgets and change the ViewModel.
namespace borderlens::ui {

// The left sidebar holds these three as tabs; they draw their contents only.
void drawLayersPanel(ViewModel& model);
void drawRoundsPanel(ViewModel& model);
void drawFiltersPanel(ViewModel& model);
// Windows of their own.
void drawSidebar(ViewModel& model);
void drawTimelinePanel(ViewModel& model, float deltaSeconds);
void drawSearchPanel(ViewModel& model);
void drawInspectorPanel(ViewModel& model);
void drawStatusBar(ViewModel& model);
void drawMapOverlay(ViewModel& model);   // scale bar, attribution, hover tooltip

// The progress window of a running import or export, with Cancel; and the export dialog.
void drawJobWindow(ViewModel& model);
void drawExportDialog(ViewModel& model);
// Exports the current view and filters in the background (what the Export dialog runs).
void startImageExport(ViewModel& model, const std::string& path, const std::string& title);
void startLayersExport(ViewModel& model, const std::string& path);
// Imports dropped files into the open database in the background; the map reloads after.
void startImport(ViewModel& model, const std::vector<std::string>& files);

// Pan, zoom, pick and keyboard shortcuts on the map (when ImGui does not want the input).
void handleMapInput(ViewModel& model);

// The actions behind the round checkboxes and the timeline buttons, callable from tests.
void setRoundEnabled(ViewModel& model, std::size_t round, bool enabled);
void setAllRounds(ViewModel& model, bool enabled);
void stepRound(ViewModel& model, int direction);
// Runs the search and, when `fly`, flies to and selects the first located result.
void runSearch(ViewModel& model, bool fly);

// Builds the monthly histograms and the time range from the scene.
void prepareTimeline(ViewModel& model);

} // namespace borderlens::ui
