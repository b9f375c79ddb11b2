#include "process.hpp"

#include <catch2/catch.hpp>

TEST_CASE("jsorm --version prints the version and the plugin ABI") {
  const auto result = jsorm::test::runProcess(JSORM_BIN, {"--version"});
  CHECK(result.exitCode == 0);
  CHECK(result.out.find("jsorm 0.1.0 (plugin ABI 1)") != std::string::npos);
}
