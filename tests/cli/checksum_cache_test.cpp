// migrate:status compares applied checksums with ones remembered from an earlier validation
// of the same code, environment and folder (plugins/src/checksum_cache.hpp), instead of
// building every migration again; an edited migration must still show as changed.

#include "config_fixture.hpp"

#include <filesystem>
#include <regex>

using namespace jsorm::cli_test;

namespace {
std::vector<std::filesystem::path> entries(const std::string& cache) {
  std::vector<std::filesystem::path> found;
  if (!std::filesystem::exists(cache + "/checksums")) return found;
  for (const auto& file : std::filesystem::directory_iterator(cache + "/checksums")) found.push_back(file.path());
  return found;
}
}  // namespace

TEST_CASE("migrate:status takes the checksums migrate remembered, and still reports an edited migration as changed") {
  ConfigFixture f;
  const std::string cache = f.path("cache");
  const Env env{{"JSORM_CACHE_DIR", cache}};
  REQUIRE_OK(f.legacy("migrate", "evolvingSource", {}, env));
  const auto written = entries(cache);
  REQUIRE(written.size() == 1);

  auto status = f.legacy("migrate:status", "evolvingSource", {}, env);
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "3 applied, 0 pending, 0 changed, 0 missing"));
  CHECK(entries(cache).size() == 1);

  // The entry is what status compared with: a checksum altered there reads as a change.
  const std::string original = readFile(written.front().string());
  const std::string altered = std::regex_replace(original, std::regex("(create-notes\t)[0-9a-f]+"), "$1ffffffffffffffff");
  REQUIRE(altered != original);
  writeFile(written.front().string(), altered);
  status = f.legacy("migrate:status", "evolvingSource", {}, env);
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(matches(status.out, R"(create-notes +changed)"));

  // With the cache off, the source is built and checked afresh.
  status = f.legacy("migrate:status", "evolvingSource", {}, {{"JSORM_CACHE_DIR", "off"}});
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  writeFile(written.front().string(), original);

  // A migration edited through the environment is other inputs, so another entry: the edit
  // is found although an entry for the unedited source exists.
  Env edited = env;
  edited["FIXTURE_VARIANT"] = "2";
  for (int run = 0; run < 2; ++run) {  // the first run writes its entry, the second reads it
    status = f.legacy("migrate:status", "evolvingSource", {}, edited);
    INFO("run " << run << ": " << describe(status));
    CHECK(status.exitCode == 10);
    CHECK(matches(status.out, R"(add-note-title +changed +1)"));
    CHECK(contains(status.out, "2 applied, 0 pending, 1 changed, 0 missing"));
  }
  CHECK(entries(cache).size() == 2);
  // The environment's values (secrets included) are hashed into the key, never written.
  for (const auto& entry : entries(cache)) CHECK_FALSE(contains(readFile(entry.string()), "FIXTURE_VARIANT"));
}

TEST_CASE("a checksum cache entry that is cut short or malformed is ignored, not trusted") {
  ConfigFixture f;
  const std::string cache = f.path("cache");
  const Env env{{"JSORM_CACHE_DIR", cache}};
  REQUIRE_OK(f.legacy("migrate", "evolvingSource", {}, env));
  const auto written = entries(cache);
  REQUIRE(written.size() == 1);
  const std::string original = readFile(written.front().string());
  for (const std::string& broken : {original.substr(0, original.size() / 2), std::string("garbage\n"), std::string()}) {
    writeFile(written.front().string(), broken);
    const auto status = f.legacy("migrate:status", "evolvingSource", {}, env);
    INFO(describe(status));
    CHECK(status.exitCode == 0);
    CHECK(contains(status.out, "3 applied, 0 pending, 0 changed, 0 missing"));
    // Computed again and written back whole.
    CHECK(readFile(written.front().string()) == original);
  }
}
