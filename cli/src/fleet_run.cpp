#include "fleet_run.hpp"

#include <csignal>
#include <mutex>
#include <thread>

namespace jsorm::cli {

namespace {
StopSignal* activeStop = nullptr;

extern "C" void onStopSignal(int signal) {
  // Only an atomic store: the one thing a signal handler may safely do here.
  if (activeStop) activeStop->signal.store(signal);
}

// Catches SIGINT and SIGTERM while a fleet runs, and puts the previous handlers back.
class SignalCatcher {
 public:
  explicit SignalCatcher(StopSignal& stop) {
    activeStop = &stop;
    struct sigaction action {};
    action.sa_handler = &onStopSignal;
    sigemptyset(&action.sa_mask);
    // Restart interrupted system calls: a client library waiting on its socket must not see
    // EINTR as a broken connection.
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &previousInt_);
    sigaction(SIGTERM, &action, &previousTerm_);
  }
  ~SignalCatcher() {
    sigaction(SIGINT, &previousInt_, nullptr);
    sigaction(SIGTERM, &previousTerm_, nullptr);
    activeStop = nullptr;
  }
  SignalCatcher(const SignalCatcher&) = delete;
  SignalCatcher& operator=(const SignalCatcher&) = delete;

 private:
  struct sigaction previousInt_ {};
  struct sigaction previousTerm_ {};
};

// One phase (the canaries, or the rest): workers take targets in order until none is left
// or the fleet must stop. Taking a target and recording a failure share one mutex, so no
// target is taken after a failure was recorded.
class Phase {
 public:
  Phase(const std::vector<FleetTarget>& targets, std::size_t first, std::size_t last, const TargetJob& job,
        const FleetPolicy& policy, const StopSignal& stop, FleetRun& run, const TargetFinished& finished)
      : targets_(targets), next_(first), last_(last), job_(job), policy_(policy), stop_(stop), run_(run),
        finished_(finished) {}

  /// Returns true when a target of this phase failed.
  bool run(bool stopOnAnyFailure) {
    stopOnAnyFailure_ = stopOnAnyFailure;
    const std::size_t count = last_ - next_;
    const std::size_t workers = std::min<std::size_t>(count, static_cast<std::size_t>(policy_.parallel));
    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) pool.emplace_back([this] { work(); });
    for (auto& worker : pool) worker.join();
    return failed_;
  }

 private:
  void work() {
    while (true) {
      std::size_t index;
      {
        std::lock_guard lock(mutex_);
        if (next_ >= last_ || stop_.requested() || (failed_ && (stopOnAnyFailure_ || !policy_.continueOnError))) return;
        index = next_++;
      }
      TargetOutcome outcome = job_(targets_[index], stop_);
      std::lock_guard lock(mutex_);
      if (outcome.state == TargetState::Failed) failed_ = true;
      run_.outcomes[index] = std::move(outcome);
      finished_(targets_[index], run_.outcomes[index]);
    }
  }

  const std::vector<FleetTarget>& targets_;
  std::size_t next_;
  const std::size_t last_;
  const TargetJob& job_;
  const FleetPolicy& policy_;
  const StopSignal& stop_;
  FleetRun& run_;
  const TargetFinished& finished_;
  std::mutex mutex_;
  bool failed_ = false;
  bool stopOnAnyFailure_ = false;
};
}  // namespace

const char* targetStateName(TargetState state) noexcept {
  switch (state) {
    case TargetState::Ok: return "ok";
    case TargetState::Failed: return "failed";
    case TargetState::Skipped: return "skipped";
    case TargetState::NotCurrent: return "not-current";
  }
  return "failed";
}

FleetRun runFleet(const std::vector<FleetTarget>& targets, const TargetJob& job, const FleetPolicy& policy,
                  const TargetFinished& finished) {
  FleetRun run;
  run.outcomes.resize(targets.size());
  StopSignal stop;
  SignalCatcher catcher(stop);

  const std::size_t canaries = std::min<std::size_t>(static_cast<std::size_t>(std::max(policy.canary, 0)), targets.size());
  if (canaries > 0) {
    // Any canary failure stops the fleet, --continue-on-error or not: that is what a canary is for.
    run.canaryFailed = Phase(targets, 0, canaries, job, policy, stop, run, finished).run(true);
  }
  if (!run.canaryFailed && !stop.requested()) {
    Phase(targets, canaries, targets.size(), job, policy, stop, run, finished).run(false);
  }
  // Whatever never started is reported as skipped, in target order.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (run.outcomes[i].state == TargetState::Skipped && !run.outcomes[i].exitCode) finished(targets[i], run.outcomes[i]);
  }
  run.interruptedBy = stop.signal.load();
  return run;
}

}  // namespace jsorm::cli
