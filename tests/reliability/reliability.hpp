#pragma once
// Shared pieces of the reliability suites: a fresh database per trial on SQLite,
// PostgreSQL or MariaDB (standalone or Galera), the shape of the schema libfixture_crash.so builds, and a seeded RNG whose
// seed is printed so a failing trial can be replayed (JSORM_RELIABILITY_SEED=<seed>).

#include "cli_fixture.hpp"
#include "mysql_scratch.hpp"
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

/// The databases the suites run on. Galera: the 3-node cluster, runners spread over its nodes.
enum class DatabaseKind { Sqlite, Postgres, Mysql, Galera };

inline std::string kindName(DatabaseKind kind) {
  switch (kind) {
    case DatabaseKind::Sqlite: return "SQLite";
    case DatabaseKind::Postgres: return "PostgreSQL";
    case DatabaseKind::Mysql: return "MariaDB";
    case DatabaseKind::Galera: return "Galera";
  }
  return "?";
}

/// The migrations journaled but not tracked (partial), each with the steps its journal
/// lists (counted from 0). Empty on databases with transactional DDL.
using Journal = std::map<std::string, std::set<std::int64_t>>;

/// A fresh, empty database for one trial: a SQLite file in a scratch directory, a
/// PostgreSQL database emptied for it, or a MariaDB database of its own (standalone or on
/// the Galera cluster) dropped afterwards. `urlQuery` ("?lock=lease...") is appended to
/// the runners' URL.
class TrialDatabase {
 public:
  explicit TrialDatabase(DatabaseKind kind, std::string urlQuery = "") : kind_(kind), urlQuery_(std::move(urlQuery)) {
    if (kind_ == DatabaseKind::Mysql) mysql_ = std::make_unique<MysqlScratchDatabase>(std::vector{mysqlServerUrl()});
    if (kind_ == DatabaseKind::Galera) mysql_ = std::make_unique<MysqlScratchDatabase>(galeraNodeUrls());
    if (kind_ != DatabaseKind::Postgres) return;
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

  DatabaseKind kind() const { return kind_; }
  bool mysql() const { return mysql_ != nullptr; }
  const CliFixture& fixture() const { return fixture_; }
  /// The runners' URL; `node` picks a Galera node (modulo 3) and is ignored elsewhere.
  std::string url(int node = 0) const {
    if (mysql_) return mysql_->url(node) + urlQuery_;
    return kind_ == DatabaseKind::Postgres ? pg_->url() : "sqlite:" + fixture_.db;
  }

  /// `jsorm COMMAND libfixture_crash.so SOURCE --url URL extra...`, waiting for it.
  ProcessResult run(const std::string& command, const std::string& source, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{command, kCrashModule, source, "--url", url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return fixture_.jsorm(args);
  }

  /// The same, started in the background through node `node`; returns the pid.
  int spawn(const std::string& command, const std::string& source, const std::string& tag,
            std::vector<std::string> extra = {}, int node = 0) const {
    std::vector<std::string> args{command, kCrashModule, source, "--url", url(node)};
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
    // PostgreSQL and MariaDB: the scratch database's own session (not owned here), so
    // settle() can wait for "no session but this one".
    if (kind_ == DatabaseKind::Postgres) {
      return std::shared_ptr<jsorm::Connection>(std::shared_ptr<jsorm::Connection>(), &pg_->db());
    }
    if (mysql_) return std::shared_ptr<jsorm::Connection>(std::shared_ptr<jsorm::Connection>(), &mysql_->db());
    return openDb(fixture_.db);
  }

  /// Waits until no other session is connected. A killed client's server session lives on
  /// until it next reads from the dead socket (finishing a running statement, or a COMMIT
  /// already sent; on MariaDB a whole BEGIN NOT ATOMIC block); checking before that would
  /// race with its last commit. Galera: the sessions on node 1, where kills are aimed.
  void settle() const {
    if (kind_ == DatabaseKind::Sqlite) return;
    auto db = connection();
    const std::string others =
        mysql_ ? "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
               : "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (count(*db, others) > 0) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("a killed runner's server session did not end in 30 s");
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

  /// The step journal's done rows (MariaDB only; empty elsewhere and before its table exists).
  Journal journal() const {
    Journal journal;
    if (!mysql_) return journal;
    auto db = connection();
    if (!db->hasTable("jsorm_migrations_steps")) return journal;
    for (const auto& row : db->query("SELECT migration, step FROM jsorm_migrations_steps WHERE done <> 0").rows) {
      journal[std::get<std::string>(row.at(0))].insert(std::get<std::int64_t>(row.at(1)));
    }
    return journal;
  }

  /// Journal rows not marked done: a statement whose block the server cut off. A client's
  /// kill -9 never leaves one, since the server runs each block to its end.
  std::int64_t undoneJournalRows() const {
    if (!mysql_) return 0;
    auto db = connection();
    if (!db->hasTable("jsorm_migrations_steps")) return 0;
    return count(*db, "SELECT count(*) FROM jsorm_migrations_steps WHERE done = 0");
  }

  /// Every table with its columns and secondary indexes.
  SchemaShape shape() const {
    auto db = connection();
    SchemaShape shape;
    auto text = [](const jsorm::Value& v) { return std::get<std::string>(v); };
    if (mysql_) {
      for (const auto& row : db->query("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
                                       "WHERE TABLE_SCHEMA = DATABASE()")
                                 .rows) {
        shape[text(row[0])].columns.insert(text(row[1]));
      }
      for (const auto& row : db->query("SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS "
                                       "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'")
                                 .rows) {
        shape[text(row[0])].indexes.insert(text(row[1]));
      }
    } else if (kind_ == DatabaseKind::Postgres) {
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
    std::vector<std::string> queries;
    if (mysql_) {
      queries = {"SELECT CONCAT_WS(' ', CONCAT(TABLE_NAME, '.', COLUMN_NAME), COLUMN_TYPE, IS_NULLABLE, "
                 "COALESCE(COLUMN_DEFAULT, ''), EXTRA) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                 "ORDER BY TABLE_NAME, COLUMN_NAME",
                 "SELECT CONCAT_WS(' ', CONCAT(TABLE_NAME, '.', INDEX_NAME), NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, "
                 "COALESCE(SUB_PART, '')) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                 "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"};
    } else if (kind_ == DatabaseKind::Postgres) {
      queries = {"SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
                 "COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' "
                 "ORDER BY table_name, column_name",
                 "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"};
    } else {
      queries = {"SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master "
                 "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"};
    }
    for (const auto& sql : queries) {
      for (const auto& row : db->query(sql).rows) out += std::get<std::string>(row.at(0)) + "\n";
    }
    return out;
  }

 private:
  static std::int64_t count(jsorm::Connection& db, const std::string& sql) {
    return std::get<std::int64_t>(db.query(sql).rows.at(0).at(0));
  }

  DatabaseKind kind_;
  std::string urlQuery_;
  CliFixture fixture_;
  ScratchDatabase* pg_ = nullptr;
  std::unique_ptr<MysqlScratchDatabase> mysql_;
};

/// What migration i looks like after its first `steps` of 4 steps ran (create the table;
/// add `extra`; index `label`; alter `extra`, which changes no column or index name).
inline TableShape shapeAfterSteps(int i, int steps) {
  TableShape shape{{"id", "label"}, {}};
  if (steps >= 2) shape.columns.insert("extra");
  if (steps >= 3) shape.indexes.insert(tableName(i) + "_label");
  return shape;
}
constexpr int kStepsPerMigration = 4;

/// What migration i looks like when it is fully applied.
inline TableShape fullShape(int i) { return shapeAfterSteps(i, kStepsPerMigration); }

/// What is left of migration i in `shape`: nothing, all of it, or part of it.
enum class Trace { None, Full, Partial };
inline Trace traceOf(const SchemaShape& shape, int i) {
  const auto it = shape.find(tableName(i));
  if (it == shape.end()) return Trace::None;
  return it->second == fullShape(i) ? Trace::Full : Trace::Partial;
}

/// Tables that belong to no migration (only jsorm's own may exist besides them: the
/// tracking table, and on MariaDB the step journal and the lease lock's table).
inline std::vector<std::string> strayTables(const SchemaShape& shape) {
  std::vector<std::string> stray;
  for (const auto& [table, _] : shape) {
    if (table == "jsorm_migrations" || table == "jsorm_migrations_steps" || table == "jsorm_migrations_lock") continue;
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
