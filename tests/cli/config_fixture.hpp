#pragma once
// Helpers for the config-first CLI tests (jsorm.toml, the production guard, db:fresh,
// db:rollback, migrate:repair): run `jsorm` from any folder of the scratch directory, with
// the variables that steer config-first mode (JSORM_ENV, JSORM_CONFIG) cleared unless a
// test sets them, and write config files.

#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace jsorm::cli_test {

/// One `[migrationSources.NAME]` table of a jsorm.toml.
inline std::string sourceTable(const std::string& name, const std::string& exportName,
                               const std::string& module = kCases, const std::optional<std::string>& url = {}) {
  std::string text = "[migrationSources." + name + "]\nmodule = \"" + module + "\"\nexport = \"" + exportName + "\"\n";
  if (url) text += "url = \"" + *url + "\"\n";
  return text;
}

/// `[defaults]` choosing `source`, with an optional environment.
inline std::string defaultsTable(const std::string& source, const std::string& environment = {}) {
  std::string text = "[defaults]\nmigrationSource = \"" + source + "\"\n";
  if (!environment.empty()) text += "environment = \"" + environment + "\"\n";
  return text + "\n";
}

/// A single text value from a query on a SQLite file.
inline std::string queryText(const std::string& path, const std::string& sql) {
  auto db = openDb(path);
  return std::get<std::string>(db->query(sql).rows.at(0).at(0));
}

inline std::vector<std::string> tablesOf(const std::string& path) { return openDb(path)->tables(); }

class ConfigFixture : public CliFixture {
 public:
  /// `relative` inside the scratch directory (folders created); returns the full path.
  std::string path(const std::string& relative) const { return dir.file(relative); }

  std::string mkdirs(const std::string& relative) const {
    const std::string full = path(relative);
    std::filesystem::create_directories(full);
    return full;
  }

  /// Writes `text` to `relative` (folders created); returns the full path.
  std::string write(const std::string& relative, const std::string& text) const {
    const std::filesystem::path full = path(relative);
    std::filesystem::create_directories(full.parent_path());
    writeFile(full.string(), text);
    return full.string();
  }

  /// Writes jsorm.toml into the scratch directory itself.
  std::string writeConfig(const std::string& text) const { return write("jsorm.toml", text); }

  /// A config whose default source `main` is `exportName` of libfixture_cases.so.
  std::string writeSimpleConfig(const std::string& exportName = "goodSource", const std::string& environment = {}) const {
    return writeConfig(defaultsTable("main", environment) + sourceTable("main", exportName));
  }

  /// Runs jsorm from `subdir` of the scratch directory ("" for the directory itself).
  ProcessResult runIn(const std::string& subdir, const std::vector<std::string>& args, const Env& env = {}) const {
    ProcessOptions options;
    options.workingDirectory = subdir.empty() ? dir.path() : path(subdir);
    options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"NO_COLOR", ""}, {"FIXTURE_DB", db},
                           {"JSORM_ENV", ""},    {"JSORM_CONFIG", ""},       {"FIXTURE_VARIANT", ""}};
    for (const auto& [name, value] : env) options.environment[name] = value;
    return ::jsorm::test::runProcess(kJsorm, args, options);
  }

  ProcessResult run(const std::vector<std::string>& args, const Env& env = {}) const { return runIn("", args, env); }

  /// Legacy mode: `jsorm COMMAND libfixture_cases.so SOURCE extra...`, with the same clean environment.
  ProcessResult legacy(const std::string& command, const std::string& source, std::vector<std::string> extra = {},
                       const Env& env = {}) const {
    std::vector<std::string> args{command, kCases, source};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, env);
  }

  bool exists(const std::string& relative) const { return std::filesystem::exists(path(relative)); }
};

/// migrate:status --json, parsed, after checking its exit code.
inline nlohmann::json parseStatus(const ProcessResult& r, int expectedExit) {
  INFO(describe(r));
  REQUIRE(r.exitCode == expectedExit);
  return nlohmann::json::parse(r.out);
}

/// The status entry of migration `name`; fails the test when it is not listed.
inline nlohmann::json statusEntry(const nlohmann::json& status, const std::string& name) {
  for (const auto& m : status.at("migrations")) {
    if (m.at("name") == name) return m;
  }
  FAIL("migration " << name << " is not in the status: " << status.dump());
  return {};
}

}  // namespace jsorm::cli_test
