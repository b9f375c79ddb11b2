#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace jsorm::cli {

Output::Output() {
  // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
  const char* noColour = std::getenv("NO_COLOR");
  colour_ = ::isatty(STDOUT_FILENO) && !(noColour && *noColour);
}

void Output::addSecret(std::string secret) {
  if (secret.size() >= 2 && std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
    secrets_.push_back(std::move(secret));
  }
}

std::string Output::scrub(std::string text) const {
  for (const auto& secret : secrets_) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

std::string Output::paint(const char* code, const std::string& text) const {
  return colour_ ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

void Output::line(const std::string& text) {
  if (quiet_) return;
  result(text);
}

void Output::result(const std::string& text) {
  std::fputs(scrub(text).c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void Output::error(const std::string& message) {
  std::string text = scrub(message);
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::fflush(stdout);
  std::fprintf(stderr, "jsorm: error: %s\n", text.c_str());
}

void Output::warning(const std::string& message) {
  std::string text = scrub(message);
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::fprintf(stderr, "jsorm: warning: %s\n", text.c_str());
}

}  // namespace jsorm::cli
