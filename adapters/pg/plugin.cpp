// The PostgreSQL adapter's entry point.

#include "pg_connection.hpp"

#include <jsorm/version.hpp>

namespace {
jsorm::Connection* connect(const jsorm::ConnectionConfig& config) {
  std::string conninfo = config.url;
  if (conninfo.empty()) {
    if (auto found = config.options.find("url"); found != config.options.end()) conninfo = found->second;
  }
  const auto readOnly = config.options.find(jsorm::kReadOnlyOption);
  return new jsorm::pg::PgConnection(conninfo, readOnly != config.options.end() && readOnly->second == "1");
}
}  // namespace

JSORM_ADAPTER_PLUGIN("pg", JSORM_VERSION_STRING, "PostgreSQL via libpq", "postgres\0postgresql\0", &connect)
