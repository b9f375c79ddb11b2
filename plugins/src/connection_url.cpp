#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>

#include <cctype>

JSORM_NAMESPACE_BEGIN

std::string pluginForUrl(const std::string& url) {
  const auto colon = url.find(':');
  if (colon == std::string::npos || colon < 2) return {};
  const std::string scheme = url.substr(0, colon);
  if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.' && c != '_') return {};
  }
  if (scheme == "postgres" || scheme == "postgresql") return "pg";
  if (scheme == "mariadb") return "mysql";
  return scheme;
}

std::string redactUrl(const std::string& url) { return redactConnection(url); }

std::string passwordIn(const std::string& url) {
  auto secrets = secretsIn(url);
  return secrets.empty() ? std::string() : std::move(secrets.front());
}

JSORM_NAMESPACE_END
