#include "config.hpp"

#include "cli.hpp"

#include <jsorm/error.hpp>
#include <jsorm/spelling.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string_view>
#include <vector>

namespace jsorm::cli {

namespace {
constexpr const char* kFileName = "jsorm.toml";

std::string at(const std::filesystem::path& file, const toml::source_region& where) {
  return fmt::format("{}:{}:{}", file.string(), where.begin.line, where.begin.column);
}

// A misspelled key must not be dropped silently: `enviroment = "production"` would switch
// the production guard off, `ulr = ...` would send the run to the module's own database.
void refuseUnknownKeys(const std::filesystem::path& file, const toml::table& table, std::string_view where,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : table) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const auto closest = nearestNames(name, std::vector<std::string>(known.begin(), known.end()), 1);
    const auto region = key.source().begin.line ? key.source() : value.source();
    throw ConfigError(fmt::format("{}: unknown key '{}' in {}{}; known keys: {}", at(file, region), name, where,
                                  closest.empty() ? std::string() : fmt::format("; did you mean '{}'?", closest.front()),
                                  fmt::join(known, ", ")));
  }
}

std::string requireString(const std::filesystem::path& file, const toml::table& table, const std::string& key,
                          const std::string& path, bool required) {
  const toml::node* node = table.get(key);
  if (!node) {
    if (required) throw ConfigError(fmt::format("{}: [{}] needs a `{}` string", file.string(), path, key));
    return {};
  }
  const auto value = node->value<std::string>();
  if (!value) throw ConfigError(fmt::format("{}: {}.{} must be a string", at(file, node->source()), path, key));
  return *value;
}

std::map<std::string, SourceEntry> readSources(const std::filesystem::path& file, const toml::table& root,
                                               const char* section) {
  std::map<std::string, SourceEntry> sources;
  const toml::node* node = root.get(section);
  if (!node) return sources;
  const toml::table* table = node->as_table();
  if (!table) throw ConfigError(fmt::format("{}: [{}] must be a table", at(file, node->source()), section));
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    const std::string path = fmt::format("{}.{}", section, name);
    const toml::table* entry = value.as_table();
    if (!entry) throw ConfigError(fmt::format("{}: [{}] must be a table", at(file, value.source()), path));
    if (std::string_view(section) == "migrationSources") {
      refuseUnknownKeys(file, *entry, fmt::format("[{}]", path), {"module", "export", "url"});
    } else {
      refuseUnknownKeys(file, *entry, fmt::format("[{}]", path), {"module", "export", "history"});
    }
    SourceEntry source;
    source.name = name;
    source.where = fmt::format("{}: {}", file.string(), path);
    source.base = file.parent_path();
    source.module = requireString(file, *entry, "module", path, true);
    source.exportName = requireString(file, *entry, "export", path, true);
    if (entry->get("url")) source.url = requireString(file, *entry, "url", path, true);
    if (entry->get("history")) {
      source.history = requireString(file, *entry, "history", path, true);
      source.historyAt = at(file, entry->get("history")->source());
    }
    sources.emplace(name, std::move(source));
  }
  return sources;
}

// [run] ddlLockTimeout = 5 (seconds) and retries = 3, range-checked as the options are.
void readRunSection(const std::filesystem::path& file, const toml::table& root, Config& config) {
  const toml::node* node = root.get("run");
  if (!node) return;
  const toml::table* run = node->as_table();
  if (!run) throw ConfigError(fmt::format("{}: [run] must be a table", at(file, node->source())));
  refuseUnknownKeys(file, *run, "[run]", {"ddlLockTimeout", "retries"});
  if (const toml::node* timeout = run->get("ddlLockTimeout")) {
    const auto seconds = timeout->value<double>();
    const std::string problem = seconds ? ddlLockTimeoutProblem(*seconds) : "must be a number of seconds";
    if (!problem.empty()) {
      throw ConfigError(fmt::format("{}: run.ddlLockTimeout {}", at(file, timeout->source()), problem));
    }
    config.ddlLockTimeoutSeconds = seconds;
  }
  if (const toml::node* retries = run->get("retries")) {
    const auto count = retries->is_integer() ? retries->value<std::int64_t>() : std::nullopt;
    const std::string problem = count ? retriesProblem(*count) : "must be a whole number";
    if (!problem.empty()) throw ConfigError(fmt::format("{}: run.retries {}", at(file, retries->source()), problem));
    config.retries = static_cast<int>(*count);
  }
}
// history = "NAME" must name a [migrationSources.NAME]: a typo would otherwise surface only
// when migrate:generate first runs without a snapshot.
void checkHistories(const Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, _] : config.migrationSources) names.push_back(name);
  for (const auto& [name, entry] : config.generateSources) {
    if (entry.history.empty() || config.migrationSources.count(entry.history)) continue;
    const auto closest = nearestNames(entry.history, names, 1);
    throw ConfigError(fmt::format("{}: generateSources.{}.history names no [migrationSources.{}]{}; it defines: {}",
                                  entry.historyAt, name, entry.history,
                                  closest.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", closest.front()),
                                  names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
  }
}
}  // namespace

