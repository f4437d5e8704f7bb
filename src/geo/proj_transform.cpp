#include "geo/proj_transform.h"

#include <proj.h>

#include <cmath>
#include <stdexcept>

namespace borderlens::geo {

struct ProjTransform::Impl {
  PJ_CONTEXT* context = nullptr;
  PJ* transform = nullptr;

  ~Impl() {
    if (transform) proj_destroy(transform);
    if (context) proj_context_destroy(context);
  }

  bool apply(PJ_DIRECTION direction, double& x, double& y) const {
    PJ_COORD in = proj_coord(x, y, 0, 0);
    const PJ_COORD out = proj_trans(transform, direction, in);
    if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) return false;
    x = out.xy.x;
    y = out.xy.y;
    return true;
  }
};

ProjTransform::ProjTransform(const std::string& sourceCrs, const std::string& targetCrs)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->context = proj_context_create();
  if (!m_impl->context) throw std::runtime_error("PROJ: cannot create a context");
  PJ* raw = proj_create_crs_to_crs(m_impl->context, sourceCrs.c_str(), targetCrs.c_str(), nullptr);
  if (!raw) {
    const int err = proj_context_errno(m_impl->context);
    throw std::runtime_error("PROJ: cannot transform " + sourceCrs + " to " + targetCrs + ": " +
                             proj_context_errno_string(m_impl->context, err));
  }
  m_impl->transform = proj_normalize_for_visualization(m_impl->context, raw);
  proj_destroy(raw);
  if (!m_impl->transform) throw std::runtime_error("PROJ: cannot normalise axis order");
}

ProjTransform::~ProjTransform() = default;
ProjTransform::ProjTransform(ProjTransform&&) noexcept = default;
ProjTransform& ProjTransform::operator=(ProjTransform&&) noexcept = default;

bool ProjTransform::forward(double& x, double& y) const { return m_impl->apply(PJ_FWD, x, y); }
bool ProjTransform::inverse(double& x, double& y) const { return m_impl->apply(PJ_INV, x, y); }

} // namespace borderlens::geo
