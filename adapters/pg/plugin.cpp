// The PostgreSQL adapter's entry point.

#include "pg_connection.hpp"

#include <jsorm/version.hpp>

namespace {
jsorm::Connection* connect(const jsorm::ConnectionConfig& config) {
  std::string conninfo = config.url;
  if (conninfo.empty()) {
    if (auto found = config.options.find("url"); found != config.options.end()) conninfo = found->second;
  }
  return new jsorm::pg::PgConnection(conninfo);
}
}  // namespace

JSORM_ADAPTER_PLUGIN("pg", JSORM_VERSION_STRING, "PostgreSQL via libpq", "postgres\0postgresql\0", &connect)
