// A jsorm.toml that cannot be used: exit 3, one "jsorm: error:" line naming the file (and,
// when the file can be parsed that far, the line and column), and nothing touched.

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
// The config path as jsorm reports it after finding it from the scratch directory.
std::string discoveredConfig(const ConfigFixture& f) {
  return (std::filesystem::canonical(f.dir.path()) / "jsorm.toml").string();
}
}  // namespace

TEST_CASE("a malformed jsorm.toml exits 3 with one line naming the file, line and column", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[defaults]\n"
                "migrationSource = \"main\"\n"
                "[migrationSources.main\n"
                "module = \"" + kCases + "\"\n"
                "export = \"goodSource\"\n");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, discoveredConfig(f) + ":3:"));
  CHECK(matches(r.err, R"(jsorm\.toml:3:\d+)"));
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a malformed config found from a sub-folder is still named with its line", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[defaults]\nmigrationSource = \"main\"\n\n\nmodule = = 1\n");
  f.mkdirs("a/b");
  const auto r = f.runIn("a/b", {"migrate:status"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, discoveredConfig(f) + ":5:"));
}

TEST_CASE("a malformed config given with --config is named as given, with its line", "[bad-input]") {
  ConfigFixture f;
  const std::string file = f.write("conf/broken.toml", "[migrationSources.main]\nmodule = \"unterminated\n");
  const auto r = f.run({"migrate", "--config", file});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(matches(r.err, "broken\\.toml:2:\\d+"));
  CHECK(contains(r.err, "conf/broken.toml"));
}

TEST_CASE("a module that is a number exits 3 naming the file, its line and the key", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[defaults]\n"
                "migrationSource = \"main\"\n"
                "[migrationSources.main]\n"
                "module = 42\n"
                "export = \"goodSource\"\n");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, discoveredConfig(f) + ":4:"));
  CHECK(contains(r.err, "module"));
  CHECK(contains(r.err, "string"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("an environment that is not a string exits 3 naming the file and line", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[defaults]\nmigrationSource = \"main\"\nenvironment = true\n\n" + sourceTable("main", "goodSource"));
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, discoveredConfig(f) + ":3:"));
  CHECK(contains(r.err, "environment"));
}

TEST_CASE("a source table without an export key exits 3 naming the table and the key", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[defaults]\nmigrationSource = \"main\"\n[migrationSources.main]\nmodule = \"" + kCases + "\"\n");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "export"));
  CHECK(contains(r.err, "migrationSources.main"));
  CHECK(contains(r.err, "jsorm.toml"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a source table without a module key exits 3 naming the key", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("[migrationSources.main]\nexport = \"goodSource\"\n");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "module"));
  CHECK(contains(r.err, "migrationSources.main"));
}

TEST_CASE("option --config naming a file that does not exist exits 3: no such file", "[bad-input]") {
  ConfigFixture f;
  const auto r = f.run({"migrate", "--config", "/nonexistent/jsorm.toml"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "/nonexistent/jsorm.toml"));
  CHECK(contains(r.err, "no such file"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("$JSORM_CONFIG naming a file that does not exist exits 3: no such file", "[bad-input]") {
  ConfigFixture f;
  f.writeSimpleConfig();  // must not be used instead
  const auto r = f.run({"migrate"}, {{"JSORM_CONFIG", f.path("missing.toml")}});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "missing.toml"));
  CHECK(contains(r.err, "no such file"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("option --config naming a directory exits 3 naming it", "[bad-input]") {
  ConfigFixture f;
  const std::string folder = f.mkdirs("confdir");
  const auto r = f.run({"migrate", "--config", folder});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "confdir"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}
