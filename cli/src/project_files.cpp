#include "project_files.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace jsorm::cli {

void createParent(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
}

namespace {
[[noreturn]] void cannotWrite(const std::filesystem::path& path) {
  throw ConfigError(fmt::format("cannot write {}: {}; check the folder and its permissions", path.string(),
                                std::strerror(errno)));
}

void writeAll(int fd, const std::string& text, const std::filesystem::path& path) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      cannotWrite(path);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) cannotWrite(path);
}

}  // namespace

void replaceFile(const std::filesystem::path& path, const std::string& text) {
  createParent(path);
  const std::string temporary = path.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannotWrite(path);
  writeAll(fd, text, path);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    cannotWrite(path);
  }
}

bool createNewFile(const std::filesystem::path& path, const std::string& text) {
  createParent(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) return false;
  if (fd < 0) cannotWrite(path);
  writeAll(fd, text, path);
  return true;
}

std::string utcStamp(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

}  // namespace jsorm::cli
