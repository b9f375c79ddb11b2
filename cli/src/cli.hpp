#pragma once
// The pieces every command shares: parsed options, output, and the command table.

#include "output.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jsorm::cli {

/// Option groups a command accepts; its --help lists exactly these.
enum OptionGroup : unsigned {
  kSourceOptions = 1u << 0,      ///< MODULE SYMBOL
  kConnectionOptions = 1u << 1,  ///< --url, --adapter-path, --lock-timeout
  kRunOptions = 1u << 2,         ///< --dry-run
  kJsonOption = 1u << 3,         ///< --json
  kAdapterPathOption = 1u << 4,  ///< --adapter-path alone
  kGuarded = 1u << 5,            ///< destructive: refused in production without --force
  kStepsOption = 1u << 6,        ///< --steps N
  kGenerateOptions = 1u << 7,    ///< --name, --out, --check, --allow-dangerous
  kReadsOnly = 1u << 8,          ///< never changes the database (nor creates a SQLite file)
  kFleetOptions = 1u << 9,       ///< --targets, --all-sources, --parallel, --canary, --continue-on-error, --shard
  kLintOptions = 1u << 10,       ///< --all, --database
  kDdlLockOptions = 1u << 11,    ///< --ddl-lock-timeout, --retries
  kToOption = 1u << 12,          ///< --to NAME: migrate up to, or roll back to, a migration
  kDiagramOptions = 1u << 13,    ///< --format mermaid|dot|svg
  kCheckOptions = 1u << 14,      ///< --models (db:check)
  kBaselineOptions = 1u << 15,   ///< --force without the production guard: skip the schema check
  kMakeOptions = 1u << 16,       ///< --out DIR alone (migrate:make)
};

/// The longest --lock-timeout accepted: a week.
inline constexpr int kMaxLockTimeoutSeconds = 604800;

/// What is wrong with a DDL lock timeout in seconds ("must be ...; got X"), or empty: it
/// must be finite, above 0 (PostgreSQL reads 0 as "no limit") and at most a day.
std::string ddlLockTimeoutProblem(double seconds);
/// The same for a retry count: 0 to 100.
std::string retriesProblem(long long retries);

struct Options {
  std::vector<std::string> positional;
  std::string config;
  std::string source;
  std::string environment;
  bool force = false;
  std::optional<long long> steps;  ///< not given: roll back everything
  std::optional<std::string> toMigration;  ///< --to NAME
  std::string diagramFormat = "mermaid";   ///< models:diagram --format
  bool compareModels = false;              ///< db:check --models
  std::string migrationName;
  std::string outDirectory;
  std::string historySymbol;  ///< migrate:generate --history SYMBOL
  bool check = false;
  bool allowDangerous = false;
  std::string url;  ///< --url (never empty when given), or the config's url
  std::vector<std::string> adapterPath;
  double lockTimeoutSeconds = 60;
  bool dryRun = false;
  bool json = false;
  // Fleets (docs/fleets.md): one command over many targets.
  std::string targetsFile;  ///< --targets FILE: one connection URL per line
  bool allSources = false;  ///< --all-sources: every [migrationSources.*] of the config
  int parallel = 4;
  int canary = 0;
  bool continueOnError = false;
  std::string shard;  ///< --shard K/N as given
  // migrate:lint (docs/lint.md).
  bool lintAll = false;       ///< --all: every migration, not only the pending ones
  std::string lintDatabase;   ///< --database postgres|mysql|sqlite
  std::string lintSince;      ///< --since NAME: the migrations after NAME are the pending ones
  // DDL lock waits: PostgreSQL's lock_timeout per migration, retried with backoff.
  std::optional<double> ddlLockTimeoutSeconds;  ///< --ddl-lock-timeout, else [run] ddlLockTimeout
  std::optional<int> retries;                   ///< --retries, else [run] retries, else 3
  bool quiet = false;
  bool verbose = false;
};

/// A command line that does not say what to do; exits with kUsageError.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Command;

struct Invocation {
  const Command& command;
  Options options;
  Output& out;
};

struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view usage;
  std::string_view details;
  unsigned groups;
  int (*run)(Invocation& invocation);
};

/// Every command, in the order `jsorm --help` lists them.
const std::vector<Command>& commands();

}  // namespace jsorm::cli
