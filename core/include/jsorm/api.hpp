#pragma once
/// Symbol visibility and the versioned namespace shared by every public header.

#define JSORM_API __attribute__((visibility("default")))
#define JSORM_HIDDEN __attribute__((visibility("hidden")))

// The inline namespace changes with the ABI version, so a module built against another
// ABI fails to resolve symbols at load time instead of corrupting memory.
#define JSORM_NAMESPACE_BEGIN \
  namespace jsorm {           \
  inline namespace v1 {
#define JSORM_NAMESPACE_END \
  }                         \
  }
