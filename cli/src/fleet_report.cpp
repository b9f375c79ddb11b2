#include "fleet_report.hpp"

#include "exit_codes.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace jsorm::cli {

namespace {
struct Totals {
  std::size_t ok = 0, failed = 0, skipped = 0, notCurrent = 0;
};

Totals count(const FleetRun& run) {
  Totals totals;
  for (const auto& outcome : run.outcomes) {
    switch (outcome.state) {
      case TargetState::Ok: ++totals.ok; break;
      case TargetState::Failed: ++totals.failed; break;
      case TargetState::Skipped: ++totals.skipped; break;
      case TargetState::NotCurrent: ++totals.notCurrent; break;
    }
  }
  return totals;
}

const char* signalName(int signal) { return signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "a signal"; }
}  // namespace

FleetReporter::FleetReporter(Output& out, std::size_t total, bool json, bool showSource, bool quiet)
    : out_(out), total_(total), json_(json), showSource_(showSource), quiet_(quiet),
      terminal_(::isatty(STDOUT_FILENO) != 0) {}

std::string FleetReporter::name(const FleetTarget& target) const {
  return showSource_ ? fmt::format("{} (source {})", target.display, target.sourceName) : target.display;
}

void FleetReporter::clearProgress() {
  if (!progressShown_) return;
  std::fputs("\r\033[K", stdout);
  progressShown_ = false;
}

void FleetReporter::showProgress() {
  std::fputs(fmt::format("\r\033[K{}/{} targets done, {} failed", done_, total_, failed_).c_str(), stdout);
  std::fflush(stdout);
  progressShown_ = true;
}

void FleetReporter::finished(const FleetTarget& target, const TargetOutcome& outcome) {
  ++done_;
  if (outcome.state == TargetState::Failed) ++failed_;
  if (json_) return;
  // On a terminal only what needs reading gets a line; the rest is counted in place.
  const bool worthALine = outcome.state == TargetState::Failed || !outcome.details.empty() || !terminal_;
  if (worthALine) {
    clearProgress();
    switch (outcome.state) {
      case TargetState::Ok: out_.line(fmt::format("{}  {}  {}", out_.green("ok"), name(target), outcome.summary)); break;
      case TargetState::NotCurrent:
        out_.result(fmt::format("{}  {}  {}", out_.yellow("not-current"), name(target), outcome.summary));
        break;
      case TargetState::Failed: out_.result(fmt::format("{} {}: {}", out_.red("FAILED"), name(target), outcome.error)); break;
      case TargetState::Skipped: out_.line(fmt::format("{}  {}", out_.dim("skipped"), name(target))); break;
    }
    if (!outcome.details.empty() && !quiet_) {
      std::string details = outcome.details;
      if (details.back() == '\n') details.pop_back();
      out_.result(details);
    }
  }
  if (terminal_ && !quiet_ && done_ < total_) showProgress();
}

void FleetReporter::summary(const std::vector<FleetTarget>& targets, const FleetRun& run, long long durationMs) {
  if (json_) {
    out_.result(fleetReport(targets, run, durationMs).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return;
  }
  clearProgress();
  const Totals totals = count(run);
  if (run.canaryFailed) out_.result("A canary target failed: no other target was started.");
  if (run.interruptedBy) {
    out_.result(fmt::format("Stopped by {}: running targets finished their current migration; the rest were skipped.",
                            signalName(run.interruptedBy)));
  }
  out_.result(fmt::format("Fleet of {} target{} in {} ms: {} ok, {}{} failed, {} skipped.", targets.size(),
                          targets.size() == 1 ? "" : "s", durationMs, totals.ok,
                          totals.notCurrent ? fmt::format("{} not current, ", totals.notCurrent) : std::string(),
                          totals.failed, totals.skipped));
}

nlohmann::ordered_json fleetReport(const std::vector<FleetTarget>& targets, const FleetRun& run, long long durationMs) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const TargetOutcome& outcome = run.outcomes[i];
    nlohmann::ordered_json entry;
    entry["target"] = targets[i].display;
    entry["source"] = targets[i].sourceName;
    entry["state"] = targetStateName(outcome.state);
    entry["applied"] = outcome.applied;
    entry["error"] = outcome.error.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(outcome.error);
    entry["exitCode"] = outcome.exitCode ? nlohmann::ordered_json(*outcome.exitCode) : nlohmann::ordered_json();
    entry["durationMs"] = outcome.durationMs;
    for (const auto& [key, value] : outcome.extra.items()) entry[key] = value;
    list.push_back(std::move(entry));
  }
  const Totals totals = count(run);
  nlohmann::ordered_json report;
  report["targets"] = std::move(list);
  report["totals"] = {{"ok", totals.ok},
                      {"failed", totals.failed},
                      {"skipped", totals.skipped},
                      {"notCurrent", totals.notCurrent},
                      {"total", targets.size()}};
  report["durationMs"] = durationMs;
  report["canaryFailed"] = run.canaryFailed;
  report["interruptedBy"] = run.interruptedBy ? nlohmann::ordered_json(signalName(run.interruptedBy)) : nlohmann::ordered_json();
  report["exitCode"] = fleetExitCode(run);
  return report;
}

int fleetExitCode(const FleetRun& run) {
  if (run.interruptedBy) return 128 + run.interruptedBy;
  const Totals totals = count(run);
  if (totals.failed) return kMigrationFailed;
  if (totals.notCurrent) return kStatusNotCurrent;
  return kOk;
}

}  // namespace jsorm::cli
