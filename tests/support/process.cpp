#include "process.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace jsorm::test {

namespace {
// With JSORM_TEST_PROCESS_LOG set (scripts/test.sh sets it), everything each child printed
// is appended there, so the whole suite's output can be searched for secrets afterwards,
// including output the tests captured and never showed.
void logOutput(const std::string& text) {
  const char* log = std::getenv("JSORM_TEST_PROCESS_LOG");
  if (!log || !*log || text.empty()) return;
  const int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

// Output files of spawned processes, logged when they are reaped.
std::mutex spawnedMutex;
std::map<int, std::pair<std::string, std::string>> spawnedOutput;
}  // namespace

std::vector<std::string> ProcessResult::errLines() const {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int spawnProcess(const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options,
                 const std::string& outFile, const std::string& errFile) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (!options.workingDirectory.empty() && ::chdir(options.workingDirectory.c_str()) != 0) ::_exit(126);
    for (const auto& [name, value] : options.environment) {
      if (value.empty()) ::unsetenv(name.c_str());
      else ::setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  std::lock_guard lock(spawnedMutex);
  spawnedOutput[pid] = {outFile, errFile};
  return pid;
}

int waitProcess(int pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  }
  {
    std::lock_guard lock(spawnedMutex);
    if (const auto it = spawnedOutput.find(pid); it != spawnedOutput.end()) {
      logOutput(readFile(it->second.first) + readFile(it->second.second));
      spawnedOutput.erase(it);
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const ProcessOptions& options) {
  TempDir capture;
  const std::string outFile = capture.file("stdout");
  const std::string errFile = capture.file("stderr");
  ProcessResult result;
  result.exitCode = waitProcess(spawnProcess(program, args, options, outFile, errFile));
  result.out = readFile(outFile);
  result.err = readFile(errFile);
  return result;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "jsorm-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace jsorm::test

namespace jsorm::test {

std::string testSecret(const std::string& label) {
  static const std::string runSecret = [] {
    if (const char* set = std::getenv("JSORM_TEST_SECRET"); set && std::strlen(set) >= 16) return std::string(set);
    std::random_device device;
    char hex[33];
    std::snprintf(hex, sizeof hex, "%08x%08x%08x%08x", device(), device(), device(), device());
    return std::string(hex);
  }();
  return label + "-" + runSecret;
}

}  // namespace jsorm::test
