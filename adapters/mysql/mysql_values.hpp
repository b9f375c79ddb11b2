#pragma once
// How jsorm values cross Connector/C: parameters written into the statement text, result
// cells read back by their column's type.

#include <jsorm/value.hpp>

#include <mysql.h>

#include <string>
#include <string_view>
#include <vector>

namespace jsorm::mysql {

/// `sql` with each `?` placeholder (outside quotes and comments) replaced by its value as a
/// literal, strings escaped by the server connection's own rules. Throws SqlError when the
/// placeholders and values do not pair up.
std::string withParams(MYSQL* mysql, std::string_view sql, const std::vector<Value>& params);

/// One cell of a text-protocol result row.
Value decodeCell(const MYSQL_FIELD& field, const char* data, unsigned long length);

}  // namespace jsorm::mysql
