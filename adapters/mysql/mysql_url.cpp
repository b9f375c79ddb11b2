#include "mysql_url.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace jsorm::mysql {

namespace {
unsigned number(std::string_view text, const char* what, unsigned max, const std::string& shown) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > max) {
    throw ConnectionError(fmt::format("the MySQL URL {} has {} '{}', which is not a number from 1 to {}", shown, what,
                                      text.substr(0, 20), max));
  }
  return value;
}
}  // namespace

ServerAddress parseUrl(const std::string& url) {
  const std::string shown = redactConnection(url);
  ServerAddress address;
  std::string_view rest(url);
  const auto scheme = rest.find("://");
  if (scheme == std::string_view::npos) {
    throw ConnectionError(fmt::format("the MySQL connection {} is not a URL; write mysql://USER:PASSWORD@HOST:PORT/DATABASE",
                                      shown));
  }
  rest.remove_prefix(scheme + 3);

  std::string_view query;
  if (const auto mark = rest.find('?'); mark != std::string_view::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
  }
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userInfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const auto colon = userInfo.find(':');
    address.user = percentDecoded(userInfo.substr(0, colon));
    if (colon != std::string_view::npos) address.password = percentDecoded(userInfo.substr(colon + 1));
  }
  std::string_view host = rest;
  if (host.starts_with('[')) {  // [::1]:3306
    const auto close = host.find(']');
    if (close == std::string_view::npos) throw ConnectionError(fmt::format("the MySQL URL {} has an unclosed '['", shown));
    address.host = std::string(host.substr(1, close - 1));
    host.remove_prefix(close + 1);
    if (host.starts_with(':')) address.port = number(host.substr(1), "the port", 65535, shown);
  } else {
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      address.port = number(host.substr(colon + 1), "the port", 65535, shown);
      host = host.substr(0, colon);
    }
    if (!host.empty()) address.host = percentDecoded(host);
  }
  address.database = percentDecoded(path);
  if (address.database.find('/') != std::string::npos) {
    throw ConnectionError(fmt::format("the MySQL URL {} names database '{}', which holds a '/'; the path is one database name",
                                      shown, address.database));
  }

  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) continue;
    const auto equals = param.find('=');
    const std::string key(param.substr(0, equals));
    const std::string value = equals == std::string_view::npos ? "" : percentDecoded(param.substr(equals + 1));
    if (key == "socket") {
      address.socket = value;
    } else if (key == "connect_timeout") {
      address.connectTimeout = number(value, "connect_timeout", 3600, shown);
    } else if (key == "ssl") {
      if (value != "true" && value != "false") {
        throw ConnectionError(fmt::format("the MySQL URL {} has ssl={}; write ssl=true or ssl=false", shown, value));
      }
      address.requireTls = value == "true";
    } else if (key == "lock") {
      if (value != "auto" && value != "advisory" && value != "lease") {
        throw ConnectionError(fmt::format("the MySQL URL {} has lock={}; write lock=auto, lock=advisory or lock=lease",
                                          shown, value.substr(0, 20)));
      }
      address.lock = value;
    } else if (key == "lock_lease") {
      address.leaseSeconds = number(value, "lock_lease", 86400, shown);
    } else {
      throw ConnectionError(fmt::format("the MySQL URL {} has an unknown parameter '{}'; known: socket, connect_timeout, "
                                        "ssl, lock, lock_lease",
                                        shown, key.substr(0, 40)));
    }
  }
  return address;
}

}  // namespace jsorm::mysql
