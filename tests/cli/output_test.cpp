// What migrate prints: --verbose statements, --quiet silence, and colour only for a terminal.

#include "cli_fixture.hpp"

#include <cerrno>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace jsorm::cli_test;

namespace {
// Runs jsorm with stdout and stderr on a pseudo-terminal, as a person at a terminal would.
ProcessResult runOnTerminal(const CliFixture& f, const std::vector<std::string>& args, const Env& env) {
  Env environment{{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"NO_COLOR", ""}, {"FIXTURE_DB", f.db}};
  for (const auto& [name, value] : env) environment[name] = value;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(f.dir.path().c_str()) != 0) ::_exit(126);
    for (const auto& [name, value] : environment) {
      if (value.empty()) ::unsetenv(name.c_str());
      else ::setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> argv{const_cast<char*>(kJsorm.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(kJsorm.c_str(), argv.data());
    ::_exit(127);
  }
  ProcessResult result;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n > 0) result.out.append(buffer, static_cast<std::size_t>(n));
    else if (n < 0 && errno == EINTR) continue;
    else break;  // EIO once the child closed the terminal
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}
}  // namespace

TEST_CASE("migrate --verbose prints every statement as it runs") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--verbose"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "CREATE TABLE IF NOT EXISTS \"jsorm_migrations\""));
  CHECK(contains(r.out, "CREATE TABLE \"accounts\""));
  CHECK(contains(r.out, "INSERT INTO accounts (handle) VALUES ('admin');"));
  CHECK(contains(r.out, "BEGIN;"));
  CHECK(contains(r.out, "COMMIT;"));
  CHECK(matches(r.out, R"(applied +seed-account \(\d+ ms\))"));
  CHECK(trackedNames(f.db).size() == 3);
}

TEST_CASE("migrate without --verbose prints no statements") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK_FALSE(contains(r.out, "CREATE TABLE"));
  CHECK_FALSE(contains(r.out, "BEGIN"));
}

TEST_CASE("migrate --quiet prints nothing on stdout and still migrates") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--quiet"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK(trackedNames(f.db).size() == 3);

  const auto down = f.cases("migrate:down", "goodSource", {"-q"});
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(down.out.empty());
  CHECK(trackedNames(f.db).empty());
}

TEST_CASE("migrate --quiet still reports an error on stderr") {
  CliFixture f;
  const auto r = f.cases("migrate", "failingSource", {"--quiet"});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(r.out.empty());
}

TEST_CASE("output to a file or pipe is never coloured") {
  CliFixture f;
  for (const auto& env : {Env{}, Env{{"NO_COLOR", "1"}}}) {
    const auto migrate = f.cases("migrate", "goodSource", {}, env);
    INFO(describe(migrate));
    REQUIRE(migrate.exitCode == 0);
    CHECK_FALSE(contains(migrate.out, "\x1b["));
    const auto status = f.cases("migrate:status", "goodSource", {}, env);
    INFO(describe(status));
    CHECK(status.exitCode == 0);
    CHECK_FALSE(contains(status.out, "\x1b["));
    const auto down = f.cases("migrate:down", "goodSource", {}, env);
    CHECK_FALSE(contains(down.out, "\x1b["));
  }
}

TEST_CASE("a terminal gets colour unless NO_COLOR or --no-color says otherwise") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const std::vector<std::string> status{"migrate:status", kCases, "goodSource"};

  const auto coloured = runOnTerminal(f, status, {});
  INFO(coloured.out);
  CHECK(coloured.exitCode == 0);
  CHECK(contains(coloured.out, "\x1b[32mapplied"));

  const auto noColorEnv = runOnTerminal(f, status, {{"NO_COLOR", "1"}});
  INFO(noColorEnv.out);
  CHECK(noColorEnv.exitCode == 0);
  CHECK(contains(noColorEnv.out, "applied"));
  CHECK_FALSE(contains(noColorEnv.out, "\x1b["));

  auto withFlag = status;
  withFlag.push_back("--no-color");
  const auto noColorFlag = runOnTerminal(f, withFlag, {});
  INFO(noColorFlag.out);
  CHECK(noColorFlag.exitCode == 0);
  CHECK(contains(noColorFlag.out, "applied"));
  CHECK_FALSE(contains(noColorFlag.out, "\x1b["));
}
