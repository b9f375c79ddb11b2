#pragma once
// Turning a command line into a loaded migration source and an open connection.

#include "cli.hpp"

#include <jsorm/adapter.hpp>
#include <jsorm/runner.hpp>
#include <jsorm/schema_module.hpp>

#include <memory>
#include <filesystem>
#include <string>

namespace jsorm::cli {

struct OpenedSource {
  LoadedMigrationSource loaded;
  std::string module;
  std::string symbol;

  const MigrationSource& source() const noexcept { return loaded.value; }
};

struct OpenedGenerateSource {
  Loaded<MigrationGenerateSource> loaded;
  /// Where relative paths (snapshot, migrations folder) start: the config's folder, or the
  /// current folder in MODULE SYMBOL mode.
  std::filesystem::path base;
  /// The migration source whose replayed history stands in for a missing snapshot:
  /// --history SYMBOL in the same module, or the config's `history = "NAME"`. Empty: none.
  std::filesystem::path historyModule;
  std::string historySymbol;
  std::string historyName;  ///< how messages name it: the symbol, or [migrationSources.NAME]
};

/// The generate source from MODULE SYMBOL, or from jsorm.toml's [generateSources].
OpenedGenerateSource openGenerateSource(Invocation& invocation);

/// Loads MODULE and resolves SYMBOL from the positional arguments (legacy module-export mode).
/// `check`: SourceCheck::Checksums for a command that only compares checksums (status).
OpenedSource openMigrationSource(Invocation& invocation, SourceCheck check = SourceCheck::Full);

/// Connects to the source's database (or --url), loading the adapter plugin.
std::shared_ptr<Connection> openConnection(Invocation& invocation, const MigrationSource& source);

struct Config;
/// The config's [run] settings where the command line gave none (it wins over the config).
void applyRunSettings(Options& options, const Config& config);

/// Run options from --lock-timeout, --dry-run, --ddl-lock-timeout and --retries (or [run]).
RunOptions runOptions(const Invocation& invocation, RunObserver& observer);

}  // namespace jsorm::cli
