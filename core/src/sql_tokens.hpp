#pragma once
// A SQL tokenizer for migrate:lint: enough of PostgreSQL's, MySQL's and SQLite's lexical
// rules (quotes, quoted identifiers, dollar quotes, comments) to split a rawSql step into
// statements and to tell a keyword from the same letters inside a string or a comment.

#include <jsorm/api.hpp>

#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

enum class SqlTokenKind {
  Word,        ///< keyword or bare identifier; `upper` holds it upper-cased
  Identifier,  ///< "quoted" or `backquoted`; `text` holds the name without quotes
  String,      ///< '…', E'…', $tag$…$tag$; `text` holds the contents
  Number,
  Symbol,      ///< one punctuation character, e.g. ( ) , . =
};

struct SqlToken {
  SqlTokenKind kind = SqlTokenKind::Symbol;
  std::string text;
  std::string upper;  ///< Word only

  bool is(std::string_view keyword) const noexcept { return kind == SqlTokenKind::Word && upper == keyword; }
  bool isSymbol(char c) const noexcept { return kind == SqlTokenKind::Symbol && text.size() == 1 && text[0] == c; }
  /// A name: a bare word or a quoted identifier.
  bool isName() const noexcept { return kind == SqlTokenKind::Word || kind == SqlTokenKind::Identifier; }
};

struct SqlStatement {
  std::vector<SqlToken> tokens;
  std::string text;         ///< the statement's source, trimmed, without its `;`
  bool unterminated = false;  ///< a quote or comment ran to the end of the input
};

/// How the database reads a backslash inside '…': PostgreSQL and SQLite keep it, MySQL
/// (by default) makes it an escape.
enum class BackslashInStrings { Literal, Escape };

/// The statements of `sql`, split at `;` outside quotes and comments. Empty statements
/// (only comments or whitespace) are left out.
JSORM_API std::vector<SqlStatement> splitSqlStatements(std::string_view sql,
                                                       BackslashInStrings backslash = BackslashInStrings::Literal);

}  // namespace detail
JSORM_NAMESPACE_END
