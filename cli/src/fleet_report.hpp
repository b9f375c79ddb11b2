#pragma once
// What a fleet prints: a line per finished target (or, on a terminal, a progress line), a
// summary, or with --json one report; and the fleet's exit code.

#include "fleet_run.hpp"
#include "output.hpp"

#include <nlohmann/json.hpp>

namespace jsorm::cli {

class FleetReporter {
 public:
  /// `showSource`: name each target's source (--all-sources). `json`: print nothing while
  /// running; the report comes at the end.
  FleetReporter(Output& out, std::size_t total, bool json, bool showSource, bool quiet);

  /// Prints one finished or skipped target; called one at a time.
  void finished(const FleetTarget& target, const TargetOutcome& outcome);
  /// The summary line, or the JSON report.
  void summary(const std::vector<FleetTarget>& targets, const FleetRun& run, long long durationMs);

 private:
  std::string name(const FleetTarget& target) const;
  void showProgress();
  void clearProgress();

  Output& out_;
  std::size_t total_;
  bool json_;
  bool showSource_;
  bool quiet_;
  bool terminal_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  bool progressShown_ = false;
};

/// The report document: targets[] and totals, in the order docs/fleets.md lists the fields.
nlohmann::ordered_json fleetReport(const std::vector<FleetTarget>& targets, const FleetRun& run, long long durationMs);

/// The fleet's exit code, worst first: 128+signal when interrupted (130 SIGINT, 143
/// SIGTERM); 7 when any target failed, whatever its own code; 10 when any is not current; 0.
int fleetExitCode(const FleetRun& run);

}  // namespace jsorm::cli
