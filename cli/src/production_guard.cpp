#include "production_guard.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace jsorm::cli {

std::string environmentOf(const Invocation& invocation, const std::optional<Config>& config) {
  if (!invocation.options.environment.empty()) return invocation.options.environment;
  if (const char* fromEnv = std::getenv("JSORM_ENV"); fromEnv && *fromEnv) return fromEnv;
  if (config && !config->environment.empty()) return config->environment;
  return "development";
}

void enforceProductionGuard(const Invocation& invocation, const std::optional<Config>& config) {
  if (!(invocation.command.groups & kGuarded) || invocation.options.force) return;
  std::string environment = environmentOf(invocation, config);
  std::transform(environment.begin(), environment.end(), environment.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (environment != "production") return;
  throw GuardError(fmt::format("refusing to run {} in production: it can destroy data or history; check the target, "
                               "then pass --force to run it anyway",
                               invocation.command.name));
}

}  // namespace jsorm::cli
