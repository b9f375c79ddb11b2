// The SQLite adapter's entry point: the embedded default.

#include "sqlite_connection.hpp"

#include <jsorm/version.hpp>

namespace {
jsorm::Connection* connect(const jsorm::ConnectionConfig& config) {
  std::string path = jsorm::sqlite::pathFromUrl(config.url);
  if (path.empty()) {
    if (auto found = config.options.find("path"); found != config.options.end()) path = found->second;
  }
  const auto readOnly = config.options.find(jsorm::kReadOnlyOption);
  return new jsorm::sqlite::SqliteConnection(std::move(path),
                                             readOnly != config.options.end() && readOnly->second == "1");
}
}  // namespace

JSORM_ADAPTER_PLUGIN("sqlite", JSORM_VERSION_STRING, "SQLite 3, the embedded default", "sqlite\0", &connect)
