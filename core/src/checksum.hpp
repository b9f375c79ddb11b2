#pragma once
// The checksum of steps already built, so validation can compute it without building again.

#include <jsorm/api.hpp>
#include <jsorm/step.hpp>

#include <string>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// What checksum() returns for a migration with these steps; `down` is null when the
/// migration has no explicit down.
std::string checksumOf(const Steps& up, const Steps* down, bool transaction);

}  // namespace detail
JSORM_NAMESPACE_END
