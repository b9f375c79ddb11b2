#pragma once
// Shared helpers for the CLI tests: run the built `jsorm` in a scratch directory with a
// controlled environment, and look at the SQLite database it left behind.

#include "process.hpp"

#include <jsorm/runtime.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace jsorm::cli_test {

using jsorm::test::ProcessOptions;
using jsorm::test::ProcessResult;
using jsorm::test::readFile;
using jsorm::test::TempDir;
using jsorm::test::testSecret;
using jsorm::test::writeFile;
using Env = std::map<std::string, std::string>;

inline const std::string kJsorm = JSORM_BIN;
inline const std::string kFixtureDir = JSORM_FIXTURE_DIR;
inline const std::string kExampleModule = JSORM_EXAMPLE_MODULE;
inline const std::string kSqliteAdapter = JSORM_SQLITE_ADAPTER;
inline const std::string kCases = kFixtureDir + "/libfixture_cases.so";

/// A trial count from the environment, or `fallback` when unset: CI runs the fallbacks, a
/// longer local run raises them (e.g. JSORM_KILL_TRIALS=200, JSORM_RACE_TRIALS=50).
inline int envCount(const char* name, int fallback) {
  const char* value = std::getenv(name);
  if (!value || !*value) return fallback;
  const int parsed = std::atoi(value);
  if (parsed <= 0) FAIL(name << " must be a positive number, not '" << value << "'");
  return parsed;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline bool matches(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern));
}

/// Opens a SQLite database the way an application would, finding the adapter next to the build.
inline std::shared_ptr<jsorm::Connection> openDb(const std::string& path) {
  jsorm::RuntimeOptions options;
  options.adapterPath = {std::filesystem::path(kSqliteAdapter).parent_path().string()};
  return jsorm::connect("sqlite:" + path, options);
}

/// The names in the tracking table, in the order they were applied.
inline std::vector<std::string> trackedNames(const std::string& path, const std::string& table = "jsorm_migrations") {
  auto db = openDb(path);
  std::vector<std::string> names;
  if (!db->hasTable(table)) return names;
  for (const auto& row : db->query("SELECT name FROM \"" + table + "\" ORDER BY id").rows) {
    names.push_back(std::get<std::string>(row.at(0)));
  }
  return names;
}

inline std::int64_t countRows(const std::string& path, const std::string& sql) {
  auto db = openDb(path);
  return std::get<std::int64_t>(db->query(sql).rows.at(0).at(0));
}

/// A scratch directory to run `jsorm` in, with its SQLite file `x.db` handed to the
/// fixture sources through FIXTURE_DB. The environment is cleared of anything that could
/// make a result depend on the machine running the tests.
class CliFixture {
 public:
  TempDir dir;
  const std::string db = dir.file("x.db");

  /// Runs jsorm in `dir`; `env` is applied on top of the defaults (empty value: unset).
  ProcessResult jsorm(const std::vector<std::string>& args, const Env& env = {}) const {
    ProcessOptions options;
    options.workingDirectory = dir.path();
    options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"NO_COLOR", ""}, {"FIXTURE_DB", db}};
    for (const auto& [name, value] : env) options.environment[name] = value;
    return ::jsorm::test::runProcess(kJsorm, args, options);
  }

  /// `jsorm COMMAND libfixture_cases.so SOURCE extra...`
  ProcessResult cases(const std::string& command, const std::string& source, std::vector<std::string> extra = {},
                      const Env& env = {}) const {
    std::vector<std::string> args{command, kCases, source};
    args.insert(args.end(), extra.begin(), extra.end());
    return jsorm(args, env);
  }

  std::string dbBytes() const { return readFile(db); }
};

/// What a run printed, for failure messages.
inline std::string describe(const ProcessResult& r);

}  // namespace jsorm::cli_test

/// The run succeeded (exit 0); prints its output when it did not. Evaluates `result` once.
#define REQUIRE_OK(result)                                              \
  do {                                                                  \
    const ::jsorm::cli_test::ProcessResult checked_ = (result);         \
    INFO(::jsorm::cli_test::describe(checked_));                        \
    REQUIRE(checked_.exitCode == 0);                                    \
  } while (false)

namespace jsorm::cli_test {

/// A database already migrated with goodSource, so "unchanged" has something to compare.
struct Seeded : CliFixture {
  std::string before;
  Seeded() {
    REQUIRE_OK(cases("migrate", "goodSource"));
    before = dbBytes();
    REQUIRE_FALSE(before.empty());
  }
  bool unchanged() const { return dbBytes() == before; }
};

/// What a run printed, for failure messages.
inline std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exitCode) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

}  // namespace jsorm::cli_test

/// The run failed with exactly one stderr line "jsorm: error: ..." and the given exit code.
#define CHECK_ONE_ERROR_LINE(result, code)                                            \
  do {                                                                                \
    const ::jsorm::cli_test::ProcessResult& checked_ = (result);                      \
    INFO(::jsorm::cli_test::describe(checked_));                                      \
    CHECK(checked_.exitCode == (code));                                               \
    const auto errLines_ = checked_.errLines();                                       \
    REQUIRE(errLines_.size() == 1);                                                   \
    CHECK(errLines_.front().rfind("jsorm: error: ", 0) == 0);                         \
  } while (false)

