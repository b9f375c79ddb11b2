#pragma once
/// The adapter SDK: what an adapter plugin implements and exports.

#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/error.hpp>
#include <jsorm/snapshot.hpp>
#include <jsorm/value.hpp>
#include <jsorm/version.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Rows returned by a query, cells in column order.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

/// How to reach a database: a URL (`sqlite:path`, `postgres://...`) or a
/// plugin-specific string, plus named options from the adapter descriptor.
struct ConnectionConfig {
  std::string url;
  std::map<std::string, std::string> options;
};

/// One statement of Connection::executeAll: SQL text, with bound parameters when `params`
/// is set (both point into the caller's data, which outlives the call); or the start or end
/// of a transaction, which the adapter runs as its begin() and commit() do.
struct BatchStatement {
  enum class Kind { Sql, Begin, Commit };
  Kind kind = Kind::Sql;
  std::string_view sql;
  const std::vector<Value>* params = nullptr;
};

/// Thrown by Connection::executeAll: the statement at `index()` failed. The statements
/// before it ran; none after it did.
class JSORM_API StatementFailure : public SqlError {
 public:
  StatementFailure(std::size_t index, const SqlError& cause) : SqlError(cause), index_(index) {}
  ~StatementFailure() override;

  std::size_t index() const noexcept { return index_; }

 private:
  std::size_t index_;
};

/// Set to "1" in ConnectionConfig::options by a host whose command only reads
/// (migrate:status, a dry run): the adapter must then create and change nothing, not even
/// a database file or a lock file that is missing.
inline constexpr const char* kReadOnlyOption = "jsorm.readOnly";

/// An open connection. Created by a plugin; the host keeps the plugin loaded while it lives.
/// Every method throws a jsorm::Error subclass on failure (SqlError for statements).
class JSORM_API Connection {
 public:
  virtual ~Connection();

  virtual const Dialect& dialect() const = 0;
  /// Runs SQL text that may hold several statements and no parameters.
  virtual void execute(std::string_view sql) = 0;
  /// Runs one statement with bound parameters.
  virtual void execute(std::string_view sql, const std::vector<Value>& params) = 0;
  virtual ResultSet query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  /// Runs `statements` in order and stops at the first that fails, throwing
  /// StatementFailure with its index (or ConnectionError when the connection is lost). An
  /// adapter may send them together to save round trips (PostgreSQL: pipeline mode); this
  /// default runs them one at a time with execute(). The runner hands it a transactional
  /// migration's statements, BEGIN to COMMIT, so one failure leaves nothing applied.
  virtual void executeAll(const std::vector<BatchStatement>& statements);

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  /// Serialises migration runners on one database. Waits at most `timeout`, then throws
  /// ConnectionError. Released by unlockMigrations, or by the database when the process dies.
  virtual void lockMigrations(const std::string& key, std::chrono::milliseconds timeout) = 0;
  virtual void unlockMigrations(const std::string& key) = 0;

  virtual bool hasTable(const std::string& table) = 0;
  virtual bool hasColumn(const std::string& table, const std::string& column) = 0;
  /// Every user table of the database or schema.
  virtual std::vector<std::string> tables() = 0;

  /// Where this connection points, with any password removed, for messages.
  virtual std::string target() const = 0;

  /// The live schema of the database or schema this connection uses, in core's snapshot
  /// format: every user table (sorted by name) with its columns in table order (name,
  /// rawType and the jsorm type it maps to, nullability, primary key, default as SQL text in
  /// defaultSql, single-column foreign keys in references), and its indexes other than the
  /// primary key's (name, columns, unique; sorted by name). Throws Error for an adapter that
  /// cannot introspect; this default does.
  virtual SchemaSnapshot introspect();
};

/// What an adapter plugin exports through `jsorm_adapter_plugin()`; checked field by field
/// (magic, then ABI) before anything else is called.
struct AdapterPluginInfo {
  std::uint64_t magic;
  std::uint32_t abiVersion;
  const char* name;           ///< the `<name>` of libjsorm_adapter_<name>.so
  const char* pluginVersion;
  const char* description;
  /// URL schemes this adapter serves, NUL-separated, ending with an empty string.
  const char* schemes;
  /// Opens a connection, or throws ConnectionError. The host deletes it before unloading.
  Connection* (*connect)(const ConnectionConfig& config);
};

JSORM_NAMESPACE_END

/// Declares an adapter plugin's entry point. Use once in one source file of the plugin.
#define JSORM_ADAPTER_PLUGIN(NAME, VERSION, DESCRIPTION, SCHEMES, CONNECT)                      \
  extern "C" JSORM_API const ::jsorm::AdapterPluginInfo* jsorm_adapter_plugin() noexcept {       \
    static const ::jsorm::AdapterPluginInfo info{JSORM_PLUGIN_MAGIC, JSORM_STAMPED_ABI_VERSION, NAME,   \
                                                VERSION,            DESCRIPTION,       SCHEMES, \
                                                CONNECT};                                        \
    return &info;                                                                                \
  }
