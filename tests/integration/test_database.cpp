#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runtime.hpp>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace jsorm::test {

namespace {
std::string& kind() {
  static std::string value = "sqlite";
  return value;
}
}  // namespace

const std::string& databaseKind() { return kind(); }
void setDatabaseKind(std::string value) { kind() = std::move(value); }

TestDatabase::TestDatabase() {
  if (databaseKind() == "pg" || databaseKind() == "mysql") {
    const bool pg = databaseKind() == "pg";
    const char* variable = pg ? "JSORM_TEST_PG_URL" : "JSORM_TEST_MYSQL_URL";
    const char* url = std::getenv(variable);
    // Never a silent skip: a server run without a server is a failure.
    if (!url || !*url) {
      throw std::runtime_error(std::string(variable) + " is not set; run scripts/test.sh, which starts a throwaway " +
                               (pg ? "PostgreSQL" : "MariaDB") + " and sets it");
    }
    url_ = url;
    connection_ = jsorm::connect(url_);
    for (const auto& statement : connection_->dialect().dropAllTables(connection_->tables())) {
      connection_->execute(statement.sql);
    }
    return;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "jsorm-it-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  url_ = "sqlite:" + directory_ + "/test.db";
  connection_ = jsorm::connect(url_);
}

TestDatabase::~TestDatabase() {
  connection_.reset();
  if (!directory_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }
}

std::shared_ptr<Connection> TestDatabase::connect() const { return jsorm::connect(url_); }

long long TestDatabase::count(const std::string& sql) const {
  const auto result = connection_->query(sql);
  const auto& cell = result.rows.at(0).at(0);
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  if (const auto* s = std::get_if<std::string>(&cell)) return std::stoll(*s);
  throw std::runtime_error("count query returned a non-number: " + sql);
}

MigrationSource sourceOf(std::vector<Migration> migrations, std::string table) {
  return defineMigrationSource(
      {.adapter = sqliteAdapter({.path = "unused"}), .migrations = std::move(migrations), .migrationTable = std::move(table)});
}

}  // namespace jsorm::test
