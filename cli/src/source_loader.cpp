#include "source_loader.hpp"

#include "config.hpp"
#include "production_guard.hpp"

#include <jsorm/adapter_plugin.hpp>
#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace jsorm::cli {

OpenedSource openMigrationSource(Invocation& invocation, SourceCheck check) {
  const auto& args = invocation.options.positional;
  if (!args.empty() && args.size() != 2) {
    throw UsageError(fmt::format("expected MODULE SYMBOL (e.g. ./build/lib/libroles_users.so ormSource), or nothing "
                                 "with a jsorm.toml; got {} argument{}",
                                 args.size(), args.size() == 1 ? "" : "s"));
  }
  std::optional<Config> config;
  if (auto file = findConfigFile(invocation.options.config)) config = loadConfig(*file);
  enforceProductionGuard(invocation, config);
  if (config) applyRunSettings(invocation.options, *config);

  std::string module;
  std::string symbol;
  if (args.size() == 2) {
    module = args[0];
    symbol = args[1];
  } else {
    if (!config) {
      throw UsageError("no MODULE SYMBOL given and no jsorm.toml found here or in any parent folder; pass MODULE "
                       "SYMBOL, or --config FILE");
    }
    const SourceEntry& entry = selectSource(*config, invocation.options.source, false);
    module = entry.modulePath().string();
    symbol = entry.exportSymbol();
    if (invocation.options.url.empty()) {
      if (auto url = entry.connectionUrl()) {
        invocation.options.url = *url;
        for (auto& secret : secretsIn(*url)) invocation.out.addSecret(std::move(secret));
      }
    }
  }
  const auto loaded = SchemaModule::load(module);
  return {loaded.migrationSource(symbol, check), module, symbol};
}

OpenedGenerateSource openGenerateSource(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (!args.empty() && args.size() != 2) {
    throw UsageError(fmt::format("expected MODULE SYMBOL (e.g. ./build/lib/libroles_users.so generateSource), or "
                                 "nothing with a jsorm.toml; got {} argument{}",
                                 args.size(), args.size() == 1 ? "" : "s"));
  }
  const std::string& history = invocation.options.historySymbol;
  if (args.size() == 2) {
    return {SchemaModule::load(args[0]).generateSource(args[1]), std::filesystem::current_path(),
            history.empty() ? std::filesystem::path() : std::filesystem::path(args[0]), history, history};
  }
  if (!history.empty()) {
    throw UsageError("--history SYMBOL names a migration source of MODULE; with a jsorm.toml, set history = \"NAME\" "
                     "(a [migrationSources.NAME]) in the [generateSources] table instead");
  }
  const auto file = findConfigFile(invocation.options.config);
  if (!file) {
    throw UsageError("no MODULE SYMBOL given and no jsorm.toml found here or in any parent folder; pass MODULE "
                     "SYMBOL, or --config FILE");
  }
  const Config config = loadConfig(*file);
  const SourceEntry& entry = selectSource(config, invocation.options.source, true);
  OpenedGenerateSource opened{SchemaModule::load(entry.modulePath()).generateSource(entry.exportSymbol()),
                              config.file.parent_path()};
  if (!entry.history.empty()) {
    const SourceEntry& source = config.migrationSources.at(entry.history);  // checked by loadConfig
    opened.historyModule = source.modulePath();
    opened.historySymbol = source.exportSymbol();
    opened.historyName = fmt::format("[migrationSources.{}]", entry.history);
  }
  return opened;
}

std::shared_ptr<Connection> openConnection(Invocation& invocation, const MigrationSource& source) {
  auto target = resolveConnection(source.adapter, invocation.options.url);
  for (auto& secret : secretsIn(target.config.url)) invocation.out.addSecret(std::move(secret));
  if ((invocation.command.groups & kReadsOnly) || invocation.options.dryRun) target.config.options[kReadOnlyOption] = "1";
  const auto plugin = AdapterPlugin::find(target.plugin, adapterSearchPath(invocation.options.adapterPath));
  return plugin.connect(target.config);
}

void applyRunSettings(Options& options, const Config& config) {
  if (!options.ddlLockTimeoutSeconds) options.ddlLockTimeoutSeconds = config.ddlLockTimeoutSeconds;
  if (!options.retries) options.retries = config.retries;
}

RunOptions runOptions(const Invocation& invocation, RunObserver& observer) {
  RunOptions options;
  options.lockTimeout = std::chrono::milliseconds(static_cast<long long>(invocation.options.lockTimeoutSeconds * 1000));
  options.dryRun = invocation.options.dryRun;
  options.observer = &observer;
  if (const auto seconds = invocation.options.ddlLockTimeoutSeconds) {
    options.ddlLockTimeout = std::chrono::milliseconds(std::max(1LL, std::llround(*seconds * 1000)));
  }
  options.ddlLockRetries = invocation.options.retries.value_or(3);
  return options;
}

}  // namespace jsorm::cli
