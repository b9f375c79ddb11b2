#include "advisory_lock.hpp"

#include <random>

namespace jsorm::pg {

std::int64_t advisoryLockKey(std::string_view key) noexcept {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
  };
  mix("jsorm:");
  mix(key);
  return static_cast<std::int64_t>(hash);  // modular since C++20
}

std::chrono::milliseconds lockPollInterval() {
  thread_local std::minstd_rand random{std::random_device{}()};
  return std::chrono::milliseconds(std::uniform_int_distribution<int>(40, 60)(random));
}

}  // namespace jsorm::pg
