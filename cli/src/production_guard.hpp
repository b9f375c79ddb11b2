#pragma once
// The production guard: destructive commands refuse to run in production without --force.

#include "cli.hpp"
#include "config.hpp"

#include <optional>
#include <string>

namespace jsorm::cli {

/// The environment: --env, else $JSORM_ENV, else the config's `environment`, else
/// "development".
std::string environmentOf(const Invocation& invocation, const std::optional<Config>& config);

/// Throws GuardError when the command is guarded, the environment is production (in any
/// letter case) and --force was not given.
void enforceProductionGuard(const Invocation& invocation, const std::optional<Config>& config);

}  // namespace jsorm::cli
