#pragma once
// A jsorm::Connection over one MariaDB Connector/C connection.

#include "mysql_url.hpp"

#include <jsorm/adapter.hpp>
#include <jsorm/lease_lock.hpp>

#include <memory>
#include <string>
#include <vector>

struct st_mysql;

namespace jsorm::mysql {

/// How the migration lock is taken: GET_LOCK on a standalone server, the lease row on a
/// Galera node (whose GET_LOCK is node-local); `?lock=lease` forces the lease (behind a
/// proxy that may move sessions between servers).
enum class LockKind { Automatic, AdvisoryLock, Lease };

struct Settings {
  std::string url;
  bool readOnly = false;
};

class MysqlConnection final : public Connection {
 public:
  /// Throws ConnectionError.
  explicit MysqlConnection(Settings settings);
  ~MysqlConnection() override;

  const Dialect& dialect() const override { return mysqlDialect(); }
  void execute(std::string_view sql) override;
  void execute(std::string_view sql, const std::vector<Value>& params) override;
  ResultSet query(std::string_view sql, const std::vector<Value>& params) override;

  void begin() override;
  void commit() override;
  void rollback() override;

  void lockMigrations(const std::string& key, std::chrono::milliseconds timeout) override;
  void unlockMigrations(const std::string& key) override;

  bool hasTable(const std::string& table) override;
  bool hasColumn(const std::string& table, const std::string& column) override;
  std::vector<std::string> tables() override;
  SchemaSnapshot introspect() override;  // mysql_introspect.cpp

  std::string target() const override { return target_; }

 private:
  struct Closer {
    void operator()(st_mysql* mysql) const noexcept;
  };

  /// Sends `sql` (one or several statements) and returns the last result set it produced.
  ResultSet run(std::string_view sql);
  std::string advisoryKey(const std::string& key) const;

  Settings settings_;
  ServerAddress address_;
  std::string target_;
  std::unique_ptr<st_mysql, Closer> mysql_;
  bool galera_ = false;
  LockKind lockKind_ = LockKind::Automatic;
  std::chrono::milliseconds lease_{30'000};
  std::unique_ptr<LeaseLock> leaseLock_;
};

}  // namespace jsorm::mysql
