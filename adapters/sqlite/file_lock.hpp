#pragma once
// An advisory lock on a side file, held across several SQLite transactions. The kernel
// releases it when the process dies, so a killed runner never leaves the database locked.

#include <chrono>
#include <string>

namespace jsorm::sqlite {

class FileLock {
 public:
  explicit FileLock(std::string path) : path_(std::move(path)) {}
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  /// Waits up to `timeout` for the lock; returns false when it is still held elsewhere.
  bool acquire(std::chrono::milliseconds timeout);
  void release() noexcept;
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace jsorm::sqlite
