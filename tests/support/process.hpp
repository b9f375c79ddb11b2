#pragma once
// Runs a program as a child process and captures what it printed.

#include <map>
#include <string>
#include <vector>

namespace jsorm::test {

struct ProcessResult {
  int exitCode = -1;  ///< -signal when killed by a signal
  std::string out;
  std::string err;

  /// stderr split into lines, without the trailing empty one.
  std::vector<std::string> errLines() const;
};

struct ProcessOptions {
  std::string workingDirectory;
  /// Variables to set (empty value: unset) on top of this process's environment.
  std::map<std::string, std::string> environment;
};

/// Runs `program args...` and waits for it. Standard input is /dev/null.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const ProcessOptions& options = {});

/// Starts a process without waiting; returns its pid. Output goes to the given files.
int spawnProcess(const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options,
                 const std::string& outFile, const std::string& errFile);
/// Waits for a pid from spawnProcess and returns its exit code (-signal when killed).
int waitProcess(int pid);

/// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const noexcept { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A password for a test to hand to jsorm and then check it is never printed: `label`,
/// '-', and this run's secret ($JSORM_TEST_SECRET, set by scripts/test.sh, which searches
/// every output for it; else random per process). Never a word that occurs by chance.
std::string testSecret(const std::string& label);

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& contents);

}  // namespace jsorm::test
