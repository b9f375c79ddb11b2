#pragma once
// PostgreSQL scratch databases for process tests: each test gets a database of its own on
// the server scripts/test.sh starts, so PostgreSQL tests run in parallel with the rest.

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
inline std::string serverUrl() {
  const char* url = std::getenv("JSORM_TEST_PG_URL");
  if (!url || !*url) FAIL("JSORM_TEST_PG_URL is not set; run scripts/test.sh, which starts a throwaway PostgreSQL");
  return url;
}

/// A database created for one test and dropped after it.
class ScratchDatabase {
 public:
  ScratchDatabase() {
    static std::atomic<int> counter{0};
    const std::string server = serverUrl();
    name_ = fmt::format("jsorm_cli_{}_{}", ::getpid(), counter++);
    admin_ = jsorm::connect(server);
    admin_->execute("CREATE DATABASE " + name_);
    url_ = server.substr(0, server.rfind('/') + 1) + name_;
    db_ = jsorm::connect(url_);
  }
  ~ScratchDatabase() {
    db_.reset();
    try {
      admin_->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  jsorm::Connection& db() { return *db_; }
  std::int64_t count(const std::string& sql) { return std::get<std::int64_t>(db_->query(sql).rows.at(0).at(0)); }

 private:
  std::string name_;
  std::string url_;
  std::shared_ptr<jsorm::Connection> admin_;
  std::shared_ptr<jsorm::Connection> db_;
};

}  // namespace jsorm::cli_test
