#pragma once
// jsorm.toml: named migration and generate sources, defaults, and the environment.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace jsorm::cli {

/// One `[migrationSources.NAME]` or `[generateSources.NAME]` table. Values keep their
/// `${VAR}` references until used, so an unset variable matters only to the source using it.
struct SourceEntry {
  std::string name;
  std::string where;  ///< "<file>: migrationSources.NAME", for messages
  std::filesystem::path base;  ///< the config file's folder
  std::string module;
  std::string exportName;
  std::optional<std::string> url;
  /// [generateSources] only: the [migrationSources.NAME] whose migrations, replayed, stand
  /// in for a missing snapshot; and where the key is, for messages.
  std::string history;
  std::string historyAt;

  /// The module path with variables expanded, relative to the config file.
  std::filesystem::path modulePath() const;
  std::string exportSymbol() const;
  /// The url with variables expanded and a relative sqlite: path made relative to `base`.
  std::optional<std::string> connectionUrl() const;
};

struct Config {
  std::filesystem::path file;
  std::string defaultMigrationSource;
  std::string defaultGenerateSource;
  std::string environment;
  std::map<std::string, SourceEntry> migrationSources;
  std::map<std::string, SourceEntry> generateSources;
  /// [run]: how migrations run, unless the command line says otherwise.
  std::optional<double> ddlLockTimeoutSeconds;
  std::optional<int> retries;
};

/// The config to use: `explicitPath` (--config), else $JSORM_CONFIG, else jsorm.toml in the
/// current folder or the nearest parent that has one. Nothing found: nullopt.
std::optional<std::filesystem::path> findConfigFile(const std::string& explicitPath);

/// Parses a config file. Throws ConfigError naming the file, line and column.
Config loadConfig(const std::filesystem::path& file);

/// Replaces each ${VAR} (or ${VAR:-fallback}) by its value. Throws ConfigError naming the variable and `where`
/// (e.g. "jsorm.toml: migrationSources.main.url") when one is unset.
std::string expandVariables(const std::string& value, const std::string& where);

/// A `sqlite:` URL with a relative path made relative to `base` (the config's folder), so
/// the same database is used from any sub-folder. Other URLs are returned unchanged.
std::string resolveSqlitePath(const std::string& url, const std::filesystem::path& base);

/// The entry `--source NAME` asks for, else the default, else the only one.
const SourceEntry& selectSource(const Config& config, const std::string& requested, bool generate);

}  // namespace jsorm::cli
