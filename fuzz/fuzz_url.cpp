// libFuzzer target: connection URL handling, where a bug prints a password. Covers the
// host's URL helpers (plugins/src/connection_url.cpp) and the one redaction module
// (core/src/redaction.cpp) on arbitrary strings.
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
[[noreturn]] void fail(const char* what, const std::string& input, const std::string& output) {
  std::fprintf(stderr, "%s\ninput:  %s\noutput: %s\n", what, input.c_str(), output.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url(reinterpret_cast<const char*>(data), size);

  (void)jsorm::pluginForUrl(url);
  // The host's redaction must remove the password its own parser finds. Only passwords that
  // occur once and are not tiny are checked: "pw" may also be part of the host name.
  const std::string redacted = jsorm::redactUrl(url);
  const std::string password = jsorm::passwordIn(url);
  if (password.size() >= 6 && password.find('*') == std::string::npos && url.find(password) == url.rfind(password) &&
      redacted.find(password) != std::string::npos) {
    fail("redactUrl left the password in", url, redacted);
  }

  // The adapter scrubs each secret it finds out of every message; after scrubbing, none of
  // them may still be visible. (Secrets containing '*' are skipped: the "***" that replaces
  // a neighbour can rebuild them, and such a password is not shown whole anyway.)
  (void)jsorm::ambiguousUserInfo(url);
  (void)jsorm::conninfoProblem(url);
  const auto secrets = jsorm::secretsIn(url);
  const std::string message = "could not connect to " + url + " (" + url + ")";
  const std::string scrubbed = jsorm::scrubSecrets(message, secrets);
  for (const auto& secret : secrets) {
    if (!secret.empty() && secret.find('*') == std::string::npos && scrubbed.find(secret) != std::string::npos) {
      fail("scrub left a secret in", url, scrubbed);
    }
  }
  return 0;
}
