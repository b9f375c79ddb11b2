#pragma once
// mysql:// and mariadb:// URLs, read into what Connector/C's mysql_real_connect takes.

#include <optional>
#include <string>

namespace jsorm::mysql {

struct ServerAddress {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user;
  std::optional<std::string> password;
  std::string database;
  std::string socket;          ///< ?socket=PATH: a Unix socket instead of TCP
  unsigned connectTimeout = 10;  ///< ?connect_timeout=S; a deployment should fail, not hang
  bool requireTls = false;     ///< ?ssl=true
  std::string lock = "auto";   ///< ?lock=auto|advisory|lease: how migrations are serialised
  unsigned leaseSeconds = 30;  ///< ?lock_lease=S: the lease a runner holds without a heartbeat
};

/// Reads `mysql://user:password@host:port/database?socket=...&connect_timeout=...&ssl=...&lock=...&lock_lease=...`.
/// Throws ConnectionError naming what is wrong (never quoting the password).
ServerAddress parseUrl(const std::string& url);

}  // namespace jsorm::mysql
