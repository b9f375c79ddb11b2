#include <jsorm/adapter_plugin.hpp>
#include <jsorm/error.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

ConnectionTarget resolveConnection(const AdapterDescriptor& adapter, const std::string& urlOverride) {
  ConnectionTarget target;
  target.config.url = urlOverride;
  // Settings are read now, at connect time; one replaced by --url is never read, so its
  // environment variable need not be set.
  for (const auto& [key, setting] : adapter.options) {
    const bool isConnection = key == "url" || key == "path";
    if (isConnection && !urlOverride.empty()) continue;
    std::string value = setting.resolve();
    if (key == "url") target.config.url = value;
    else if (key == "path") target.config.url = value.empty() ? value : "sqlite:" + value;
    target.config.options[key] = std::move(value);
  }
  target.plugin = pluginForUrl(target.config.url);
  if (target.plugin.empty()) target.plugin = adapter.plugin;
  if (target.plugin.empty()) {
    throw ConfigError("no adapter: the source names none and the URL has no scheme; pass --url sqlite:PATH or "
                      "--url postgres://...");
  }
  if (target.config.url.empty() && target.config.options.empty()) {
    throw ConfigError(fmt::format("no connection for adapter '{}': the source gives no URL; pass --url", target.plugin));
  }
  return target;
}

RunResult migrate(const MigrationSource& source, const RuntimeOptions& options) {
  auto validated = validate(source);
  auto connection = connect(source.adapter, options);
  return Runner(*connection, source, options.run, std::move(validated)).migrate();
}

RunResult migrateDown(const MigrationSource& source, const RuntimeOptions& options) {
  auto validated = validate(source);
  auto connection = connect(source.adapter, options);
  return Runner(*connection, source, options.run, std::move(validated)).migrateDown();
}

JSORM_NAMESPACE_END
