#pragma once

#include <memory>
#include <string>

namespace borderlens::geo {

// A PROJ coordinate operation between two CRSs, normalised to lon/lat (x=east) axis order.
// Owns its PJ_CONTEXT, so one instance must not be shared between threads; make one per thread.
class ProjTransform {
 public:
  // Throws std::runtime_error with PROJ's message when either CRS is unknown.
  ProjTransform(const std::string& sourceCrs, const std::string& targetCrs);
  ~ProjTransform();
  ProjTransform(ProjTransform&&) noexcept;
  ProjTransform& operator=(ProjTransform&&) noexcept;
  ProjTransform(const ProjTransform&) = delete;
  ProjTransform& operator=(const ProjTransform&) = delete;

  // Transforms in place; returns false when the point cannot be transformed.
  bool forward(double& x, double& y) const;
  bool inverse(double& x, double& y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace borderlens::geo
