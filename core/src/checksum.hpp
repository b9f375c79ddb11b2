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

/// The checksum of one step, journaled with it on databases without transactional DDL so
/// that a resumed migration notices a step edited since it ran.
std::string stepChecksum(const Step& step);

}  // namespace detail
JSORM_NAMESPACE_END
