#include "store/sqlite/rtree_pack.h"

#include "core/errors.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

namespace borderlens::store::sqlite {

namespace {

constexpr std::size_t kMaxDimensions = 3;

// One cell of a node: a leaf's row id or an inner node's child, and its box in the R*Tree's floats,
// laid out as the R*Tree's columns are: min, max of each dimension in turn. A 2-D tree uses the
// first four.
struct Cell {
  std::int64_t id = 0;
  std::array<float, 2 * kMaxDimensions> box{};
};

constexpr float kInfinity = std::numeric_limits<float>::infinity();

float roundedDown(double value) {
  const float f = static_cast<float>(value);
  return f > value ? std::nextafter(f, -kInfinity) : f;
}

float roundedUp(double value) {
  const float f = static_cast<float>(value);
  return f < value ? std::nextafter(f, kInfinity) : f;
}

// Sort-Tile-Recursive: orders cells [begin, end) by their centre on dimension `dim` into slabs,
// each slab in turn by the next dimension, and on the last one cuts them into nodes of at most
// `capacity` cells, spread evenly within a slab so that no node is left with a handful. Appends
// each node's [begin, end) to `ranges`. Ties fall to the id, so the same input always packs the
// same way.
void tile(std::vector<Cell>& cells, std::size_t begin, std::size_t end, std::size_t dim,
          std::size_t dimensions, std::size_t capacity,
          std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  const auto centre = [dim](const Cell& c) { return double{c.box[2 * dim]} + c.box[2 * dim + 1]; };
  std::sort(cells.begin() + static_cast<std::ptrdiff_t>(begin),
            cells.begin() + static_cast<std::ptrdiff_t>(end), [&](const Cell& a, const Cell& b) {
              return std::pair(centre(a), a.id) < std::pair(centre(b), b.id);
            });
  const std::size_t size = end - begin;
  const std::size_t nodes = (size + capacity - 1) / capacity;
  if (dim + 1 == dimensions) {
    for (std::size_t i = 0; i < nodes; ++i)
      ranges.emplace_back(begin + size * i / nodes, begin + size * (i + 1) / nodes);
    return;
  }
  const auto slabs = static_cast<std::size_t>(
      std::ceil(std::pow(static_cast<double>(nodes), 1.0 / static_cast<double>(dimensions - dim))));
  const std::size_t perSlab = (nodes + slabs - 1) / slabs * capacity;
  for (std::size_t from = begin; from < end; from += perSlab)
    tile(cells, from, std::min(end, from + perSlab), dim + 1, dimensions, capacity, ranges);
}

std::vector<std::pair<std::size_t, std::size_t>> tile(std::vector<Cell>& cells,
                                                      std::size_t dimensions, std::size_t capacity) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  tile(cells, 0, cells.size(), 0, dimensions, capacity, ranges);
  return ranges;
}

Cell boundsOf(const std::vector<Cell>& cells, std::pair<std::size_t, std::size_t> range,
              std::int64_t id) {
  Cell out{id, {}};
  for (std::size_t k = 0; k < out.box.size(); k += 2) {
    out.box[k] = kInfinity;
    out.box[k + 1] = -kInfinity;
  }
  for (std::size_t i = range.first; i < range.second; ++i) {
    for (std::size_t k = 0; k < out.box.size(); k += 2) {
      out.box[k] = std::min(out.box[k], cells[i].box[k]);
      out.box[k + 1] = std::max(out.box[k + 1], cells[i].box[k + 1]);
    }
  }
  return out;
}

// One level of the tree: its cells, ordered so that node i holds cells[ranges[i]].
struct Level {
  std::vector<Cell> cells;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
};

std::uint8_t* putBigEndian(std::uint8_t* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) *out++ = static_cast<std::uint8_t>(value >> (8 * i));
  return out;
}

// The shape of the R*Tree: its number of dimensions and its node size (the length of every node
// blob, the root's included).
struct Shape {
  std::size_t dimensions = 0;
  std::size_t nodeSize = 0;
  std::size_t cellBytes() const { return 8 + 2 * 4 * dimensions; }
};

Shape checkedShape(Connection& connection, const std::string& table) {
  Statement schema(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
  schema.bind(1, table);
  std::string sql = schema.step() ? schema.text(0) : std::string();
  std::transform(sql.begin(), sql.end(), sql.begin(), [](unsigned char c) { return std::tolower(c); });
  Statement columns(connection, "SELECT count(*) FROM pragma_table_info(?)");
  columns.bind(1, table);
  const std::int64_t count = columns.step() ? columns.integer(0) : 0;
  // Auxiliary columns (+name) would be counted as coordinates.
  if (sql.find("using rtree(") == std::string::npos || sql.find('+') != std::string::npos ||
      (count != 5 && count != 7)) {
    throw core::StoreError(table + ": not a 2-D or 3-D R*Tree of floats");
  }
  Shape shape{static_cast<std::size_t>(count - 1) / 2, 0};
  Statement root(connection, "SELECT length(data) FROM " + quotedIdentifier(table + "_node") +
                                 " WHERE nodeno = 1");
  shape.nodeSize = root.step() ? static_cast<std::size_t>(root.integer(0)) : 0;
  if (shape.nodeSize < 4 + 3 * shape.cellBytes()) {
    throw core::StoreError(table + ": its root node is missing or too small");
  }
  return shape;
}

} // namespace

