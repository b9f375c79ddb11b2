#pragma once
// A target's failure as the report shows it: the exit code the single-target command would
// have returned, and its one-line message.

#include <exception>
#include <string>

namespace jsorm::cli {

struct TargetFailure {
  int exitCode;
  std::string message;
};

/// Classifies the exception `error` holds the way `jsorm` classifies a command's failure
/// (docs/cli.md, "Exit codes"). The message is not yet scrubbed of secrets.
TargetFailure describeFailure(const std::exception_ptr& error);

}  // namespace jsorm::cli
