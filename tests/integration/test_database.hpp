#pragma once
// The per-adapter context of the shared integration suite: which database the suite runs
// against, and a fresh, empty one for each test.

#include <jsorm/adapter.hpp>
#include <jsorm/source.hpp>

#include <memory>
#include <string>
#include <vector>

namespace jsorm::test {

/// "sqlite", "pg" or "mysql", chosen by --database on the command line.
const std::string& databaseKind();
void setDatabaseKind(std::string kind);

/// An empty database for one test: a new SQLite file, or the PostgreSQL test database
/// emptied of every table.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();

  const std::string& url() const noexcept { return url_; }
  /// A new connection through the real adapter plugin.
  std::shared_ptr<Connection> connect() const;
  /// The connection most tests use.
  Connection& db() const { return *connection_; }
  bool isPostgres() const { return databaseKind() == "pg"; }
  bool isMysql() const { return databaseKind() == "mysql"; }

  std::vector<std::string> tables() const { return connection_->tables(); }
  bool hasTable(const std::string& name) const { return connection_->hasTable(name); }
  bool hasColumn(const std::string& table, const std::string& column) const {
    return connection_->hasColumn(table, column);
  }
  long long count(const std::string& sql) const;

 private:
  std::string directory_;
  std::string url_;
  std::shared_ptr<Connection> connection_;
};

/// A source over the given migrations with the default tracking table.
MigrationSource sourceOf(std::vector<Migration> migrations, std::string table = "jsorm_migrations");

}  // namespace jsorm::test
