#pragma once
/// How the runtime connects and runs: shared by jsorm::connect (database.hpp) and
/// jsorm::migrate (runtime.hpp).

#include <jsorm/api.hpp>
#include <jsorm/runner.hpp>

#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

struct RuntimeOptions {
  /// Replaces the source's connection (`sqlite:path`, `postgres://...`); its scheme may
  /// switch the adapter.
  std::string url;
  /// Searched before $JSORM_ADAPTER_PATH and the installation's adapter folder.
  std::vector<std::string> adapterPath;
  RunOptions run;
};

JSORM_NAMESPACE_END
