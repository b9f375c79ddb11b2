#include "output.hpp"

#include <jsorm/redaction.hpp>

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

std::string Output::scrub(std::string text) const { return scrubSecrets(std::move(text), secrets_); }

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

namespace {
// An error is one line a person reads: a statement of thousands of table names, or a
// database message quoting one, is cut (on a UTF-8 character boundary) and says how much.
constexpr std::size_t kMaxMessageBytes = 2000;

std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  if (text.size() <= kMaxMessageBytes) return text;
  std::size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const std::size_t dropped = text.size() - cut;
  text.resize(cut);
  text += fmt::format("... ({} more bytes)", dropped);
  return text;
}
}  // namespace

void Output::error(const std::string& message) {
  const std::string text = oneLine(scrub(message));
  std::fflush(stdout);
  std::fprintf(stderr, "jsorm: error: %s\n", text.c_str());
}

void Output::warning(const std::string& message) {
  const std::string text = oneLine(scrub(message));
  std::fprintf(stderr, "jsorm: warning: %s\n", text.c_str());
}

namespace {
bool isCombining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200B || c == 0x200D ||
         (c >= 0xFE00 && c <= 0xFE0F);
}

bool isWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}
}  // namespace

std::size_t displayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    if (length == 1 || i + length > text.size()) {  // ASCII, or a stray byte counted as one column
      ++width;
      ++i;
      continue;
    }
    char32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    width += isCombining(c) ? 0 : isWide(c) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string padRight(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t used = displayWidth(text);
  if (used < width) out.append(width - used, ' ');
  return out;
}

}  // namespace jsorm::cli
