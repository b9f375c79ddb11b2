#pragma once
// MariaDB scratch databases for the reliability suites: a database of its own per trial on
// the standalone server (JSORM_TEST_MYSQL_URL) or on the Galera cluster
// (JSORM_TEST_GALERA_URLS, created on node 1; its DDL replicates to the others).

#include "cli_fixture.hpp"

#include <jsorm/runtime.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace jsorm::reliability {

/// The standalone server's URL. Never a silent skip: without the server a test fails.
inline std::string mysqlServerUrl() {
  const char* url = std::getenv("JSORM_TEST_MYSQL_URL");
  if (!url || !*url) FAIL("JSORM_TEST_MYSQL_URL is not set; run scripts/test.sh, which starts a throwaway MariaDB");
  return url;
}

/// The Galera nodes' URLs, node 1 first. Fails without the cluster.
inline std::vector<std::string> galeraNodeUrls() {
  const char* urls = std::getenv("JSORM_TEST_GALERA_URLS");
  if (!urls || !*urls) {
    FAIL("JSORM_TEST_GALERA_URLS is not set; run scripts/test.sh, which starts a throwaway 3-node Galera cluster");
  }
  std::vector<std::string> nodes;
  std::istringstream words(urls);
  for (std::string url; words >> url;) nodes.push_back(url);
  if (nodes.size() != 3) FAIL("JSORM_TEST_GALERA_URLS must hold 3 URLs, one per node; it holds " << nodes.size());
  return nodes;
}

/// Opens a connection the way an application would, finding the adapters next to the build.
inline std::shared_ptr<jsorm::Connection> openUrl(const std::string& url) {
  jsorm::RuntimeOptions options;
  options.adapterPath = {std::filesystem::path(cli_test::kSqliteAdapter).parent_path().string()};
  return jsorm::connect(url, options);
}

/// A database created for one trial on the given server nodes (one, or Galera's three) and
/// dropped after it. Checks read through node 1; on Galera with wsrep_sync_wait, so they
/// see every write any node committed before.
class MysqlScratchDatabase {
 public:
  explicit MysqlScratchDatabase(std::vector<std::string> serverUrls) : galera_(serverUrls.size() > 1) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("jsorm_rel_{}_{}", ::getpid(), counter++);
    admin_ = openUrl(serverUrls.front());
    admin_->execute("CREATE DATABASE `" + name_ + "`");
    for (const auto& server : serverUrls) urls_.push_back(server.substr(0, server.rfind('/') + 1) + name_);
    // A node applies replicated DDL a moment after node 1 returned: wait until each knows
    // the database, so a runner connecting to it right away finds it.
    for (std::size_t node = 1; node < urls_.size(); ++node) connectWhenReplicated(urls_[node]);
    db_ = openUrl(urls_.front());
    if (galera_) db_->execute("SET SESSION wsrep_sync_wait = 15");
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

  /// The database's URL on node `node` (counted from 0, modulo the node count).
  std::string url(int node = 0) const { return urls_.at(static_cast<std::size_t>(node) % urls_.size()); }
  jsorm::Connection& db() { return *db_; }
  bool galera() const { return galera_; }

 private:
  static void connectWhenReplicated(const std::string& url) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
      try {
        openUrl(url);
        return;
      } catch (const std::exception&) {
        if (std::chrono::steady_clock::now() > deadline) FAIL("a new database did not reach every Galera node in 30 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  bool galera_;
  std::string name_;
  std::vector<std::string> urls_;
  std::shared_ptr<jsorm::Connection> admin_;
  std::shared_ptr<jsorm::Connection> db_;
};

}  // namespace jsorm::reliability
