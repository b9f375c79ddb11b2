#pragma once
// Pieces of generated C++, shared by the diff (which records code per change) and the file.

#include <jsorm/generator.hpp>

#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// `text` safe inside a `//` comment: control characters escaped, no trailing backslash.
std::string commentText(std::string_view text);
std::string literalCode(const Literal& value);
/// `t.string(40).optional().unique()`: the field that recreates a column.
std::string fieldCode(const ColumnSnapshot& column);
/// `t.createTable(defineModel(...))` plus any index the columns do not imply.
std::vector<std::string> createTableCode(const TableSnapshot& table);
std::string createIndexCode(const std::string& table, const IndexSnapshot& index);
/// Whether a column's unique()/index() flag already creates this index.
bool impliedByColumn(const std::string& table, const IndexSnapshot& index, const std::vector<ColumnSnapshot>& columns);

}  // namespace detail
JSORM_NAMESPACE_END
