// The map style parser (render/scene/style.h) over arbitrary JSON: a bad style must be refused
// with core::InputRejected, and an accepted one must answer every lookup.

#include "fuzz_support.h"
#include "render/scene/style.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string json(fuzz::asText(data, size));
  fuzz::expectRefusalsOnly([&] {
    const render::Style style = render::Style::parse(json, "style.json");
    for (const double zoom : {-1.0, 0.0, 5.5, 12.0, 30.0}) style.lodFor(zoom);
    for (const auto& [kind, symbol] : style.entityKinds) style.entitySymbol(kind);
    style.entitySymbol("no such kind");
    style.incidentSymbol("no such kind");
    style.authorityColor("no such authority");
    for (const auto& layer : style.base) layer.color.packed();
  });
  return 0;
}
