#include "file_lock.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace jsorm::sqlite {

FileLock::~FileLock() { release(); }

bool FileLock::acquire(std::chrono::milliseconds timeout) {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw ConnectionError(fmt::format("cannot create the migration lock file {}: {}", path_, std::strerror(errno)));
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::minstd_rand jitter(static_cast<unsigned>(::getpid()));
  for (;;) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      throw ConnectionError(fmt::format("cannot lock {}: {}", path_, std::strerror(errno)));
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + jitter() % 30));
  }
}

void FileLock::release() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);  // closing drops the flock
    fd_ = -1;
  }
}

}  // namespace jsorm::sqlite
