#pragma once
// Opening the connections of a fleet from many threads.

#include "fleet_targets.hpp"

#include <jsorm/adapter.hpp>
#include <jsorm/adapter_plugin.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace jsorm::cli {

/// The adapter plugins a fleet uses, each loaded once before any target runs, and a
/// connect that is safe from many threads.
class FleetConnector {
 public:
  /// Finds the plugin of every target (`plugins[i]` names target i's). Throws ConfigError
  /// naming the target's line when no plugin serves it.
  FleetConnector(const std::vector<FleetTarget>& targets, const std::vector<std::string>& plugins,
                 const std::vector<std::filesystem::path>& searchPath);

  /// Connects through `plugin`. A client library may set itself up on its first connection
  /// (MariaDB Connector/C calls mysql_library_init, which is not thread-safe), so the first
  /// connection of each plugin is opened alone; later ones run in parallel.
  std::shared_ptr<Connection> connect(const std::string& plugin, const ConnectionConfig& config);

 private:
  std::map<std::string, AdapterPlugin> plugins_;
  std::mutex firstConnection_;
  std::set<std::string> warmed_;
};

}  // namespace jsorm::cli
