// The DDL lock-wait settings, checked the same way from the command line and jsorm.toml.

#include "cli.hpp"

#include <fmt/format.h>

#include <cmath>

namespace jsorm::cli {

namespace {
constexpr double kMaxDdlLockTimeoutSeconds = 86400;
constexpr long long kMaxRetries = 100;
}  // namespace

std::string ddlLockTimeoutProblem(double seconds) {
  if (std::isfinite(seconds) && seconds >= 0.001 && seconds <= kMaxDdlLockTimeoutSeconds) return {};
  return fmt::format("must be a number of seconds from 0.001 to {} (a lock wait that never ends is the default); got {}",
                     kMaxDdlLockTimeoutSeconds, seconds);
}

std::string retriesProblem(long long retries) {
  if (retries >= 0 && retries <= kMaxRetries) return {};
  return fmt::format("must be a whole number from 0 to {}; got {}", kMaxRetries, retries);
}

}  // namespace jsorm::cli
