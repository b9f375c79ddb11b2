#pragma once
// A jsorm::Connection over one libpq connection.

#include <jsorm/adapter.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace jsorm::pg {

class PgConnection final : public Connection {
 public:
  /// `conninfo` is a postgres:// URL or a libpq key=value string. A URL's `schema=NAME`
  /// puts the session in that schema (search_path), created first unless `readOnly`.
  /// Throws ConnectionError, or ConfigError for a bad schema name.
  explicit PgConnection(const std::string& conninfo, bool readOnly = false);
  ~PgConnection() override;

  const Dialect& dialect() const override { return postgresDialect(); }
  void execute(std::string_view sql) override;
  void execute(std::string_view sql, const std::vector<Value>& params) override;
  ResultSet query(std::string_view sql, const std::vector<Value>& params) override;
  /// Pipeline mode: one round trip for a run of statements (pg_pipeline.cpp).
  void executeAll(const std::vector<BatchStatement>& statements) override;

  void begin() override;
  void commit() override;
  void rollback() override;

  void lockMigrations(const std::string& key, std::chrono::milliseconds timeout) override;
  void unlockMigrations(const std::string& key) override;

  bool hasTable(const std::string& table) override;
  bool hasColumn(const std::string& table, const std::string& column) override;
  std::vector<std::string> tables() override;
  SchemaSnapshot introspect() override;  // pg_introspect.cpp

  std::string target() const override { return target_; }

 private:
  struct ConnCloser {
    void operator()(pg_conn* conn) const noexcept;
  };
  struct ResultClearer {
    void operator()(pg_result* result) const noexcept;
  };
  using Result = std::unique_ptr<pg_result, ResultClearer>;

  Result run(std::string_view sql, const std::vector<Value>* params);
  Result checked(pg_result* raw, std::string_view sql);
  void abandonCopy();
  void runAlone(const std::vector<BatchStatement>& statements, std::size_t index);
  void pipeline(const std::vector<BatchStatement>& statements, std::size_t from, std::size_t to);
  void enterSchema(const std::string& schema, bool readOnly);
  std::int64_t lockKey(const std::string& key) const;

  std::string target_;
  std::string schema_;  ///< from schema=, or empty: the migration lock is per schema
  std::unique_ptr<pg_conn, ConnCloser> conn_;
};

}  // namespace jsorm::pg
