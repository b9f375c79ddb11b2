#include "mysql_errors.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <errmsg.h>
#include <fmt/format.h>
#include <mysqld_error.h>

namespace jsorm::mysql {

namespace {
std::string describeConnectFailure(unsigned error, const std::string& message, const ServerAddress& address) {
  const std::string where =
      address.socket.empty() ? fmt::format("{}:{}", address.host, address.port) : "socket " + address.socket;
  const std::string prefix = fmt::format("cannot connect to MySQL at {}", where);
  switch (error) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
      return prefix + ": connection refused or unreachable; is the server running and accepting connections there?";
    case CR_UNKNOWN_HOST:
      return fmt::format("{}: unknown host \"{}\"; check the host name in the URL", prefix, address.host);
    case ER_ACCESS_DENIED_ERROR:
      return fmt::format("{}: access denied for user \"{}\" ({}); check the user name and password", prefix,
                         address.user, address.password ? "with a password" : "without a password");
    case ER_DBACCESS_DENIED_ERROR:
      return fmt::format("{}: user \"{}\" may not use database \"{}\"; GRANT it, or fix the database name", prefix,
                         address.user, address.database);
    case ER_BAD_DB_ERROR:
      return fmt::format("{}: database \"{}\" does not exist; create it (CREATE DATABASE `{}`) or fix the database "
                         "name in the URL",
                         prefix, address.database, address.database);
    case ER_CON_COUNT_ERROR: return prefix + ": the server has too many connections; retry later or raise max_connections";
    case CR_SERVER_LOST:
    case CR_SERVER_GONE_ERROR:
      return fmt::format("{}: the server closed the connection during the handshake ({}); check TLS settings and the "
                         "server's log",
                         prefix, message);
    default: return fmt::format("{}: {} (MySQL error {})", prefix, message, error);
  }
}
}  // namespace

void throwConnectFailure(MYSQL* mysql, const ServerAddress& address, const std::string& url) {
  const unsigned error = mysql ? mysql_errno(mysql) : CR_OUT_OF_MEMORY;
  const std::string message = mysql ? mysql_error(mysql) : "out of memory";
  auto secrets = secretsIn(url);
  if (address.password) secrets.push_back(*address.password);
  throw ConnectionError(scrubSecrets(describeConnectFailure(error, message, address), std::move(secrets)));
}

void throwStatementFailure(MYSQL* mysql, std::string_view sql, const std::string& target) {
  const unsigned error = mysql_errno(mysql);
  const std::string message = mysql_error(mysql);
  // Client errors (2000-2999) are about the connection, not the statement.
  if (error >= CR_MIN_ERROR && error <= CR_MAX_ERROR) {
    throw ConnectionError(fmt::format("lost the connection to MySQL at {}: {} (MySQL error {}); check that the server "
                                      "is up, then rerun: the journal says what already ran",
                                      target, message, error));
  }
  throw SqlError(fmt::format("{} (MySQL error {})", message, error), std::string(sql), mysql_sqlstate(mysql));
}

}  // namespace jsorm::mysql
