// libFuzzer target: jsorm.toml loading (cli/src/config.cpp) on arbitrary bytes.
// Whatever the file holds, loading it and expanding its values either works or throws a
// jsorm::Error (the CLI turns that into exit 3); anything else escaping is a bug that would
// surface as "internal error" (exit 1) or a crash.
#include "config.hpp"

#include <jsorm/error.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {
// loadConfig reads a file, so each input is written to one per process.
const std::string& scratchFile() {
  static const std::string path = "/tmp/jsorm-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  return path;
}

void use(const jsorm::cli::SourceEntry& entry) {
  try {
    (void)entry.modulePath();
    (void)entry.exportSymbol();
    (void)entry.connectionUrl();
  } catch (const jsorm::Error&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A fixed environment for ${VAR} expansion, so a crash reproduces anywhere.
  ::setenv("JSORM_FUZZ_SET", "value", 1);
  ::unsetenv("JSORM_FUZZ_UNSET");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratchFile(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto config = jsorm::cli::loadConfig(scratchFile());
    for (const auto& [_, entry] : config.migrationSources) use(entry);
    for (const auto& [_, entry] : config.generateSources) use(entry);
    for (const bool generate : {false, true}) {
      try {
        (void)jsorm::cli::selectSource(config, "", generate);
      } catch (const jsorm::Error&) {
      }
    }
  } catch (const jsorm::Error&) {
  }
  return 0;
}
