#include <jsorm/adapter_plugin.hpp>
#include <jsorm/database.hpp>
#include <jsorm/runtime.hpp>

JSORM_NAMESPACE_BEGIN

namespace {
Database open(const ConnectionTarget& target, const RuntimeOptions& options) {
  const auto plugin = AdapterPlugin::find(target.plugin, adapterSearchPath(options.adapterPath));
  return Database(plugin.connect(target.config));
}
}  // namespace

Database connect(const AdapterDescriptor& adapter, const RuntimeOptions& options) {
  return open(resolveConnection(adapter, options.url), options);
}

Database connect(const std::string& url, const RuntimeOptions& options) {
  return open(resolveConnection(AdapterDescriptor{}, url), options);
}

JSORM_NAMESPACE_END
