// The MySQL / MariaDB adapter's entry point.

#include "mysql_connection.hpp"

#include <jsorm/version.hpp>

namespace {
jsorm::Connection* connect(const jsorm::ConnectionConfig& config) {
  jsorm::mysql::Settings settings;
  settings.url = config.url;
  if (settings.url.empty()) {
    if (auto found = config.options.find("url"); found != config.options.end()) settings.url = found->second;
  }
  if (auto found = config.options.find(jsorm::kReadOnlyOption); found != config.options.end()) {
    settings.readOnly = found->second == "1";
  }
  return new jsorm::mysql::MysqlConnection(std::move(settings));
}
}  // namespace

JSORM_ADAPTER_PLUGIN("mysql", JSORM_VERSION_STRING, "MySQL and MariaDB via MariaDB Connector/C", "mysql\0mariadb\0",
                     &connect)
