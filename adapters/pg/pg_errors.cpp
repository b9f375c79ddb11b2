#include "pg_errors.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <fmt/format.h>

#include <cctype>
#include <memory>

namespace jsorm::pg {

namespace {
std::string firstLine(std::string_view text) {
  const auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

// libpq prefixes server messages with the attempt ("connection to server at "h", port p
// failed: ") and the severity ("FATAL:  "); the endpoint is printed by us already.
std::string reason(std::string_view libpqMessage) {
  std::string line = firstLine(libpqMessage);
  if (const auto failed = line.find(" failed: "); line.starts_with("connection to server") && failed != std::string::npos) {
    line.erase(0, failed + 9);
  }
  for (std::string_view severity : {"FATAL:  ", "ERROR:  "}) {
    if (line.starts_with(severity)) line.erase(0, severity.size());
  }
  return line;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string orEmpty(const char* text) { return text ? text : ""; }

std::string setting(PGconn* conn, std::string_view keyword) {
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfo(conn), &PQconninfoFree);
  for (auto* option = options.get(); option && option->keyword; ++option) {
    if (keyword == option->keyword) return orEmpty(option->val);
  }
  return {};
}

std::string describeFailure(PGconn* conn, const std::string& conninfo) {
  const std::string libpq = conn ? orEmpty(PQerrorMessage(conn)) : "out of memory";
  const std::string host = conn ? orEmpty(PQhost(conn)) : "";
  const std::string port = conn ? orEmpty(PQport(conn)) : "";
  const std::string user = conn ? orEmpty(PQuser(conn)) : "";
  const std::string database = conn ? orEmpty(PQdb(conn)) : "";
  // Before libpq has chosen a server (a malformed string) there is no endpoint to name.
  const std::string where = host.empty() ? redactConnection(conninfo) : fmt::format("{}:{}", host, port);
  const std::string prefix = fmt::format("cannot connect to PostgreSQL at {}", where);

  if (contains(libpq, "Connection refused")) {
    return prefix + ": connection refused; is the server running and accepting TCP connections?";
  }
  if (contains(libpq, "timeout expired")) {
    const std::string seconds = setting(conn, "connect_timeout");
    return fmt::format("{}: timed out after {} s; check the host, the port and any firewall in between", prefix,
                       seconds.empty() ? "?" : seconds);
  }
  if (contains(libpq, "could not translate host name")) {
    return fmt::format("{}: unknown host \"{}\"; check the host name in the connection string", prefix, host);
  }
  if (contains(libpq, "authentication failed")) {
    return fmt::format("{}: authentication failed for user \"{}\"; check the user name and password", prefix, user);
  }
  if (contains(libpq, "no password supplied")) {
    return fmt::format("{}: the server wants a password for user \"{}\" and none was given; put it in the URL, "
                       "PGPASSWORD or ~/.pgpass",
                       prefix, user);
  }
  if (contains(libpq, "database \"") && contains(libpq, "\" does not exist")) {
    return fmt::format("{}: database \"{}\" does not exist; create it (e.g. createdb {}) or fix the database name",
                       prefix, database, database);
  }
  if (contains(libpq, "role \"") && contains(libpq, "\" does not exist")) {
    return fmt::format("{}: role \"{}\" does not exist; check the user name", prefix, user);
  }
  const std::string why = reason(libpq);
  return why.empty() ? prefix : fmt::format("{}: {}", prefix, why);
}
}  // namespace

void throwConnectFailure(PGconn* conn, const std::string& conninfo) {
  std::string message = describeFailure(conn, conninfo);
  // libpq may have taken the password from PGPASSWORD or ~/.pgpass; hide that one as well.
  auto secrets = secretsIn(conninfo);
  if (conn && PQpass(conn)) secrets.emplace_back(PQpass(conn));
  throw ConnectionError(scrubSecrets(std::move(message), std::move(secrets)));
}

void throwStatementFailure(const PGconn* conn, const PGresult* result, std::string_view sql,
                           const std::string& target) {
  if (!conn || PQstatus(conn) == CONNECTION_BAD) {
    const std::string why = reason(conn ? PQerrorMessage(conn) : "");
    throw ConnectionError(fmt::format("lost the connection to PostgreSQL at {}{}{}", target, why.empty() ? "" : ": ", why));
  }
  auto field = [&](int code) { return result ? orEmpty(PQresultErrorField(result, code)) : std::string(); };
  std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
  // Errors raised by libpq itself (bad parameter count, ...) carry no primary field.
  if (message.empty()) message = reason(result ? PQresultErrorMessage(result) : "");
  if (message.empty()) message = reason(PQerrorMessage(conn));
  throw SqlError(std::move(message), std::string(sql), field(PG_DIAG_SQLSTATE), field(PG_DIAG_MESSAGE_DETAIL));
}

}  // namespace jsorm::pg
