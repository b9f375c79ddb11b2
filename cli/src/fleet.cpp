#include "fleet.hpp"

#include "config.hpp"
#include "exit_codes.hpp"
#include "fleet_connect.hpp"
#include "fleet_failure.hpp"
#include "fleet_report.hpp"
#include "fleet_run.hpp"
#include "fleet_targets.hpp"
#include "history.hpp"
#include "plan.hpp"
#include "production_guard.hpp"
#include "run_session.hpp"
#include "source_loader.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>

namespace jsorm::cli {

namespace {
using Clock = std::chrono::steady_clock;

long long millisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

/// Thrown out of the runner between two migrations once a stop was asked for.
struct Interrupted : std::runtime_error {
  Interrupted(int signal, std::string before)
      : std::runtime_error("interrupted"), signal(signal), before(std::move(before)) {}
  int signal;
  std::string before;
};

// Watches one target's run: records what it applied, keeps what -v or a dry run shows for
// printing once the target is done (so targets' lines never interleave), and stops the
// runner before its next migration when the fleet was interrupted. The runner has then
// finished the migration it was in (its transaction committed) and releases its lock.
class TargetObserver final : public RunObserver {
 public:
  TargetObserver(const StopSignal& stop, RunObserver* inner, bool dryRun, bool showStatements)
      : stop_(stop), inner_(inner), dryRun_(dryRun), showStatements_(showStatements) {}

  void migrationStarted(const std::string& name, Direction direction) override {
    if (stop_.requested()) throw Interrupted(stop_.signal.load(), name);
    if (inner_) inner_->migrationStarted(name, direction);
  }
  void migrationFinished(const std::string& name, Direction direction, std::chrono::milliseconds took) override {
    if (direction == Direction::Up) applied.push_back(name);
    if (showStatements_) {
      details += fmt::format("  {} {} ({} ms)\n", dryRun_ ? "would apply" : "applied", name, took.count());
    }
    if (inner_) inner_->migrationFinished(name, direction, took);
  }
  void statement(const std::string& sql) override {
    if (showStatements_) details += "    " + sql + ";\n";
    if (inner_) inner_->statement(sql);
  }
  void stepStarted(std::size_t index, const std::string& description) override {
    if (inner_) inner_->stepStarted(index, description);
  }
  void stepFinished(std::size_t index) override {
    if (inner_) inner_->stepFinished(index);
  }

  std::vector<std::string> applied;
  std::string details;

