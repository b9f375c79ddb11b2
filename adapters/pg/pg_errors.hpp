#pragma once
// Where libpq failures become jsorm errors: the one place that maps them.

#include <libpq-fe.h>

#include <string>
#include <string_view>

namespace jsorm::pg {

/// Throws ConnectionError naming why `conn` did not connect, in one line without any
/// password from `conninfo` (or from libpq's other sources, such as ~/.pgpass).
[[noreturn]] void throwConnectFailure(PGconn* conn, const std::string& conninfo);

/// Throws SqlError for a statement PostgreSQL rejected, or ConnectionError when the
/// connection itself is gone. `result` may be null (libpq could not even send it).
[[noreturn]] void throwStatementFailure(const PGconn* conn, const PGresult* result, std::string_view sql,
                                        const std::string& target);

}  // namespace jsorm::pg
