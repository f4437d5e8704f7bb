#include "store/sqlite/rtree_pack.h"

#include "core/errors.h"

#include <algorithm>
#include <cctype>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

namespace borderlens::store::sqlite {

namespace {

// One cell of a node: a leaf's row id or an inner node's child, and its box in the R*Tree's floats.
struct Cell {
  std::int64_t id = 0;
  float minX = 0;
  float maxX = 0;
  float minY = 0;
  float maxY = 0;
};

constexpr std::size_t kCellBytes = 8 + 4 * 4;
constexpr float kInfinity = std::numeric_limits<float>::infinity();

float roundedDown(double value) {
  const float f = static_cast<float>(value);
  return f > value ? std::nextafter(f, -kInfinity) : f;
}

float roundedUp(double value) {
  const float f = static_cast<float>(value);
  return f < value ? std::nextafter(f, kInfinity) : f;
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// Sort-Tile-Recursive: orders `cells` into vertical slices by x, each slice by y, and cuts them
// into nodes of at most `capacity` cells, spread evenly within a slice so that no node is left
// with a handful. Returns each node's [begin, end) in the reordered cells. Ties fall to the id,
// so the same input always packs the same way.
std::vector<std::pair<std::size_t, std::size_t>> tile(std::vector<Cell>& cells, std::size_t capacity) {
  const auto centreX = [](const Cell& c) { return double{c.minX} + c.maxX; };
  const auto centreY = [](const Cell& c) { return double{c.minY} + c.maxY; };
  const std::size_t count = cells.size();
  const std::size_t nodes = (count + capacity - 1) / capacity;
  const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
  const std::size_t perSlice = (nodes + slices - 1) / slices * capacity;
  std::sort(cells.begin(), cells.end(), [&](const Cell& a, const Cell& b) {
    return std::pair(centreX(a), a.id) < std::pair(centreX(b), b.id);
  });
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t begin = 0; begin < count; begin += perSlice) {
    const std::size_t end = std::min(count, begin + perSlice);
    std::sort(cells.begin() + static_cast<std::ptrdiff_t>(begin),
              cells.begin() + static_cast<std::ptrdiff_t>(end), [&](const Cell& a, const Cell& b) {
                return std::pair(centreY(a), a.id) < std::pair(centreY(b), b.id);
              });
    const std::size_t size = end - begin;
    const std::size_t parts = (size + capacity - 1) / capacity;
    for (std::size_t i = 0; i < parts; ++i)
      ranges.emplace_back(begin + size * i / parts, begin + size * (i + 1) / parts);
  }
  return ranges;
}

Cell boundsOf(const std::vector<Cell>& cells, std::pair<std::size_t, std::size_t> range,
              std::int64_t id) {
  Cell out{id, kInfinity, -kInfinity, kInfinity, -kInfinity};
  for (std::size_t i = range.first; i < range.second; ++i) {
    out.minX = std::min(out.minX, cells[i].minX);
    out.maxX = std::max(out.maxX, cells[i].maxX);
    out.minY = std::min(out.minY, cells[i].minY);
    out.maxY = std::max(out.maxY, cells[i].maxY);
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

// The shape of the R*Tree: its node size (the length of every node blob, the root's included).
std::size_t checkedNodeSize(Connection& connection, const std::string& table) {
  Statement schema(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
  schema.bind(1, table);
  std::string sql = schema.step() ? schema.text(0) : std::string();
  std::transform(sql.begin(), sql.end(), sql.begin(), [](unsigned char c) { return std::tolower(c); });
  Statement columns(connection, "SELECT count(*) FROM pragma_table_info(?)");
  columns.bind(1, table);
  if (sql.find("using rtree(") == std::string::npos || !columns.step() || columns.integer(0) != 5) {
    throw core::StoreError(table + ": not a 2-D R*Tree of floats");
  }
  Statement root(connection, "SELECT length(data) FROM " + quoted(table + "_node") +
                                 " WHERE nodeno = 1");
  const auto size = root.step() ? static_cast<std::size_t>(root.integer(0)) : 0;
  if (size < 4 + 3 * kCellBytes) throw core::StoreError(table + ": its root node is missing or too small");
  return size;
}

} // namespace

void packRtree(Connection& connection, const std::string& table, std::vector<RtreeBox> boxes) {
  const std::size_t nodeSize = checkedNodeSize(connection, table);
  const std::size_t capacity = (nodeSize - 4) / kCellBytes;

  std::vector<Level> levels(1);
  levels[0].cells.reserve(boxes.size());
  for (const auto& box : boxes) {
    levels[0].cells.push_back({box.id, roundedDown(box.minX), roundedUp(box.maxX),
                               roundedDown(box.minY), roundedUp(box.maxY)});
  }
  boxes = {};
  if (levels[0].cells.empty()) {
    levels[0].ranges.emplace_back(0, 0);
  } else {
    levels[0].ranges = tile(levels[0].cells, capacity);
  }
  // Each level above holds one cell per node below, its id the node's index in that level until
  // the node numbers are known.
  while (levels.back().ranges.size() > 1) {
    const Level& below = levels.back();
    Level up;
    up.cells.reserve(below.ranges.size());
    for (std::size_t i = 0; i < below.ranges.size(); ++i)
      up.cells.push_back(boundsOf(below.cells, below.ranges[i], static_cast<std::int64_t>(i)));
    up.ranges = tile(up.cells, capacity);
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
    connection.exec("DELETE FROM " + quoted(table + shadow));
  Statement node(connection, "INSERT INTO " + quoted(table + "_node") + "(nodeno, data) VALUES(?, ?)");
  Statement parent(connection,
                   "INSERT INTO " + quoted(table + "_parent") + "(nodeno, parentnode) VALUES(?, ?)");
  std::vector<std::uint8_t> blob(nodeSize);
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
        for (float coordinate : {cell.minX, cell.maxX, cell.minY, cell.maxY})
          out = putBigEndian(out, std::bit_cast<std::uint32_t>(coordinate), 4);
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
                  "INSERT INTO " + quoted(table + "_rowid") + "(rowid, nodeno) VALUES(?, ?)");
  for (const auto& [id, number] : leafOf) rowid.bind(1, id).bind(2, number).run();
}

} // namespace borderlens::store::sqlite
