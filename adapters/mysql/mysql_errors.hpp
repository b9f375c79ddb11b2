#pragma once
// Connector/C failures as jsorm errors: one line naming the server, never the password.

#include "mysql_url.hpp"

#include <mysql.h>

#include <string>
#include <string_view>

namespace jsorm::mysql {

/// Throws ConnectionError for a failed mysql_real_connect.
[[noreturn]] void throwConnectFailure(MYSQL* mysql, const ServerAddress& address, const std::string& url);

/// Throws SqlError for a statement the server rejected, or ConnectionError when the
/// connection itself broke (a client error: server gone, lost, timed out).
[[noreturn]] void throwStatementFailure(MYSQL* mysql, std::string_view sql, const std::string& target);

}  // namespace jsorm::mysql
