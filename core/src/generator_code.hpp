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
/// `t.string(40).optional().unique()`: the field whose code builds exactly this FieldSpec.
std::string fieldCode(const ColumnDef& column);
/// The same for a snapshot's column, the default string length left unwritten.
std::string fieldCode(const ColumnSnapshot& column);
/// `t.createTable("posts", {{...}, ...})`: the table written out field by field.
std::string literalTableCode(const TableDef& table);
/// `t.createTable(defineModel(...))` plus any index the columns do not imply.
std::vector<std::string> createTableCode(const TableSnapshot& table);
/// `t.createIndex(...)`, with `.concurrently = true` when asked (the PostgreSQL recipe).
std::string createIndexCode(const std::string& table, const IndexSnapshot& index, bool concurrently = false);
/// Whether a column's unique()/index() flag already creates this index.
bool impliedByColumn(const std::string& table, const IndexSnapshot& index, const std::vector<ColumnSnapshot>& columns);

/// The typed steps a change's code stands for, from the snapshot's definitions: what the
/// lint rules check (generator_lint.cpp).
ColumnDef columnDef(const ColumnSnapshot& column);
IndexDef indexDef(const std::string& table, const IndexSnapshot& index);
Steps createTableSteps(const TableSnapshot& table);

/// Applies the PostgreSQL recipe for new indexes on existing tables where the diff allows
/// it, then sets each change's findings and risk from the lint rules for `database`.
void classifyByLint(SchemaDiff& diff, DatabaseKind database);

}  // namespace detail
JSORM_NAMESPACE_END
