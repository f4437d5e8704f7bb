#pragma once

#include "store/sqlite/connection.h"

#include <cstdint>
#include <string>
#include <vector>

namespace borderlens::store::sqlite {

struct RtreeBox {
  std::int64_t id = 0;
  double minX = 0;
  double maxX = 0;
  double minY = 0;
  double maxY = 0;
  // The third dimension, for a 3-D tree; a 2-D tree ignores it.
  double minZ = 0;
  double maxZ = 0;
};

// Replaces the whole content of the 2-D or 3-D SQLite R*Tree `table` (SpatiaLite's
// idx_<table>_<column>, or incidents_span_rtree) by a tree packed from `boxes` with
// Sort-Tile-Recursive, written straight into its three shadow tables in the format rtree.c
// documents. SQLite's R*Tree has no bulk load: it inserts a row at a time, choosing a subtree and
// splitting nodes, about 10 µs a row at a million rows, and the tree it grows is looser than a
// packed one. Coordinates are rounded outward to 32-bit floats, as the R*Tree itself stores them,
// so a box never shrinks. Throws core::StoreError when the table is not a 2-D or 3-D float R*Tree.
// Must run inside the caller's transaction, with no statement active on it.
void packRtree(Connection& connection, const std::string& table, const std::vector<RtreeBox>& boxes);

} // namespace borderlens::store::sqlite
