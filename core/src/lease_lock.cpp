#include <jsorm/error.hpp>
#include <jsorm/lease_lock.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <random>
#include <unistd.h>

JSORM_NAMESPACE_BEGIN

namespace {
using Clock = std::chrono::steady_clock;

std::string newHolder() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '?';
  std::random_device random;
  return fmt::format("{}:{}:{:08x}", host, static_cast<long>(getpid()), random());
}

std::int64_t integer(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* s = std::get_if<std::string>(&value)) return std::stoll(*s);
  return 0;
}

struct Holding {
  std::string holder;
  std::int64_t heartbeat = 0;
  std::int64_t leaseMs = 0;
  bool operator==(const Holding&) const = default;
};
}  // namespace

LeaseLock::LeaseLock(std::unique_ptr<Connection> connection, std::string table, std::string key,
                     std::chrono::milliseconds timeout, std::chrono::milliseconds lease)
    : connection_(std::move(connection)), table_(std::move(table)), key_(std::move(key)), lease_(lease),
      holder_(newHolder()) {
  // Runners racing through other Galera nodes create the table at the same moment; their
  // CREATE, replicated in total order, aborts this node's statements on it, even the
  // information_schema lookup, with a deadlock error. Such an abort passes: look again.
  for (int attempt = 1;; ++attempt) {
    try {
      ensureTable();
      break;
    } catch (const SqlError&) {
      if (attempt == 5) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
  }
  const Dialect& d = connection_->dialect();
  const std::string read = fmt::format("SELECT {}, {}, {} FROM {} WHERE {} = {}", d.quoteIdentifier("holder"),
                                       d.quoteIdentifier("heartbeat"), d.quoteIdentifier("lease_ms"),
                                       d.quoteIdentifier(table_), d.quoteIdentifier("name"), d.placeholder(1));
  const std::string takeOver = fmt::format(
      "UPDATE {0} SET {1} = {3}, {2} = {2} + 1, {4} = {5} WHERE {6} = {7} AND {1} = {8} AND {2} = {9}",
      d.quoteIdentifier(table_), d.quoteIdentifier("holder"), d.quoteIdentifier("heartbeat"), d.placeholder(1),
      d.quoteIdentifier("lease_ms"), d.placeholder(2), d.quoteIdentifier("name"), d.placeholder(3), d.placeholder(4),
      d.placeholder(5));
  const auto poll = std::clamp<std::chrono::milliseconds>(lease_ / 10, std::chrono::milliseconds(20),
                                                          std::chrono::milliseconds(250));
  const auto deadline = Clock::now() + timeout;
  std::optional<Holding> seen;
  Clock::time_point seenSince = Clock::now();
  while (!tryTake()) {
    ResultSet rows;
    try {
      rows = connection_->query(read, {key_});
    } catch (const SqlError&) {
      // Aborted by a racing runner's replicated DDL on this table, as above; the next poll
      // looks again.
    }
    if (!rows.rows.empty()) {
      const auto& row = rows.rows.front();
      Holding now{std::get<std::string>(row.at(0)), integer(row.at(1)), integer(row.at(2))};
      if (now.holder == holder_) break;  // a takeover whose check was aborted
      if (!seen || *seen != now) {
        seen = now;
        seenSince = Clock::now();
      } else if (Clock::now() - seenSince > std::chrono::milliseconds(now.leaseMs)) {
        // The heartbeat stood still for a whole lease: its holder is gone. Only one
        // waiter's update matches the holder and heartbeat it saw.
        try {
          connection_->execute(takeOver, {holder_, lease_.count(), key_, now.holder, now.heartbeat});
        } catch (const SqlError&) {
          // Another waiter won the race (a conflict on a cluster); look again.
        }
        try {
          const auto after = connection_->query(read, {key_});
          if (!after.rows.empty() && std::get<std::string>(after.rows.front().at(0)) == holder_) break;
        } catch (const SqlError&) {
          // Aborted like the read above; the next poll looks again.
        }
      }
    }
    if (Clock::now() >= deadline) {
      throw ConnectionError(fmt::format(
          "timed out after {} ms waiting for the migration lease on {} (held by {}, another jsorm migrate); retry, "
          "raise --lock-timeout, or wait for the lease to expire if that runner is gone",
          timeout.count(), connection_->target(), seen ? seen->holder : std::string("a runner that just left")));
    }
    std::this_thread::sleep_for(poll);
  }
  heartbeat_ = std::thread([this] { heartbeat(); });
}

LeaseLock::~LeaseLock() {
  {
    std::lock_guard guard(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  const Dialect& d = connection_->dialect();
  try {
    connection_->execute(fmt::format("DELETE FROM {} WHERE {} = {} AND {} = {}", d.quoteIdentifier(table_),
                                     d.quoteIdentifier("name"), d.placeholder(1), d.quoteIdentifier("holder"),
                                     d.placeholder(2)),
                         {key_, holder_});
  } catch (...) {
    // Left behind, the lease expires on its own: the next runner waits one lease longer.
  }
}

void LeaseLock::ensureTable() {
  if (connection_->hasTable(table_)) return;
  auto column = [](const char* name, FieldType type, bool primary = false) {
    FieldSpec field;
    field.type = type;
    field.primary = primary;
    return ColumnDef{name, field, std::nullopt};
  };
  const step::CreateTable create{TableDef{table_,
                                          {column("name", FieldType::String, true), column("holder", FieldType::String),
                                           column("heartbeat", FieldType::BigInt),
                                           column("lease_ms", FieldType::BigInt)},
                                          {}},
                                 {}};
  try {
    for (const auto& statement : connection_->dialect().render(Step(create))) connection_->execute(statement.sql);
  } catch (const SqlError&) {
    if (!connection_->hasTable(table_)) throw;  // not a racing runner creating it first
  }
}

bool LeaseLock::tryTake() {
  const Dialect& d = connection_->dialect();
  try {
    connection_->execute(
        fmt::format("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, 0, {})", d.quoteIdentifier(table_),
                    d.quoteIdentifier("name"), d.quoteIdentifier("holder"), d.quoteIdentifier("heartbeat"),
                    d.quoteIdentifier("lease_ms"), d.placeholder(1), d.placeholder(2), d.placeholder(3)),
        {key_, holder_, lease_.count()});
    return true;
  } catch (const SqlError&) {
    return false;  // held (duplicate key), or a conflicting insert on another node won
  }
}

void LeaseLock::heartbeat() {
  const Dialect& d = connection_->dialect();
  const std::string beat = fmt::format("UPDATE {0} SET {1} = {1} + 1 WHERE {2} = {3} AND {4} = {5}",
                                       d.quoteIdentifier(table_), d.quoteIdentifier("heartbeat"),
                                       d.quoteIdentifier("name"), d.placeholder(1), d.quoteIdentifier("holder"),
                                       d.placeholder(2));
  const std::string mine = fmt::format("SELECT 1 FROM {} WHERE {} = {} AND {} = {}", d.quoteIdentifier(table_),
                                       d.quoteIdentifier("name"), d.placeholder(1), d.quoteIdentifier("holder"),
                                       d.placeholder(2));
  std::unique_lock guard(mutex_);
  while (!wake_.wait_for(guard, lease_ / 4, [this] { return stop_; })) {
    try {
      connection_->execute(beat, {key_, holder_});
      if (connection_->query(mine, {key_, holder_}).rows.empty()) {
        lost_ = true;
        return;
      }
    } catch (const Error&) {
      // A beat that fails is retried at the next one; the lease covers three missed beats.
    }
  }
}

JSORM_NAMESPACE_END
