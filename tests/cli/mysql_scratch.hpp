#pragma once
// MariaDB scratch databases for process tests: each test gets a database of its own on the
// server of $JSORM_TEST_MYSQL_URL (scripts/test.sh starts one), so MySQL tests do not see
// each other's tables.

#include <jsorm/runtime.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>

namespace jsorm::cli_test {

/// The test server's URL. Never a silent skip: without the server a test fails and says how to get one.
inline std::string mysqlServerUrl() {
  const char* url = std::getenv("JSORM_TEST_MYSQL_URL");
  if (!url || !*url) {
    FAIL("JSORM_TEST_MYSQL_URL is not set; run scripts/test.sh, which starts a throwaway MariaDB "
         "(or scripts/mariadb-test-server.sh start DIR and source DIR/env)");
  }
  return url;
}

/// `url` (mysql://user:pw@host:port/db?params) with its database replaced by `database`.
inline std::string mysqlUrlFor(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string params = query == std::string::npos ? "" : url.substr(query);
  const auto authority = base.find("://") + 3;
  const auto slash = base.find('/', authority);
  return (slash == std::string::npos ? base : base.substr(0, slash)) + "/" + database + params;
}

/// A number from the first cell of a result: COUNT(*) comes back as an integer, some
/// information_schema columns as text.
inline std::int64_t firstNumber(const jsorm::ResultSet& result) {
  const auto& cell = result.rows.at(0).at(0);
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  if (const auto* s = std::get_if<std::string>(&cell)) return std::stoll(*s);
  FAIL("not a number in the first cell of the result");
  return 0;
}

/// A database created for one test on the server of `serverUrl` and dropped after it.
class MysqlScratchDatabase {
 public:
  explicit MysqlScratchDatabase(const std::string& serverUrl = mysqlServerUrl()) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("jsorm_cli_{}_{}", ::getpid(), counter++);
    admin_ = jsorm::connect(serverUrl);
    admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");  // a leftover of a crashed run with the same pid
    admin_->execute("CREATE DATABASE `" + name_ + "`");
    url_ = mysqlUrlFor(serverUrl, name_);
    db_ = jsorm::connect(url_);
  }
  ~MysqlScratchDatabase() {
    db_.reset();
    try {
      admin_->execute("DROP DATABASE IF EXISTS `" + name_ + "`");
    } catch (...) {
    }
  }
  MysqlScratchDatabase(const MysqlScratchDatabase&) = delete;
  MysqlScratchDatabase& operator=(const MysqlScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  jsorm::Connection& db() { return *db_; }
  std::int64_t count(const std::string& sql) { return firstNumber(db_->query(sql)); }
  /// Whether information_schema lists `column` of `table` in this database.
  bool hasColumn(const std::string& table, const std::string& column) {
    return firstNumber(db_->query("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                                  "AND table_name = ? AND column_name = ?",
                                  {table, column})) == 1;
  }
  bool hasTable(const std::string& table) {
    return firstNumber(db_->query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                                  "AND table_name = ?",
                                  {table})) == 1;
  }
  /// Reconnects after the server was restarted.
  void reconnect(const std::string& serverUrl) {
    admin_ = jsorm::connect(serverUrl);
    db_ = jsorm::connect(url_);
  }

 private:
  std::string name_;
  std::string url_;
  std::shared_ptr<jsorm::Connection> admin_;
  std::shared_ptr<jsorm::Connection> db_;
};

}  // namespace jsorm::cli_test
