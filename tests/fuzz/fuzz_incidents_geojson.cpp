// Incidents from GeoJSON (ingest/incidents.h): the bytes go to a GDAL in-memory file, so this
// fuzzes our path over OGR's features (fields, geometries, ids) rather than the disk.

#include "fuzz_support.h"
#include "ingest/incidents.h"

#include <cpl_vsi.h>

#include <cstring>
#include <map>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const char* path = "/vsimem/fuzz/incidents.geojson";
  // GDAL takes ownership of the buffer (bTakeOwnership) and frees it with VSIFree on unlink.
  auto* copy = static_cast<GByte*>(VSIMalloc(size + 1));
  if (size > 0) std::memcpy(copy, data, size);
  VSILFILE* file = VSIFileFromMemBuffer(path, copy, static_cast<vsi_l_offset>(size), TRUE);
  VSIFCloseL(file);
  fuzz::expectRefusalsOnly([&] { ingest::parseIncidents(path, {}, {}); });
  VSIUnlink(path);
  return 0;
}