std::filesystem::path SourceEntry::modulePath() const {
  return (base / expandVariables(module, where + ".module")).lexically_normal();
}

std::string SourceEntry::exportSymbol() const { return expandVariables(exportName, where + ".export"); }

std::optional<std::string> SourceEntry::connectionUrl() const {
  if (!url) return std::nullopt;
  const std::string expanded = expandVariables(*url, where + ".url");
  // An empty url would silently fall back to the module's own connection.
  if (expanded.empty()) {
    throw ConfigError(fmt::format("{}.url is empty{}; give a connection, or remove the key to use the source's own",
                                  where, *url == expanded ? "" : " after expanding its variables"));
  }
  return resolveSqlitePath(expanded, base);
}

std::optional<std::filesystem::path> findConfigFile(const std::string& explicitPath) {
  if (!explicitPath.empty()) return std::filesystem::path(explicitPath);
  if (const char* fromEnv = std::getenv("JSORM_CONFIG"); fromEnv && *fromEnv) return std::filesystem::path(fromEnv);
  std::error_code ec;
  for (auto dir = std::filesystem::current_path(ec); !ec && !dir.empty(); dir = dir.parent_path()) {
    const auto candidate = dir / kFileName;
    std::error_code missing;
    if (std::filesystem::is_regular_file(candidate, missing)) return candidate;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

Config loadConfig(const std::filesystem::path& file) {
  {
    std::ifstream probe(file);
    if (!probe) {
      std::error_code ec;
      const bool exists = std::filesystem::exists(file, ec);
      throw ConfigError(fmt::format("cannot read config {}: {}", file.string(),
                                    exists ? "permission denied" : "no such file"));
    }
  }
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}: {}", at(file, e.source()), e.description()));
  }
  Config config;
  config.file = std::filesystem::absolute(file).lexically_normal();
  refuseUnknownKeys(file, root, "the top level", {"defaults", "migrationSources", "generateSources", "run"});
  if (const toml::node* node = root.get("defaults")) {
    const toml::table* defaults = node->as_table();
    if (!defaults) throw ConfigError(fmt::format("{}: [defaults] must be a table", at(file, node->source())));
    refuseUnknownKeys(file, *defaults, "[defaults]", {"migrationSource", "generateSource", "environment"});
    auto value = [&](const char* key) {
      return expandVariables(requireString(file, *defaults, key, "defaults", false),
                             fmt::format("{}: defaults.{}", file.string(), key));
    };
    config.defaultMigrationSource = value("migrationSource");
    config.defaultGenerateSource = value("generateSource");
    config.environment = value("environment");
  }
  readRunSection(file, root, config);
  config.migrationSources = readSources(config.file, root, "migrationSources");
  config.generateSources = readSources(config.file, root, "generateSources");
  checkHistories(config);
  return config;
}

std::string resolveSqlitePath(const std::string& url, const std::filesystem::path& base) {
  const std::string scheme = "sqlite:";
  if (url.rfind(scheme, 0) != 0) return url;
  std::string path = url.substr(scheme.size());
  if (path.rfind("//", 0) == 0) path.erase(0, 2);
  if (path.empty() || path == ":memory:" || std::filesystem::path(path).is_absolute()) return url;
  return scheme + (base / path).lexically_normal().string();
}

std::string expandVariables(const std::string& value, const std::string& where) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    if (value.compare(i, 2, "${") != 0) {
      out += value[i++];
      continue;
    }
    const auto end = value.find('}', i + 2);
    if (end == std::string::npos) throw ConfigError(fmt::format("{}: unterminated ${{ in \"{}\"", where, value));
    std::string name = value.substr(i + 2, end - i - 2);
    std::optional<std::string> fallback;  // ${VAR:-fallback}, as in the shell
    if (const auto dash = name.find(":-"); dash != std::string::npos) {
      fallback = name.substr(dash + 2);
      name.resize(dash);
    }
    const char* set = std::getenv(name.c_str());
    if (set && *set) {
      out += set;
    } else if (fallback) {
      out += *fallback;
    } else {
      throw ConfigError(fmt::format("{}: environment variable {} is not set; set it or pass --url", where, name));
    }
    i = end + 1;
  }
  return out;
}

const SourceEntry& selectSource(const Config& config, const std::string& requested, bool generate) {
  const auto& sources = generate ? config.generateSources : config.migrationSources;
  const char* section = generate ? "generateSources" : "migrationSources";
  std::string name = requested.empty() ? (generate ? config.defaultGenerateSource : config.defaultMigrationSource) : requested;
  if (name.empty() && sources.size() == 1) name = sources.begin()->first;
  if (name.empty()) {
    throw ConfigError(fmt::format("{}: no source chosen; set [defaults] {} or pass --source NAME", config.file.string(),
                                  generate ? "generateSource" : "migrationSource"));
  }
  auto found = sources.find(name);
  if (found == sources.end()) {
    std::vector<std::string> names;
    for (const auto& [known, _] : sources) names.push_back(known);
    throw ConfigError(fmt::format("{}: no [{}.{}]; it defines: {}", config.file.string(), section, name,
                                  names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
  }
  return found->second;
}

}  // namespace jsorm::cli
