// jsorm --version, --help, COMMAND --help, and command lines that say nothing useful.

#include "cli_fixture.hpp"

#include <jsorm/version.hpp>

using namespace jsorm::cli_test;

TEST_CASE("jsorm --version prints the version and the plugin ABI") {
  CliFixture f;
  const auto r = f.jsorm({"--version"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(r.out == "jsorm " JSORM_VERSION_STRING " (plugin ABI " + std::to_string(JSORM_ABI_VERSION) + ")\n");
  CHECK(r.err.empty());
}

TEST_CASE("jsorm --help lists every command and the exit codes") {
  CliFixture f;
  const auto r = f.jsorm({"--help"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(r.err.empty());
  for (const char* command : {"migrate", "migrate:up", "migrate:down", "migrate:status", "inspect", "adapters"}) {
    INFO(command);
    // Each command starts a line of its own in the command list.
    CHECK(matches(r.out, std::string("\n  ") + command + " +[A-Z]"));
  }
  CHECK(contains(r.out, "Exit codes:"));
  for (const char* code : {"0 ok", "1 internal error", "2 usage", "3 config", "4 module", "5 schema definition",
                           "6 connection/adapter", "7 migration failed or refused", "8 production guard",
                           "10 status not current"}) {
    INFO(code);
    CHECK(contains(r.out, code));
  }
}

TEST_CASE("jsorm migrate --help shows the connection and run options") {
  CliFixture f;
  const auto r = f.jsorm({"migrate", "--help"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(contains(r.out, "jsorm migrate [MODULE SYMBOL]"));
  for (const char* option : {"--url", "--adapter-path", "--lock-timeout", "--dry-run", "--quiet", "--verbose"}) {
    INFO(option);
    CHECK(contains(r.out, option));
  }
}

TEST_CASE("jsorm COMMAND --help shows only the options that command takes") {
  CliFixture f;
  const auto status = f.jsorm({"migrate:status", "--help"});
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "--url"));
  CHECK(contains(status.out, "--json"));
  CHECK_FALSE(contains(status.out, "--dry-run"));

  const auto inspect = f.jsorm({"inspect", "--help"});
  INFO(describe(inspect));
  CHECK(inspect.exitCode == 0);
  CHECK(contains(inspect.out, "jsorm inspect MODULE"));
  CHECK_FALSE(contains(inspect.out, "--url"));
  CHECK_FALSE(contains(inspect.out, "--dry-run"));
}

TEST_CASE("jsorm without arguments prints the help on stderr and exits 2") {
  CliFixture f;
  const auto r = f.jsorm({});
  INFO(describe(r));
  CHECK(r.exitCode == 2);
  CHECK(r.out.empty());
  CHECK(contains(r.err, "Usage: jsorm COMMAND"));
}

TEST_CASE("an unknown command exits 2 with one error line naming it", "[bad-input]") {
  CliFixture f;
  const auto r = f.jsorm({"frobnicate"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "unknown command 'frobnicate'"));
  CHECK(contains(r.err, "jsorm --help"));
  CHECK(r.out.empty());
}

TEST_CASE("migrate with only a MODULE exits 2 asking for MODULE SYMBOL", "[bad-input]") {
  CliFixture f;
  const auto r = f.jsorm({"migrate", kCases});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "expected MODULE SYMBOL"));
  CHECK(contains(r.err, "jsorm migrate --help"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("an unknown option exits 2 with one error line naming it", "[bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--frobnicate"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "--frobnicate"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("an option another command owns is refused with exit 2") {
  CliFixture f;
  const auto r = f.cases("migrate:status", "goodSource", {"--dry-run"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "--dry-run"));
}
