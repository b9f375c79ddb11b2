// libFuzzer target: the generator's snapshot parser (core/src/snapshot_read.cpp and snapshot_write.cpp).
// A snapshot file is user-editable; any content must either parse or throw a jsorm::Error
// naming the file. What parses must also survive a write/read round trip unchanged, or
// migrate:generate would see phantom changes after rewriting the snapshot.
#include <jsorm/error.hpp>
#include <jsorm/snapshot.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  jsorm::SchemaSnapshot snapshot;
  try {
    snapshot = jsorm::parseSnapshot(text, "fuzz.json");
  } catch (const jsorm::Error&) {
    return 0;
  }
  const std::string written = jsorm::toJson(snapshot);
  std::string rewritten;
  try {
    rewritten = jsorm::toJson(jsorm::parseSnapshot(written, "rewritten.json"));
  } catch (const jsorm::Error& e) {
    std::fprintf(stderr, "a snapshot jsorm wrote does not parse: %s\n%s\n", e.what(), written.c_str());
    std::abort();
  }
  if (rewritten != written) {
    std::fprintf(stderr, "snapshot round trip changed it:\n%s\n---\n%s\n", written.c_str(), rewritten.c_str());
    std::abort();
  }
  return 0;
}
