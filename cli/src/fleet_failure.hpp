#pragma once
// A command's failure as one exit code and one line: what `jsorm` prints for a single
// database, and what a fleet's report shows for each target.

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
