#pragma once
// Where SQLite result codes become jsorm errors: the one place that maps them.

#include <string_view>

struct sqlite3;

namespace jsorm::sqlite {

/// Throws SqlError carrying SQLite's message, the statement and the code's name.
[[noreturn]] void throwStatementError(sqlite3* db, int code, std::string_view sql);

/// The name of a primary result code, e.g. "SQLITE_CONSTRAINT".
const char* codeName(int code) noexcept;

}  // namespace jsorm::sqlite
