#pragma once
// The advisory-lock key that serialises jsorm runners on one PostgreSQL database.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace jsorm::pg {

/// A stable 64-bit key for `key` (FNV-1a of "jsorm:" + key): every jsorm build, on every
/// machine, must pick the same lock for the same tracking table.
std::int64_t advisoryLockKey(std::string_view key) noexcept;

/// How long to sleep before the next pg_try_advisory_lock: about 50 ms, jittered so that
/// runners started together do not poll in lockstep.
std::chrono::milliseconds lockPollInterval();

}  // namespace jsorm::pg
