#pragma once
/// A migration lock for databases without a cluster-wide advisory lock (Galera, whose
/// GET_LOCK is node-local; connection poolers): a row in `<migrationTable>_lock` naming
/// its holder, renewed by a heartbeat while the run lasts, taken over only when the
/// heartbeat has stood still for the holder's lease. Waiters time the heartbeat on their
/// own clock, so the clocks of deployers and servers need not agree.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

JSORM_NAMESPACE_BEGIN

class JSORM_API LeaseLock {
 public:
  /// Takes the lease `key` in table `table`, waiting at most `timeout` (then throws
  /// ConnectionError naming the holder). `connection` is the lock's own: the heartbeat
  /// uses it from a thread of its own while the runner works on another connection.
  LeaseLock(std::unique_ptr<Connection> connection, std::string table, std::string key,
            std::chrono::milliseconds timeout, std::chrono::milliseconds lease);
  /// Stops the heartbeat and gives the lease up.
  ~LeaseLock();
  LeaseLock(const LeaseLock&) = delete;
  LeaseLock& operator=(const LeaseLock&) = delete;

  /// Whether another runner took the lease over (this one's heartbeat stalled past it).
  bool lost() const noexcept { return lost_.load(); }
  /// Who holds the lease: host:pid:random.
  const std::string& holder() const noexcept { return holder_; }

 private:
  void ensureTable();
  bool tryTake();
  void heartbeat();

  std::unique_ptr<Connection> connection_;
  std::string table_;
  std::string key_;
  std::chrono::milliseconds lease_;
  std::string holder_;
  std::atomic<bool> lost_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread heartbeat_;
};

JSORM_NAMESPACE_END
