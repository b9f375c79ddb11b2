#pragma once
/// Migration sources, generate sources and the adapter descriptors they name.

#include <jsorm/api.hpp>
#include <jsorm/identifier.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/model.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A string given literally or read from the environment when it is needed (at connect
/// time, not when the module loads).
class JSORM_API Setting {
 public:
  Setting() = default;
  Setting(const char* value) : value_(value) {}
  Setting(std::string value) : value_(std::move(value)) {}
  static Setting fromEnvironment(std::string variable, std::optional<std::string> fallback);

  /// The value now. Throws ConfigError naming the variable when it is unset without fallback.
  std::string resolve() const;
  bool isSet() const noexcept { return !value_.empty() || !variable_.empty(); }
  /// `env("VAR")` or the literal, for messages (never resolves secrets).
  const std::string& variable() const noexcept { return variable_; }

 private:
  std::string value_;
  std::string variable_;
  std::optional<std::string> fallback_;
};

/// Reads VAR from the host's environment at connect time.
JSORM_API Setting env(std::string variable);
/// Reads VAR at connect time, or `fallback` when VAR is unset.
JSORM_API Setting env(std::string variable, std::string fallback);

/// Which adapter plugin to load and how to connect. Plain data: no database client here.
struct AdapterDescriptor {
  std::string plugin;  ///< loads libjsorm_adapter_<plugin>.so
  std::string name;    ///< the connection's name in messages
  std::map<std::string, Setting> options;
};

struct PgAdapterOptions {
  std::string name = "main";
  Setting connectionString;  ///< postgres:// URL or libpq conninfo
};

struct MysqlAdapterOptions {
  std::string name = "main";
  Setting connectionString;  ///< mysql:// or mariadb:// URL
};

struct SqliteAdapterOptions {
  std::string name = "main";
  Setting path;  ///< a file, or ":memory:"
};

JSORM_API AdapterDescriptor pgAdapter(PgAdapterOptions options);
JSORM_API AdapterDescriptor sqliteAdapter(SqliteAdapterOptions options);
/// MySQL or MariaDB through libjsorm_adapter_mysql.so.
JSORM_API AdapterDescriptor mysqlAdapter(MysqlAdapterOptions options);
/// A third-party adapter: loads libjsorm_adapter_<plugin>.so; the option `url` is the connection.
JSORM_API AdapterDescriptor adapter(std::string plugin, std::map<std::string, Setting> options);

/// What `jsorm migrate` runs: the adapter, the migrations in order and the tracking table.
struct MigrationSource {
  AdapterDescriptor adapter;
  std::vector<Migration> migrations;
  std::string migrationTable = "jsorm_migrations";
};

/// What `jsorm migrate:generate` reads: the current models and where their snapshot lives.
struct MigrationGenerateSource {
  std::vector<Model> models;
  std::string snapshotPath = ".migrations/schema.json";
};

JSORM_API MigrationSource defineMigrationSource(MigrationSource source);
JSORM_API MigrationGenerateSource defineMigrationGenerateSource(MigrationGenerateSource source);

/// What validating a source learnt besides "it is valid": each migration's checksum, in
/// source order, from the steps the validation built anyway. A Runner given it does not
/// build every migration again (that was most of the cost of `migrate:status`).
struct ValidatedSource {
  std::vector<std::string> checksums;
};

/// Checks every model and migration of a source (names, identifiers, relations, indexes)
/// and throws one SchemaError listing every problem found.
JSORM_API ValidatedSource validate(const MigrationSource& source);
JSORM_API void validate(const MigrationGenerateSource& source);


JSORM_NAMESPACE_END
