#pragma once
// A MariaDB server of one test's own, started with scripts/mariadb-test-server.sh, that the
// test may crash (kill -9) and bring back on the same data directory and port: the shared
// server of $JSORM_TEST_MYSQL_URL must never be killed under the other tests.

#include "cli_fixture.hpp"

#include <jsorm/runtime.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>

namespace jsorm::cli_test {

inline const std::string kMariadbServerScript = std::string(JSORM_SCRIPTS_DIR) + "/mariadb-test-server.sh";

class PrivateMariadbServer {
 public:
  PrivateMariadbServer() {
    // Short: the server's Unix socket lives in it (sun_path holds 107 bytes).
    std::string pattern = "/tmp/jsorm-my-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    // The script prints the URL, password included: it goes to /dev/null, not to the
    // process log that scripts/test.sh searches for test passwords.
    const auto started =
        jsorm::test::runProcess("/bin/bash", {"-c", "exec \"$0\" start \"$1\" >/dev/null", kMariadbServerScript, dir_});
    INFO("mariadb-test-server.sh start: exit " << started.exitCode << "\n" << started.err);
    REQUIRE(started.exitCode == 0);
    url_ = envValue("JSORM_TEST_MYSQL_URL");
    REQUIRE_FALSE(url_.empty());
  }
  ~PrivateMariadbServer() {
    jsorm::test::runProcess("/bin/bash", {kMariadbServerScript, "stop", dir_});
    if (relaunched_ > 0) jsorm::test::waitProcess(relaunched_);  // reap the server this test started itself
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PrivateMariadbServer(const PrivateMariadbServer&) = delete;
  PrivateMariadbServer& operator=(const PrivateMariadbServer&) = delete;

  /// mysql://jsorm:PASSWORD@127.0.0.1:PORT/jsorm_test
  const std::string& url() const { return url_; }

  /// kill -9 of the server process: no shutdown, clients see the connection drop. Keeps
  /// its command line so restart() runs the same server on the same datadir and port.
  void crash() {
    const int pid = serverPid();
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    std::string arg;
    command_.clear();
    while (std::getline(cmdline, arg, '\0')) command_.push_back(arg);
    executable_ = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe").string();
    REQUIRE(command_.size() > 1);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    waitUntil([&] { return !alive(pid); }, "the killed server to exit");
  }

  /// Starts the crashed server again (InnoDB recovers) and waits until it takes connections.
  void restart() {
    REQUIRE_FALSE(command_.empty());
    jsorm::test::ProcessOptions options;
    options.workingDirectory = dir_;
    relaunched_ = jsorm::test::spawnProcess(executable_, {command_.begin() + 1, command_.end()}, options,
                                            dir_ + "/restart.out", dir_ + "/restart.err");
    waitUntil(
        [&] {
          try {
            jsorm::connect(url_)->query("SELECT 1");
            return true;
          } catch (const std::exception&) {
            return false;
          }
        },
        "the restarted server to take connections");
  }

 private:
  std::string envValue(const std::string& key) const {
    std::ifstream env(dir_ + "/env");
    std::string line;
    while (std::getline(env, line)) {
      if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
    }
    return {};
  }

  int serverPid() const {
    const std::string text = readFile(dir_ + "/pid");
    const int pid = std::atoi(text.c_str());
    REQUIRE(pid > 0);
    return pid;
  }

  /// Running and not a zombie: a killed server whose parent already exited waits for init to reap it.
  static bool alive(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    if (text.empty()) return false;
    const auto close = text.rfind(')');
    return close == std::string::npos || close + 2 >= text.size() || text[close + 2] != 'Z';
  }

  template <typename Condition>
  static void waitUntil(Condition condition, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("timed out after 120 s waiting for " << what);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string dir_;
  std::string url_;
  std::vector<std::string> command_;
  std::string executable_;
  int relaunched_ = 0;
};

}  // namespace jsorm::cli_test