void packRtree(Connection& connection, const std::string& table, const std::vector<RtreeBox>& boxes) {
  const Shape shape = checkedShape(connection, table);
  const std::size_t capacity = (shape.nodeSize - 4) / shape.cellBytes();
  const std::size_t coordinates = 2 * shape.dimensions;

  std::vector<Level> levels(1);
  levels[0].cells.reserve(boxes.size());
  for (const auto& box : boxes) {
    levels[0].cells.push_back({box.id,
                               {roundedDown(box.minX), roundedUp(box.maxX), roundedDown(box.minY),
                                roundedUp(box.maxY), roundedDown(box.minZ), roundedUp(box.maxZ)}});
  }
  if (levels[0].cells.empty()) {
    levels[0].ranges.emplace_back(0, 0);
  } else {
    levels[0].ranges = tile(levels[0].cells, shape.dimensions, capacity);
  }
  // Each level above holds one cell per node below, its id the node's index in that level until
  // the node numbers are known.
  while (levels.back().ranges.size() > 1) {
    const Level& below = levels.back();
    Level up;
    up.cells.reserve(below.ranges.size());
    for (std::size_t i = 0; i < below.ranges.size(); ++i)
      up.cells.push_back(boundsOf(below.cells, below.ranges[i], static_cast<std::int64_t>(i)));
    up.ranges = tile(up.cells, shape.dimensions, capacity);
    levels.push_back(std::move(up));
  }

  // Node numbers: the root is 1 (rtree.c requires it), then each level down in order.
  std::vector<std::int64_t> first(levels.size());
  std::int64_t next = 1;
  for (std::size_t l = levels.size(); l-- > 0;) {
    first[l] = next;
    next += static_cast<std::int64_t>(levels[l].ranges.size());
  }

  for (const char* shadow : {"_node", "_parent", "_rowid"})
    connection.exec("DELETE FROM " + quotedIdentifier(table + shadow));
  Statement node(connection, "INSERT INTO " + quotedIdentifier(table + "_node") + "(nodeno, data) VALUES(?, ?)");
  Statement parent(connection,
                   "INSERT INTO " + quotedIdentifier(table + "_parent") + "(nodeno, parentnode) VALUES(?, ?)");
  std::vector<std::uint8_t> blob(shape.nodeSize);
  std::vector<std::pair<std::int64_t, std::int64_t>> leafOf;
  leafOf.reserve(levels[0].cells.size());
  const std::size_t depth = levels.size() - 1;
  for (std::size_t l = levels.size(); l-- > 0;) {
    const Level& level = levels[l];
    for (std::size_t i = 0; i < level.ranges.size(); ++i) {
      const std::int64_t number = first[l] + static_cast<std::int64_t>(i);
      std::fill(blob.begin(), blob.end(), 0);
      std::uint8_t* out = putBigEndian(blob.data(), l == depth ? depth : 0, 2);
      const auto [begin, end] = level.ranges[i];
      out = putBigEndian(out, end - begin, 2);
      for (std::size_t c = begin; c < end; ++c) {
        const Cell& cell = level.cells[c];
        // An inner cell names its child node; the child's parent row points back here.
        const std::int64_t id = l == 0 ? cell.id : first[l - 1] + cell.id;
        out = putBigEndian(out, static_cast<std::uint64_t>(id), 8);
        for (std::size_t k = 0; k < coordinates; ++k)
          out = putBigEndian(out, std::bit_cast<std::uint32_t>(cell.box[k]), 4);
        if (l == 0) leafOf.emplace_back(id, number);
      }
      node.bind(1, number).bindBlob(2, blob).run();
      if (l > 0) {
        for (std::size_t c = begin; c < end; ++c)
          parent.bind(1, first[l - 1] + level.cells[c].id).bind(2, number).run();
      }
    }
  }
  // In row id order, the %_rowid table is appended to rather than written all over.
  std::sort(leafOf.begin(), leafOf.end());
  Statement rowid(connection,
                  "INSERT INTO " + quotedIdentifier(table + "_rowid") + "(rowid, nodeno) VALUES(?, ?)");
  for (const auto& [id, number] : leafOf) rowid.bind(1, id).bind(2, number).run();
}

} // namespace borderlens::store::sqlite
