#include "source_loader.hpp"

#include <jsorm/adapter_plugin.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/format.h>

namespace jsorm::cli {

OpenedSource openMigrationSource(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (args.size() != 2) {
    throw UsageError(fmt::format("expected MODULE SYMBOL (e.g. ./build/lib/libroles_users.so ormSource), got {} "
                                 "argument{}",
                                 args.size(), args.size() == 1 ? "" : "s"));
  }
  const auto module = SchemaModule::load(args[0]);
  return {module.migrationSource(args[1]), args[0], args[1]};
}

std::shared_ptr<Connection> openConnection(Invocation& invocation, const MigrationSource& source) {
  const auto target = resolveConnection(source.adapter, invocation.options.url);
  invocation.out.addSecret(passwordIn(target.config.url));
  const auto plugin = AdapterPlugin::find(target.plugin, adapterSearchPath(invocation.options.adapterPath));
  return plugin.connect(target.config);
}

RunOptions runOptions(const Invocation& invocation, RunObserver& observer) {
  RunOptions options;
  options.lockTimeout = std::chrono::milliseconds(static_cast<long long>(invocation.options.lockTimeoutSeconds * 1000));
  options.dryRun = invocation.options.dryRun;
  options.observer = &observer;
  return options;
}

}  // namespace jsorm::cli
