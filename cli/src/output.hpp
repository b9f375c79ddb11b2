#pragma once
// Everything the CLI prints: results on stdout, one-line errors on stderr, secrets scrubbed.

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace jsorm::cli {

class Output {
 public:
  Output();

  void setQuiet(bool quiet) noexcept { quiet_ = quiet; }
  void disableColour() noexcept { colour_ = false; }
  /// Any text equal to `secret` is replaced by *** wherever it would be printed.
  void addSecret(std::string secret);

  /// A result line on stdout (suppressed by --quiet).
  void line(const std::string& text);
  /// A line printed even with --quiet (status tables, JSON).
  void result(const std::string& text);
  /// One line on stderr: "jsorm: error: ..." with newlines folded.
  void error(const std::string& message);
  void warning(const std::string& message);

  std::string green(const std::string& text) const { return paint("32", text); }
  std::string yellow(const std::string& text) const { return paint("33", text); }
  std::string red(const std::string& text) const { return paint("31", text); }
  std::string dim(const std::string& text) const { return paint("2", text); }
  std::string bold(const std::string& text) const { return paint("1", text); }

  std::string scrub(std::string text) const;

 private:
  std::string paint(const char* code, const std::string& text) const;

  bool quiet_ = false;
  bool colour_ = false;
  std::vector<std::string> secrets_;
};

/// Terminal columns `text` (UTF-8) takes: combining marks take none, East Asian wide and
/// emoji characters two, other characters one. Table columns pad by this, not by bytes.
std::size_t displayWidth(std::string_view text);

/// `text` followed by spaces up to `width` columns.
std::string padRight(std::string_view text, std::size_t width);

}  // namespace jsorm::cli
