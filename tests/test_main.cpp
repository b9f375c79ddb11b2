#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>

namespace {
// The jsorm processes the tests start remember source checksums (plugins/src/checksum_cache.hpp)
// in the build tree, not in the user's ~/.cache; a test may still point JSORM_CACHE_DIR elsewhere.
const bool kCacheInBuildTree = [] { return ::setenv("JSORM_CACHE_DIR", JSORM_TEST_CACHE_DIR, 0) == 0; }();
}  // namespace
