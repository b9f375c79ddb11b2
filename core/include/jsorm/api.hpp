#pragma once
/// Symbol visibility and the versioned namespace shared by every public header.

#include <jsorm/version.hpp>

#define JSORM_API __attribute__((visibility("default")))
#define JSORM_HIDDEN __attribute__((visibility("hidden")))

#define JSORM_DETAIL_CONCAT2(a, b) a##b
#define JSORM_DETAIL_CONCAT(a, b) JSORM_DETAIL_CONCAT2(a, b)

// The inline namespace is named after the ABI version (v1 for ABI 1), so a module built
// against another ABI fails to resolve symbols at load time instead of corrupting memory.
// JSORM_ABI_VERSION is its one source.
#define JSORM_NAMESPACE_BEGIN \
  namespace jsorm {           \
  inline namespace JSORM_DETAIL_CONCAT(v, JSORM_ABI_VERSION) {
#define JSORM_NAMESPACE_END \
  }                         \
  }
