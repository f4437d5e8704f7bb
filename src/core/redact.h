#pragma once

#include <string>

namespace borderlens::core {

// A database location safe to print or log: the password of a `postgresql://user:pw@host` URL,
// a `password=` key in a libpq key/value string (`PG:` form included) or URL query, is replaced
// by `***`. Anything else comes back unchanged.
std::string redactSecrets(const std::string& location);

} // namespace borderlens::core
