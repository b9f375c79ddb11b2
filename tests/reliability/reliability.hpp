#pragma once
// Shared pieces of the reliability suites: a fresh database per trial on SQLite or
// PostgreSQL, the shape of the schema libfixture_crash.so builds, and a seeded RNG whose
// seed is printed so a failing trial can be replayed (JSORM_RELIABILITY_SEED=<seed>).

#include "cli_fixture.hpp"
#include "pg_scratch.hpp"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace jsorm::reliability {

using namespace jsorm::cli_test;

inline const std::string kCrashModule = kFixtureDir + "/libfixture_crash.so";
constexpr int kMigrationCount = 200;

inline std::string migrationName(int i) { return fmt::format("m{:03}", i); }
inline std::string tableName(int i) { return fmt::format("r{:03}", i); }

/// The RNG for one test: seeded from JSORM_RELIABILITY_SEED when set, else at random; the
/// seed is printed (and attached to every failure) so the exact kill times can be replayed.
inline std::mt19937_64 seededRandom(const std::string& test, std::uint64_t& seed) {
  if (const char* fixed = std::getenv("JSORM_RELIABILITY_SEED"); fixed && *fixed) {
    seed = std::strtoull(fixed, nullptr, 10);
  } else {
    seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  std::cout << test << ": JSORM_RELIABILITY_SEED=" << seed << std::endl;
  return std::mt19937_64(seed);
}

/// One table as the checks see it.
struct TableShape {
  std::set<std::string> columns;
  std::set<std::string> indexes;  ///< secondary indexes only (not the primary key's)
  bool operator==(const TableShape&) const = default;
};
using SchemaShape = std::map<std::string, TableShape>;

/// A fresh, empty database for one trial: a SQLite file in a scratch directory, or a
/// PostgreSQL database of its own that is dropped afterwards.
class TrialDatabase {
 public:
  explicit TrialDatabase(bool postgres) : postgres_(postgres) {
    if (!postgres_) return;
    // One scratch database per test process, emptied for each trial: creating and dropping
    // a database per trial costs seconds (DROP DATABASE checkpoints).
    static const std::unique_ptr<ScratchDatabase> shared = [] {
      auto created = std::make_unique<ScratchDatabase>();
      // The runs are killed, the server never is, so commits need not wait for the disk.
      created->db().execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', "
                            "current_database()); END $$");
      return created;
    }();
    pg_ = shared.get();
    pg_->db().execute("DROP SCHEMA public CASCADE");
    pg_->db().execute("CREATE SCHEMA public");
  }

  bool postgres() const { return postgres_; }
  const CliFixture& fixture() const { return fixture_; }
  std::string url() const { return postgres_ ? pg_->url() : "sqlite:" + fixture_.db; }

  /// `jsorm COMMAND libfixture_crash.so SOURCE --url URL extra...`, waiting for it.
  ProcessResult run(const std::string& command, const std::string& source, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{command, kCrashModule, source, "--url", url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return fixture_.jsorm(args);
  }

  /// The same, started in the background; returns the pid.
  int spawn(const std::string& command, const std::string& source, const std::string& tag,
            std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{command, kCrashModule, source, "--url", url()};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessOptions options;
    options.workingDirectory = fixture_.dir.path();
    options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"FIXTURE_DB", fixture_.db}};
    return ::jsorm::test::spawnProcess(kJsorm, args, options, fixture_.dir.file(tag + ".out"),
                                       fixture_.dir.file(tag + ".err"));
  }
  std::string outFile(const std::string& tag) const { return fixture_.dir.file(tag + ".out"); }
  std::string output(const std::string& tag) const {
    return readFile(fixture_.dir.file(tag + ".out")) + readFile(fixture_.dir.file(tag + ".err"));
  }

  /// A connection for checks. SQLite: opened anew, so a hot journal left by a killed
  /// writer is rolled back first, exactly as the next jsorm run would.
  std::shared_ptr<jsorm::Connection> connection() const {
    // PostgreSQL: the scratch database's own session (not owned here), so settle() can
    // wait for "no session but this one".
    if (postgres_) return std::shared_ptr<jsorm::Connection>(std::shared_ptr<jsorm::Connection>(), &pg_->db());
    return openDb(fixture_.db);
  }

  /// Waits until no other session is connected. A killed client's PostgreSQL backend lives
  /// on until it next reads from the dead socket (finishing a running statement, or a COMMIT
  /// already sent); checking before that would race with its last commit.
  void settle() const {
    if (!postgres_) return;
    auto db = connection();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::get<std::int64_t>(db->query("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                            "current_database() AND pid <> pg_backend_pid()")
                                      .rows.at(0)
                                      .at(0)) > 0) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("a killed runner's PostgreSQL session did not end in 30 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  /// The tracking table's names in id order (empty when the table does not exist yet).
  std::vector<std::string> tracked() const {
    auto db = connection();
    std::vector<std::string> names;
    if (!db->hasTable("jsorm_migrations")) return names;
    for (const auto& row : db->query("SELECT name FROM jsorm_migrations ORDER BY id").rows) {
      names.push_back(std::get<std::string>(row.at(0)));
    }
    return names;
  }

  /// Every table with its columns and secondary indexes.
  SchemaShape shape() const {
    auto db = connection();
    SchemaShape shape;
    auto text = [](const jsorm::Value& v) { return std::get<std::string>(v); };
    if (postgres_) {
      for (const auto& row : db->query("SELECT table_name::text, column_name::text FROM information_schema.columns "
                                       "WHERE table_schema = 'public'")
                                 .rows) {
        shape[text(row[0])].columns.insert(text(row[1]));
      }
      for (const auto& row : db->query("SELECT tablename::text, indexname::text FROM pg_indexes WHERE schemaname = "
                                       "'public' AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'")
                                 .rows) {
        shape[text(row[0])].indexes.insert(text(row[1]));
      }
    } else {
      for (const auto& row : db->query("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                                       "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
                                 .rows) {
        shape[text(row[0])].columns.insert(text(row[1]));
      }
      // Indexes with SQL are the ones a statement created; the others back constraints.
      for (const auto& row : db->query("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                                 .rows) {
        shape[text(row[0])].indexes.insert(text(row[1]));
      }
    }
    return shape;
  }

  /// The schema as DDL-level text (column types, nullability, defaults, index definitions),
  /// to compare a recovered database with a clean run's.
  std::string fingerprint() const {
    auto db = connection();
    std::string out;
    const std::vector<std::string> queries =
        postgres_ ? std::vector<std::string>{
                        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
                        "COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' "
                        "ORDER BY table_name, column_name",
                        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"}
                  : std::vector<std::string>{
                        "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"};
    for (const auto& sql : queries) {
      for (const auto& row : db->query(sql).rows) out += std::get<std::string>(row.at(0)) + "\n";
    }
    return out;
  }

 private:
  bool postgres_;
  CliFixture fixture_;
  ScratchDatabase* pg_ = nullptr;
};

/// What migration i looks like when it is fully applied.
inline TableShape fullShape(int i) {
  return TableShape{{"id", "label", "extra"}, {tableName(i) + "_label"}};
}

/// What is left of migration i in `shape`: nothing, all of it, or part of it.
enum class Trace { None, Full, Partial };
inline Trace traceOf(const SchemaShape& shape, int i) {
  const auto it = shape.find(tableName(i));
  if (it == shape.end()) return Trace::None;
  return it->second == fullShape(i) ? Trace::Full : Trace::Partial;
}

/// Tables that belong to no migration (only the tracking table may exist besides them).
inline std::vector<std::string> strayTables(const SchemaShape& shape) {
  std::vector<std::string> stray;
  for (const auto& [table, _] : shape) {
    if (table == "jsorm_migrations") continue;
    const bool migrationTable = table.size() == 4 && table[0] == 'r' && std::atoi(table.c_str() + 1) >= 1 &&
                                std::atoi(table.c_str() + 1) <= kMigrationCount;
    if (!migrationTable) stray.push_back(table);
  }
  return stray;
}

/// Migrations a run has finished so far, from its progress output (one "... (N ms)" line
/// each, flushed as it goes).
inline int finishedIn(const std::string& outFile) {
  const std::string out = readFile(outFile);
  int count = 0;
  for (auto at = out.find(" ms)\n"); at != std::string::npos; at = out.find(" ms)\n", at + 1)) ++count;
  return count;
}

inline bool isZombie(int pid) {
  const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close == std::string::npos || (close + 2 < stat.size() && stat[close + 2] == 'Z');
}

/// Sleeps `delay`, then SIGKILLs `pid` and reaps it; returns its exit code (-9 when the kill
/// landed, 0 when the run had already finished).
inline int killAfter(int pid, std::chrono::microseconds delay) {
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  return ::jsorm::test::waitProcess(pid);
}

/// Waits until the run `pid` has finished `target` migrations (read from its output, so the
/// database is not touched), then sleeps `delay` (a random point inside the next migration)
/// and SIGKILLs it. Timing-independent where a fixed delay is not: on a loaded machine a
/// delay drawn from a clean run's duration lands before the start or after the end too often.
inline int killAtProgress(int pid, const std::string& outFile, int target, std::chrono::microseconds delay) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (finishedIn(outFile) < target && !isZombie(pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return killAfter(pid, delay);
}

}  // namespace jsorm::reliability
