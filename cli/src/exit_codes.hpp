#pragma once
// The documented exit codes of `jsorm` (docs/cli.md, "Exit codes"). Never renumber one.

namespace jsorm::cli {

enum ExitCode : int {
  kOk = 0,
  kInternalError = 1,     ///< a bug or an unexpected failure
  kUsageError = 2,        ///< bad command line
  kConfigError = 3,       ///< config file, environment variable
  kModuleError = 4,       ///< schema module or adapter cannot be loaded, symbol, ABI
  kSchemaError = 5,       ///< the module's models or migrations are invalid
  kConnectionError = 6,   ///< no adapter plugin, database unreachable, lock timeout
  kMigrationFailed = 7,   ///< a statement failed, or a rollback was refused before running
  kGuardRefused = 8,      ///< destructive command in production without --force
  kStatusNotCurrent = 10, ///< migrate:status found pending, missing or changed migrations
  kModelsChanged = 11,    ///< migrate:generate --check: the models differ from the snapshot
  kDangerousChange = 12,  ///< migrate:generate: a dangerous change needs --allow-dangerous
  kLintErrors = 13,       ///< migrate:lint: a finding at error level
  kSchemaDrift = 14,      ///< db:check: the live schema differs from what the migrations produce
  kHistoryEdited = 15,    ///< artifact:diff: the new build edits the history the old one had
  kFreezeUnverified = 16, ///< migrate:freeze: no definition reproduces the recorded checksum
};

}  // namespace jsorm::cli
