#pragma once
/// Programmatic entry points: connect and migrate as the CLI does, loading adapter plugins.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/database.hpp>
#include <jsorm/runner.hpp>
#include <jsorm/runtime_options.hpp>
#include <jsorm/source.hpp>

#include <memory>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Which plugin serves a connection, and how to reach it.
struct ConnectionTarget {
  std::string plugin;
  ConnectionConfig config;
};

/// Resolves a descriptor (and an optional URL override) to a plugin and its config,
/// reading env() settings now. Throws ConfigError.
JSORM_API ConnectionTarget resolveConnection(const AdapterDescriptor& adapter, const std::string& urlOverride = {});
/// The plugin a URL's scheme names ("postgres" and "postgresql" name "pg"), or empty.
JSORM_API std::string pluginForUrl(const std::string& url);
/// A URL or conninfo with any password replaced, safe to print (redactConnection of
/// <jsorm/redaction.hpp>).
JSORM_API std::string redactUrl(const std::string& url);
/// The first password a URL or conninfo carries, or empty (see secretsIn for all of them).
JSORM_API std::string passwordIn(const std::string& url);

/// Applies every pending migration of `source` as one batch.
JSORM_API RunResult migrate(const MigrationSource& source, const RuntimeOptions& options = {});
/// Rolls back the last batch of `source`.
JSORM_API RunResult migrateDown(const MigrationSource& source, const RuntimeOptions& options = {});

JSORM_NAMESPACE_END
