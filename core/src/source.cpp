// Migration sources and what they name: settings read from the environment, adapter
// descriptors. Validation is in validation.cpp.
#include <jsorm/error.hpp>
#include <jsorm/source.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <map>

JSORM_NAMESPACE_BEGIN

Setting Setting::fromEnvironment(std::string variable, std::optional<std::string> fallback) {
  Setting setting;
  setting.variable_ = std::move(variable);
  setting.fallback_ = std::move(fallback);
  return setting;
}

std::string Setting::resolve() const {
  if (variable_.empty()) return value_;
  if (const char* value = std::getenv(variable_.c_str()); value && *value) return value;
  if (fallback_) return *fallback_;
  throw ConfigError(fmt::format("environment variable {} is not set; set it, or pass --url", variable_));
}

Setting env(std::string variable) { return Setting::fromEnvironment(std::move(variable), std::nullopt); }
Setting env(std::string variable, std::string fallback) {
  return Setting::fromEnvironment(std::move(variable), std::move(fallback));
}

AdapterDescriptor pgAdapter(PgAdapterOptions options) {
  return {"pg", std::move(options.name), {{"url", std::move(options.connectionString)}}};
}

AdapterDescriptor sqliteAdapter(SqliteAdapterOptions options) {
  return {"sqlite", std::move(options.name), {{"path", std::move(options.path)}}};
}

AdapterDescriptor mysqlAdapter(MysqlAdapterOptions options) {
  return {"mysql", std::move(options.name), {{"url", std::move(options.connectionString)}}};
}

AdapterDescriptor adapter(std::string plugin, std::map<std::string, Setting> options) {
  std::string name = plugin;
  return {std::move(plugin), std::move(name), std::move(options)};
}

MigrationSource defineMigrationSource(MigrationSource source) { return source; }
MigrationGenerateSource defineMigrationGenerateSource(MigrationGenerateSource source) { return source; }

JSORM_NAMESPACE_END
