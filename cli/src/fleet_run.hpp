#pragma once
// Running a fleet: a pool of --parallel workers, canaries first, no new target after a
// failure (unless --continue-on-error), and a stop on SIGINT/SIGTERM that lets running
// targets finish the migration they are in.

#include "fleet_targets.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace jsorm::cli {

enum class TargetState { Ok, Failed, Skipped, NotCurrent };

/// "ok", "failed", "skipped", "not-current": the report's words.
const char* targetStateName(TargetState state) noexcept;

/// What happened on one target.
struct TargetOutcome {
  TargetState state = TargetState::Skipped;
  std::vector<std::string> applied;  ///< migrations applied (a dry run: that would be)
  std::string error;                 ///< one line, secrets removed; empty unless failed
  /// The code the single-target command would have exited with; none for a skipped target.
  std::optional<int> exitCode;
  long long durationMs = 0;
  std::string summary;    ///< the text after the target on its report line
  std::string details;    ///< lines printed under it (a dry run's plan, -v statements)
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();  ///< command-specific report fields
};

/// Set from a signal handler; running targets poll it between migrations.
struct StopSignal {
  std::atomic<int> signal{0};
  bool requested() const noexcept { return signal.load() != 0; }
};

struct FleetPolicy {
  int parallel = 4;
  int canary = 0;
  bool continueOnError = false;
};

/// Runs one target; must not throw (a failure is an outcome).
using TargetJob = std::function<TargetOutcome(const FleetTarget&, const StopSignal&)>;
/// Told about each target as it finishes (or is skipped), one call at a time.
using TargetFinished = std::function<void(const FleetTarget&, const TargetOutcome&)>;

struct FleetRun {
  std::vector<TargetOutcome> outcomes;  ///< one per target, in target order
  int interruptedBy = 0;                ///< the signal that stopped the fleet, or 0
  bool canaryFailed = false;
};

/// Runs `job` on every target under `policy`. SIGINT and SIGTERM are caught while it runs:
/// no target starts after one, and the job is expected to stop after its current migration.
FleetRun runFleet(const std::vector<FleetTarget>& targets, const TargetJob& job, const FleetPolicy& policy,
                  const TargetFinished& finished);

}  // namespace jsorm::cli
