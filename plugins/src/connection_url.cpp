#include <jsorm/runtime.hpp>

#include <cctype>
#include <regex>

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
  return scheme;
}

std::string redactUrl(const std::string& url) {
  // scheme://user:password@host  ->  scheme://user:***@host
  static const std::regex userInfo(R"(^([A-Za-z][A-Za-z0-9+.\-]*://[^:/@?#]*):[^@/?#]*@)");
  // password=... in a conninfo string or a URL query, quoted or not
  static const std::regex keyword(R"((^|[\s?&;])(password\s*=\s*)('([^'\\]|\\.)*'|[^\s&;]*))", std::regex::icase);
  std::string out = std::regex_replace(url, userInfo, "$1:***@");
  return std::regex_replace(out, keyword, "$1$2***");
}

std::string passwordIn(const std::string& url) {
  static const std::regex userInfo(R"(^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@?#]*:([^@/?#]*)@)");
  static const std::regex keyword(R"((?:^|[\s?&;])password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&;]*))", std::regex::icase);
  std::smatch match;
  if (std::regex_search(url, match, userInfo)) return match[1];
  if (std::regex_search(url, match, keyword)) {
    std::string value = match[1];
    if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
    return value;
  }
  return {};
}

JSORM_NAMESPACE_END