 private:
  const StopSignal& stop_;
  RunObserver* inner_;
  bool dryRun_;
  bool showStatements_;
};

// Everything loaded once and shared by the workers: sources (read only), plugins, targets.
struct Fleet {
  std::vector<OpenedSource> sources;
  std::vector<FleetTarget> targets;
  std::vector<ConnectionTarget> resolved;  ///< per target: plugin and config
  std::unique_ptr<FleetConnector> connector;
};

std::vector<FleetTarget> sourcesOfConfig(Invocation& invocation, Fleet& fleet) {
  const auto file = findConfigFile(invocation.options.config);
  if (!file) {
    throw UsageError("--all-sources runs the [migrationSources.*] of a jsorm.toml, and none was found here or in a "
                     "parent folder; pass --config FILE");
  }
  const Config config = loadConfig(*file);
  enforceProductionGuard(invocation, config);
  applyRunSettings(invocation.options, config);
  if (config.migrationSources.empty()) {
    throw ConfigError(fmt::format("{}: --all-sources found no [migrationSources.*] to run", config.file.string()));
  }
  std::map<std::filesystem::path, SchemaModule> modules;  // a module shared by sources is loaded once
  std::vector<FleetTarget> targets;
  for (const auto& [name, entry] : config.migrationSources) {
    const auto path = entry.modulePath();
    auto module = modules.find(path);
    if (module == modules.end()) module = modules.emplace(path, SchemaModule::load(path)).first;
    const std::string symbol = entry.exportSymbol();
    fleet.sources.push_back({module->second.migrationSource(symbol), path.string(), symbol});
    FleetTarget target;
    target.where = entry.where;
    target.source = fleet.sources.size() - 1;
    target.sourceName = name;
    if (auto url = entry.connectionUrl()) {
      target.url = *url;
      target.display = redactConnection(expandVariables(*entry.url, entry.where + ".url"));
    } else {
      target.display = fmt::format("{} adapter of {}", fleet.sources.back().source().adapter.plugin, symbol);
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

Fleet prepare(Invocation& invocation) {
  Options& options = invocation.options;
  Fleet fleet;
  std::vector<FleetTarget> targets;
  if (!options.targetsFile.empty()) {
    fleet.sources.push_back(openMigrationSource(invocation));
    targets = readTargetsFile(options.targetsFile, 0, fleet.sources.front().symbol);
  } else {
    targets = sourcesOfConfig(invocation, fleet);
  }
  // A pinned release must exist in every source before any target runs.
  if (options.toMigration) {
    for (const auto& source : fleet.sources) requireMigration(source, *options.toMigration);
  }
  refuseDuplicateTargets(targets);
  if (!options.shard.empty()) targets = takeShard(std::move(targets), parseShard(options.shard));

  // Every target is resolved, and every plugin found, before the first one runs: a bad
  // line fails the whole command with its file:line, not one target halfway through.
  std::vector<std::string> plugins;
  for (const auto& target : targets) {
    ConnectionTarget resolved;
    try {
      resolved = resolveConnection(fleet.sources[target.source].source().adapter, target.url);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("{}: {}", target.where, e.what()));
    }
    if ((invocation.command.groups & kReadsOnly) || options.dryRun) resolved.config.options[kReadOnlyOption] = "1";
    for (auto& secret : secretsIn(target.url)) invocation.out.addSecret(std::move(secret));
    for (auto& secret : secretsIn(resolved.config.url)) invocation.out.addSecret(std::move(secret));
    plugins.push_back(resolved.plugin);
    fleet.resolved.push_back(std::move(resolved));
  }
  fleet.connector = std::make_unique<FleetConnector>(targets, plugins, adapterSearchPath(options.adapterPath));
  fleet.targets = std::move(targets);
  return fleet;
}

// The body of one target's run, given its connection; fills the outcome.
using TargetBody = std::function<void(Connection&, const OpenedSource&, std::size_t source, const StopSignal&,
                                      TargetOutcome&)>;

TargetJob jobFor(Invocation& invocation, Fleet& fleet, const TargetBody& body) {
  return [&invocation, &fleet, body](const FleetTarget& target, const StopSignal& stop) {
    const auto started = Clock::now();
    TargetOutcome outcome;
    const std::size_t index = static_cast<std::size_t>(&target - fleet.targets.data());
    try {
      const ConnectionTarget& resolved = fleet.resolved[index];
      auto connection = fleet.connector->connect(resolved.plugin, resolved.config);
      body(*connection, fleet.sources[target.source], target.source, stop, outcome);
    } catch (const Interrupted& e) {
      outcome.state = TargetState::Failed;
      outcome.exitCode = 128 + e.signal;
      outcome.error = fmt::format("interrupted by {} before migration {}, after {} applied; run the command again to "
                                  "finish",
                                  e.signal == SIGTERM ? "SIGTERM" : "SIGINT", e.before, outcome.applied.size());
    } catch (...) {
      const TargetFailure failure = describeFailure(std::current_exception());
      outcome.state = TargetState::Failed;
      outcome.exitCode = failure.exitCode;
      std::string message = invocation.out.scrub(failure.message);
      std::replace(message.begin(), message.end(), '\n', ' ');
      std::replace(message.begin(), message.end(), '\r', ' ');
      outcome.error = std::move(message);
    }
    outcome.durationMs = millisecondsSince(started);
    return outcome;
  };
}

int runFleetCommand(Invocation& invocation, const char* what, const TargetBody& body) {
  const auto started = Clock::now();
  Fleet fleet = prepare(invocation);
  const Options& options = invocation.options;
  const bool showSource = options.allSources;
  if (!options.json) {
    invocation.out.line(fmt::format("{}{} {} target{}, up to {} at a time{}", options.dryRun ? "Dry run: " : "", what,
                                    fleet.targets.size(), fleet.targets.size() == 1 ? "" : "s", options.parallel,
                                    options.canary > 0 ? fmt::format(", the first {} as canaries", options.canary)
                                                       : std::string()));
  }
  FleetReporter reporter(invocation.out, fleet.targets.size(), options.json, showSource, options.quiet);
  const FleetRun run = runFleet(
      fleet.targets, jobFor(invocation, fleet, body), {options.parallel, options.canary, options.continueOnError},
      [&reporter](const FleetTarget& target, const TargetOutcome& outcome) { reporter.finished(target, outcome); });
  reporter.summary(fleet.targets, run, millisecondsSince(started));
  return fleetExitCode(run);
}
}  // namespace

bool isFleet(const Invocation& invocation) {
  const Options& options = invocation.options;
  if (!(invocation.command.groups & kFleetOptions)) return false;
  const bool fleet = !options.targetsFile.empty() || options.allSources;
  if (!fleet) {
    if (!options.shard.empty() || options.canary > 0 || options.continueOnError) {
      throw UsageError("--shard, --canary and --continue-on-error work on a fleet: add --targets FILE or --all-sources");
    }
    return false;
  }
  if (!options.targetsFile.empty() && options.allSources) {
    throw UsageError("--targets and --all-sources both choose the targets; pass one of them");
  }
  if (!options.targetsFile.empty() && !options.url.empty()) {
    throw UsageError("--targets gives every target's URL; --url cannot be used with it");
  }
  if (options.allSources) {
    if (!options.url.empty()) throw UsageError("--all-sources runs each source against its own url; drop --url");
    if (!options.source.empty()) throw UsageError("--all-sources runs every source; drop --source");
    if (!options.positional.empty()) {
      throw UsageError("--all-sources runs the sources of jsorm.toml; MODULE SYMBOL cannot be given with it");
    }
  }
  if (!options.shard.empty()) parseShard(options.shard);
  return true;
}

int runMigrateFleet(Invocation& invocation) {
  const bool dryRun = invocation.options.dryRun;
  const bool json = invocation.options.json;
  const bool verbose = invocation.options.verbose;
  return runFleetCommand(
      invocation, "Migrating",
      [&invocation, dryRun, json, verbose](Connection& connection, const OpenedSource& opened, std::size_t,
                                           const StopSignal& stop, TargetOutcome& outcome) {
        PlanRecorder recorder;
        TargetObserver observer(stop, json && dryRun ? &recorder : nullptr, dryRun, !json && (dryRun || verbose));
        Runner runner(connection, opened.source(), runOptions(invocation, observer), opened.loaded.validated);
        const auto started = Clock::now();
        RunResult result;
        try {
          result = invocation.options.toMigration ? runner.migrateTo(*invocation.options.toMigration) : runner.migrate();
        } catch (...) {
          outcome.applied = observer.applied;
          throw;
        }
        outcome.applied = result.migrations;
        outcome.details = observer.details;
        outcome.state = TargetState::Ok;
        outcome.exitCode = kOk;
        if (result.migrations.empty()) {
          outcome.summary = "nothing to migrate";
        } else if (dryRun) {
          outcome.summary = fmt::format("would apply {} as batch {}", plural(result.migrations.size(), "migration"),
                                        result.batch);
        } else {
          outcome.summary = fmt::format("applied {} in {} ms", result.migrations.size(), millisecondsSince(started));
        }
        if (json && dryRun) {
          const PlanTarget target{connection.target(), opened.source().migrationTable, opened.symbol, opened.module,
                                  connection.dialect().transactionalDdl()};
          outcome.extra["plan"] = planJson(target, result, recorder, summarize(opened.source(), opened.loaded.validated));
        }
      });
}

int runStatusFleet(Invocation& invocation) {
  return runFleetCommand(
      invocation, "Checking",
      [&invocation](Connection& connection, const OpenedSource& opened, std::size_t, const StopSignal&,
                    TargetOutcome& outcome) {
        RunObserver quiet;
        Runner runner(connection, opened.source(), runOptions(invocation, quiet), opened.loaded.validated);
        std::map<MigrationState, std::size_t> counts;
        nlohmann::ordered_json notCurrent = nlohmann::ordered_json::array();
        for (const auto& status : runner.status()) {
          ++counts[status.state];
          if (status.state == MigrationState::Applied) {
            outcome.applied.push_back(status.name);
          } else {
            notCurrent.push_back({{"name", status.name}, {"state", migrationStateName(status.state)}});
          }
        }
        outcome.extra["notCurrent"] = notCurrent;
        if (notCurrent.empty()) {
          outcome.state = TargetState::Ok;
          outcome.exitCode = kOk;
          outcome.summary = fmt::format("current: {} applied", outcome.applied.size());
          return;
        }
        outcome.state = TargetState::NotCurrent;
        outcome.exitCode = kStatusNotCurrent;
        std::vector<std::string> parts;
        for (const auto state : {MigrationState::Pending, MigrationState::Changed, MigrationState::Missing,
                                 MigrationState::Partial}) {
          if (counts[state]) parts.push_back(fmt::format("{} {}", counts[state], migrationStateName(state)));
        }
        outcome.summary = fmt::format("{} applied, {}", outcome.applied.size(), fmt::join(parts, ", "));
      });
}

}  // namespace jsorm::cli
