// inspect (a module's exports; inspect_details_test.cpp has the rest) and adapters (the plugins jsorm finds).

#include "cli_fixture.hpp"

#include <jsorm/version.hpp>
#include <nlohmann/json.hpp>

using namespace jsorm::cli_test;

TEST_CASE("inspect lists every export of a module with its kind and the module's ABI") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kCases});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, kCases + ": built with jsorm " JSORM_VERSION_STRING " (ABI " + std::to_string(JSORM_ABI_VERSION) + ")"));
  for (const char* source : {"goodSource", "failingSource", "duplicateSource", "noPrimaryKeySource", "badIndexSource",
                             "irreversibleSource", "unknownAdapterSource", "throwingSource", "manySource",
                             "awkwardNamesSource"}) {
    INFO(source);
    CHECK(matches(r.out, std::string("\n  ") + source + " +migration source\n"));
  }
  CHECK(matches(r.out, R"(\n  generateSource +generate source\n)"));
  // Declaration order, as written in the module.
  CHECK(r.out.find("goodSource") < r.out.find("failingSource"));
  CHECK(r.out.find("manySource") < r.out.find("generateSource"));
}

// inspect now builds each source to list its migrations: a throwing one is listed with its
// error in its entry, and the sources after it are still shown.
TEST_CASE("inspect lists a throwing source with its error and goes on to the next") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kCases});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(matches(r.out, R"(\n  throwingSource +migration source\n    error: .*could not be built\n  manySource )"));
}

TEST_CASE("inspect --json gives the module, its jsorm version, ABI and exports") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kExampleModule, "--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  nlohmann::json doc;
  REQUIRE_NOTHROW(doc = nlohmann::json::parse(r.out));
  CHECK(doc.at("module") == kExampleModule);
  CHECK(doc.at("jsormVersion") == JSORM_VERSION_STRING);
  CHECK(doc.at("abiVersion") == JSORM_ABI_VERSION);
  const auto expected = nlohmann::json::parse(R"([
    {"name": "ormSource", "kind": "migration source"},
    {"name": "postgresSource", "kind": "migration source"},
    {"name": "generateSource", "kind": "generate source"}])");
  CHECK(doc.at("exports") == expected);
}

TEST_CASE("inspect without a MODULE exits 2") {
  CliFixture f;
  const auto r = f.jsorm({"inspect"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "expected one MODULE"));
}

TEST_CASE("inspect of a module built for another ABI exits 4 naming both ABIs", "[bad-input]") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kFixtureDir + "/libfixture_abi_mismatch.so"});
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, "ABI 999"));
  CHECK(contains(r.err, "ABI " + std::to_string(JSORM_ABI_VERSION)));
  CHECK(contains(r.err, "rebuild"));
}

TEST_CASE("adapters lists the built sqlite adapter with its path") {
  CliFixture f;
  const auto r = f.jsorm({"adapters"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  const auto adapterDir = std::filesystem::path(kSqliteAdapter).parent_path().string();
  CHECK(contains(r.out, "Search path: " + adapterDir));
  CHECK(matches(r.out, R"(\n  sqlite +\S+ .*libjsorm_adapter_sqlite\.so)"));
  CHECK(contains(r.out, kSqliteAdapter));
  CHECK_FALSE(contains(r.out, "unusable"));
  CHECK_FALSE(contains(r.out, "oldabi"));
}

TEST_CASE("adapters --adapter-path shows a plugin built for another ABI as unusable") {
  CliFixture f;
  const std::string fixtureAdapters = kFixtureDir + "/adapters";
  const auto r = f.jsorm({"adapters", "--adapter-path", fixtureAdapters});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "Search path: " + fixtureAdapters + ":"));
  CHECK(matches(r.out, R"(\n  oldabi +unusable: .*ABI 999)"));
  CHECK(contains(r.out, "rebuild"));
  // The good plugin is still listed as usable after the bad one.
  CHECK(matches(r.out, R"(\n  sqlite +\S+ )"));
}

TEST_CASE("adapters searches --adapter-path, then JSORM_ADAPTER_PATH, then the installation") {
  CliFixture f;
  const std::string fromOption = f.dir.file("from-option");
  const std::string fromEnv = f.dir.file("from-env");
  std::filesystem::create_directories(fromOption);
  std::filesystem::create_directories(fromEnv);
  const auto r = f.jsorm({"adapters", "--adapter-path", fromOption, "--json"}, {{"JSORM_ADAPTER_PATH", fromEnv}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const auto adapterDir = std::filesystem::path(kSqliteAdapter).parent_path().string();
  CHECK(doc.at("searchPath") == nlohmann::json::array({fromOption, fromEnv, adapterDir}));
  // The empty directories add nothing: every adapter found is one of the build's own.
  const auto& adapters = doc.at("adapters");
  const auto sqlite = std::find_if(adapters.begin(), adapters.end(), [](const auto& a) { return a.at("name") == "sqlite"; });
  REQUIRE(sqlite != adapters.end());
  CHECK(sqlite->at("path") == kSqliteAdapter);
  CHECK(sqlite->at("problem") == "");
  for (const auto& adapter : adapters) {
    CHECK(std::filesystem::path(adapter.at("path").get<std::string>()).parent_path().string() == adapterDir);
  }
}
