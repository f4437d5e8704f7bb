#pragma once

#include "render/scene/map_scene.h"

// Times `queries` random viewport queries of each kind on the map's point index over `scene`
// and prints a line for each (see query_bench.cpp). False, with the cause on stderr, when an
// index query and a scan disagree.
bool benchViewportQueries(const borderlens::render::SceneGeometry& scene, int queries, unsigned seed);
