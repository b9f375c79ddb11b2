#include <jsorm/adapter_plugin.hpp>
#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <fmt/format.h>

#include <array>

JSORM_NAMESPACE_BEGIN

namespace {
bool endsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A file path written without the sqlite: scheme: ./app.db, /var/lib/app.sqlite3.
bool looksLikeSqlitePath(const std::string& text) {
  if (text.starts_with("/") || text.starts_with("./") || text.starts_with("../")) return true;
  constexpr std::array<std::string_view, 4> suffixes{".db", ".sqlite", ".sqlite3", ".db3"};
  return std::any_of(suffixes.begin(), suffixes.end(), [&](auto suffix) { return endsWith(text, suffix); });
}

// Connection text is a URL with a scheme, a path-like SQLite file, or key=value settings.
// Anything else (a typo, "not a url", a ${VAR} nobody expanded) would reach a client
// library that guesses (libpq takes it as a database name on the local socket), so it is
// refused here, naming what was expected. Nothing of the text is quoted: it may hold a
// password.
void checkConnectionText(ConnectionTarget& target, std::string_view origin) {
  std::string& url = target.config.url;
  if (url.empty()) return;
  if (!pluginForUrl(url).empty()) {
    if (target.plugin == "sqlite") return;  // a file path may hold any character
    if (auto problem = ambiguousUserInfo(url); !problem.empty()) {
      throw ConfigError(fmt::format("the connection URL {} ({}) cannot be read as meant: {}", redactConnection(url),
                                    origin, problem));
    }
    return;
  }
  if (url.find('$') != std::string::npos && url.find('{') != std::string::npos) {
    throw ConfigError(fmt::format("the connection string ({}) still holds a ${{VAR}} reference: nothing expanded it; "
                                  "set the variable in the config's url or pass --url",
                                  origin));
  }
  if (url.find('=') != std::string::npos) {
    if (auto problem = conninfoProblem(url); !problem.empty()) {
      throw ConfigError(fmt::format("the connection string ({}) is not understood as key=value settings: {}; check "
                                    "it for a typo (e.g. password:x instead of password=x)",
                                    origin, problem));
    }
    return;
  }
  if (looksLikeSqlitePath(url)) {
    url = "sqlite:" + url;
    target.plugin = "sqlite";
    return;
  }
  throw ConfigError(fmt::format("the connection string ({}) is not understood: expected a URL such as "
                                "postgres://USER@HOST:PORT/DB or sqlite:PATH, a file path such as ./app.db, or "
                                "key=value settings such as 'host=HOST dbname=DB'",
                                origin));
}
}  // namespace

ConnectionTarget resolveConnection(const AdapterDescriptor& adapter, const std::string& urlOverride) {
  ConnectionTarget target;
  target.config.url = urlOverride;
  // Settings are read now, at connect time; one replaced by --url is never read, so its
  // environment variable need not be set.
  for (const auto& [key, setting] : adapter.options) {
    const bool isConnection = key == "url" || key == "path";
    if (isConnection && !urlOverride.empty()) continue;
    std::string value = setting.resolve();
    if (key == "url") target.config.url = value;
    else if (key == "path") target.config.url = value.empty() ? value : "sqlite:" + value;
    target.config.options[key] = std::move(value);
  }
  target.plugin = pluginForUrl(target.config.url);
  if (target.plugin.empty()) target.plugin = adapter.plugin;
  checkConnectionText(target, urlOverride.empty() ? fmt::format("from the {} adapter's settings", adapter.plugin)
                                                  : std::string("from --url or the config's url"));
  if (target.plugin.empty()) {
    throw ConfigError("no adapter: the source names none and the URL has no scheme; pass --url sqlite:PATH or "
                      "--url postgres://...");
  }
  if (target.config.url.empty() && target.config.options.empty()) {
    throw ConfigError(fmt::format("no connection for adapter '{}': the source gives no URL; pass --url", target.plugin));
  }
  return target;
}

RunResult migrate(const MigrationSource& source, const RuntimeOptions& options) {
  auto validated = validate(source);
  auto connection = connect(source.adapter, options);
  return Runner(*connection, source, options.run, std::move(validated)).migrate();
}

RunResult migrateDown(const MigrationSource& source, const RuntimeOptions& options) {
  auto validated = validate(source);
  auto connection = connect(source.adapter, options);
  return Runner(*connection, source, options.run, std::move(validated)).migrateDown();
}

JSORM_NAMESPACE_END
