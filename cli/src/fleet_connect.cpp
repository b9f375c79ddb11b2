#include "fleet_connect.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

namespace jsorm::cli {

FleetConnector::FleetConnector(const std::vector<FleetTarget>& targets, const std::vector<std::string>& plugins,
                               const std::vector<std::filesystem::path>& searchPath) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (plugins_.count(plugins[i])) continue;
    try {
      plugins_.emplace(plugins[i], AdapterPlugin::find(plugins[i], searchPath));
    } catch (const Error& e) {
      // Before anything runs, and named by the line that asks for it.
      throw ConfigError(fmt::format("{}: no usable adapter plugin for target {}: {}", targets[i].where,
                                    targets[i].display, e.what()));
    }
  }
}

std::shared_ptr<Connection> FleetConnector::connect(const std::string& plugin, const ConnectionConfig& config) {
  const AdapterPlugin& found = plugins_.at(plugin);
  {
    std::unique_lock lock(firstConnection_);
    if (!warmed_.count(plugin)) {
      // Warm even if this connection fails: the library set itself up before connecting.
      warmed_.insert(plugin);
      return found.connect(config);
    }
  }
  return found.connect(config);
}

}  // namespace jsorm::cli
