#pragma once
// A jsorm::Connection over one SQLite database file.

#include "file_lock.hpp"

#include <jsorm/adapter.hpp>

#include <memory>
#include <string>

struct sqlite3;

namespace jsorm::sqlite {

class SqliteConnection final : public Connection {
 public:
  /// `path` is a file name or ":memory:". Throws ConnectionError when it cannot be opened.
  /// `readOnly` opens the file read-only, reads a missing file as an empty database
  /// without creating it, and takes no lock file.
  explicit SqliteConnection(std::string path, bool readOnly = false);
  ~SqliteConnection() override;

  const Dialect& dialect() const override { return sqliteDialect(); }
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
  SchemaSnapshot introspect() override;  // sqlite_introspect.cpp

  std::string target() const override { return "sqlite:" + path_; }

 private:
  std::string path_;
  bool readOnly_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<FileLock> lock_;
};

/// The file path in `sqlite:PATH`, `sqlite://PATH` or a bare path.
std::string pathFromUrl(const std::string& url);

}  // namespace jsorm::sqlite
