#include "fleet_targets.hpp"

#include "cli.hpp"
#include "config.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>

namespace jsorm::cli {

namespace {
std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// A '#' starts a comment only at the start of a line or after white space: a URL may hold
// one in a (percent-encoded or not) password or fragment.
std::string withoutComment(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
  }
  return line;
}
}  // namespace

std::vector<FleetTarget> readTargetsFile(const std::filesystem::path& file, std::size_t source,
                                         const std::string& sourceName) {
  std::ifstream in(file);
  if (!in) {
    std::error_code ec;
    throw ConfigError(fmt::format("cannot read the targets file {}: {}", file.string(),
                                  std::filesystem::exists(file, ec) ? "permission denied" : "no such file"));
  }
  const auto base = std::filesystem::absolute(file).parent_path();
  std::vector<FleetTarget> targets;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = fmt::format("{}:{}", file.string(), number);
    const std::string written = trimmed(withoutComment(line));
    if (written.empty()) continue;
    const std::string url = trimmed(expandVariables(written, where));
    if (url.empty()) {
      throw ConfigError(fmt::format("{}: the target is empty after expanding its variables; set them, or remove the "
                                    "line",
                                    where));
    }
    // Only URLs with a scheme: a bare word or key=value settings would fall back to the
    // source's own adapter, which is not what a line of a targets file means.
    if (url.find(' ') != std::string::npos || url.find(':') == std::string::npos || pluginForUrl(url).empty()) {
      throw ConfigError(fmt::format("{}: '{}' is not a connection URL with a scheme (sqlite:PATH, "
                                    "postgres://USER@HOST/DB, mysql://USER@HOST/DB); one URL per line",
                                    where, redactConnection(url)));
    }
    targets.push_back({resolveSqlitePath(url, base), redactConnection(url), where, source, sourceName});
  }
  if (targets.empty()) {
    throw ConfigError(fmt::format("{}: no targets in the file; write one connection URL per line", file.string()));
  }
  return targets;
}

void refuseDuplicateTargets(const std::vector<FleetTarget>& targets) {
  std::map<std::pair<std::string, std::string>, const FleetTarget*> seen;
  for (const auto& target : targets) {
    // The resolved URL, so two spellings of one SQLite file count as one target.
    const auto [found, fresh] = seen.emplace(std::pair{redactConnection(target.url), target.sourceName}, &target);
    if (!fresh) {
      throw ConfigError(fmt::format("{}: target {} is listed twice (first at {}); remove one, as both would migrate "
                                    "the same database",
                                    target.where, target.display, found->second->where));
    }
  }
}

Shard parseShard(const std::string& text) {
  const auto usage = [&] {
    return UsageError(fmt::format("--shard takes K/N with 1 <= K <= N (e.g. 2/5); got '{}'", text));
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw usage();
  Shard shard;
  const auto parse = [&](std::string_view part, std::uint64_t& value) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw usage();
    }
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size()) throw usage();
  };
  parse(std::string_view(text).substr(0, slash), shard.index);
  parse(std::string_view(text).substr(slash + 1), shard.count);
  if (shard.index < 1 || shard.count < 1 || shard.index > shard.count) throw usage();
  return shard;
}

std::uint64_t targetIdentity(const FleetTarget& target) {
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
  };
  mix(target.display);
  mix(std::string_view("\n", 1));
  mix(target.sourceName);
  return hash;
}

std::vector<FleetTarget> takeShard(std::vector<FleetTarget> targets, const Shard& shard) {
  std::erase_if(targets, [&](const FleetTarget& t) { return targetIdentity(t) % shard.count != shard.index - 1; });
  return targets;
}

}  // namespace jsorm::cli
