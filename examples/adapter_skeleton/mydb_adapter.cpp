// Skeleton of a jsorm adapter plugin. Each method says what the host expects of it;
// docs/adapters.md has the full contract. Until filled in, connecting fails cleanly.

#include <jsorm/adapter.hpp>
#include <jsorm/error.hpp>

namespace {

class MyDbConnection final : public jsorm::Connection {
 public:
  explicit MyDbConnection(const jsorm::ConnectionConfig& config) : url_(config.url) {
    // Open the client connection here; on failure throw jsorm::ConnectionError with one
    // line that names the target (without its password) and what to do.
    throw jsorm::ConnectionError("mydb adapter: connecting is not written yet (" + target() + ")");
  }

  // Render SQL for your database: reuse postgresDialect()/sqliteDialect(), or subclass
  // jsorm::Dialect and override what differs.
  const jsorm::Dialect& dialect() const override { return jsorm::postgresDialect(); }

  // Several statements, no parameters (migration steps, rawSql). Failures: jsorm::SqlError
  // with the database's message, the statement and the native code.
  void execute(std::string_view) override {}
  // One statement with bound parameters (tracking-table rows).
  void execute(std::string_view, const std::vector<jsorm::Value>&) override {}
  // Rows as jsorm::Value cells: integers as int64, floats as double, text, bytes, NULL.
  jsorm::ResultSet query(std::string_view, const std::vector<jsorm::Value>&) override { return {}; }

  void begin() override {}
  void commit() override {}
  void rollback() override {}  // must be harmless when no transaction is open

  // Serialise runners across processes; wait at most `timeout`, then throw ConnectionError.
  // The lock must die with the process that holds it.
  void lockMigrations(const std::string&, std::chrono::milliseconds) override {}
  void unlockMigrations(const std::string&) override {}

  bool hasTable(const std::string&) override { return false; }
  bool hasColumn(const std::string&, const std::string&) override { return false; }
  std::vector<std::string> tables() override { return {}; }

  std::string target() const override { return "mydb:" + url_; }  // strip any password here

 private:
  std::string url_;
};

jsorm::Connection* connect(const jsorm::ConnectionConfig& config) { return new MyDbConnection(config); }

}  // namespace

// name (libjsorm_adapter_<name>.so), version, description, URL schemes, factory
JSORM_ADAPTER_PLUGIN("mydb", "0.1.0", "skeleton adapter", "mydb\0", &connect)
