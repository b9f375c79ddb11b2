#include "sqlite_rebuild.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <string_view>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
// A token of a CREATE TABLE statement with where it sits in the text, so that everything
// the rebuild does not change is copied as written.
struct Token {
  enum Kind { Word, Name, String, Symbol } kind = Symbol;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;  ///< Word: upper-cased; Name: without quotes; Symbol: the character
  bool is(std::string_view word) const { return kind == Word && text == word; }
  bool isSymbol(char c) const { return kind == Symbol && text.size() == 1 && text[0] == c; }
};

bool wordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// SQLite's lexical rules as far as a table definition needs them: quotes, quoted names
// ("", ``, []), comments.
std::vector<Token> scan(std::string_view sql) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      i = std::min(sql.find('\n', i), sql.size());
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const auto close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char closing = c == '[' ? ']' : c;
      Token t{c == '\'' ? Token::String : Token::Name, i, i, {}};
      std::size_t j = i + 1;
      for (; j < sql.size(); ++j) {
        if (sql[j] != closing) {
          t.text += sql[j];
        } else if (closing != ']' && j + 1 < sql.size() && sql[j + 1] == closing) {
          t.text += closing;  // a doubled quote stands for itself
          ++j;
        } else {
          break;
        }
      }
      t.end = std::min(j + 1, sql.size());
      i = t.end;
      tokens.push_back(std::move(t));
    } else if (wordChar(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < sql.size() && wordChar(static_cast<unsigned char>(sql[j]))) ++j;
      tokens.push_back({Token::Word, i, j, upper(sql.substr(i, j - i))});
      i = j;
    } else {
      tokens.push_back({Token::Symbol, i, i + 1, std::string(1, c)});
      ++i;
    }
  }
  return tokens;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

// One comma-separated part of the definition: a column or a table constraint, tokens [first, last).
struct Part {
  std::size_t first = 0;
  std::size_t last = 0;
};

// A column constraint of the altered column: its kind (its keyword) and where its text starts.
struct Clause {
  std::string kind;
  std::size_t firstToken = 0;
};

// The constraints of a column definition after its name and type. A keyword starts a new
// constraint unless it belongs to the one before: NULL after SET or DEFAULT, DEFAULT after
// SET (ON DELETE SET DEFAULT), NOT before DEFERRABLE, AS after ALWAYS, and whatever value
// follows DEFAULT.
std::vector<Clause> clausesOf(const std::vector<Token>& tokens, const Part& part) {
  static const std::vector<std::string_view> starters{"CONSTRAINT", "PRIMARY", "NOT",        "NULL",      "UNIQUE", "CHECK",
                                                      "DEFAULT",    "COLLATE", "REFERENCES", "GENERATED", "AS"};
  std::vector<Clause> clauses;
  int depth = 0;
  bool named = false;  // after CONSTRAINT name: the next keyword is that constraint's
  for (std::size_t i = part.first + 1; i < part.last; ++i) {
    const Token& t = tokens[i];
    if (t.isSymbol('(')) ++depth;
    if (t.isSymbol(')')) --depth;
    if (depth > 0 || t.kind != Token::Word) continue;
    const bool starter = std::find(starters.begin(), starters.end(), t.text) != starters.end();
    if (!starter) continue;
    const Token* before = i > part.first + 1 ? &tokens[i - 1] : nullptr;
    const Token* after = i + 1 < part.last ? &tokens[i + 1] : nullptr;
    if ((t.is("NULL") || t.is("DEFAULT")) && before && before->is("SET")) continue;
    if (t.is("NOT") && !(after && after->is("NULL"))) continue;
    if (t.is("NULL") && before && before->is("NOT")) continue;
    if (t.is("AS") && before && before->is("ALWAYS")) continue;
    if (t.is("CONSTRAINT")) {
      clauses.push_back({"CONSTRAINT", i});
      named = true;
      ++i;  // its name
      continue;
    }
    if (named) {
      clauses.back().kind = t.text;
      named = false;
    } else {
      clauses.push_back({t.text, i});
    }
    if (t.is("DEFAULT")) {
      // The value: a signed number, a literal or name, or a parenthesised expression.
      std::size_t j = i + 1;
      if (j < part.last && (tokens[j].isSymbol('-') || tokens[j].isSymbol('+'))) ++j;
      if (j < part.last && tokens[j].isSymbol('(')) {
        for (int d = 0; j < part.last; ++j) {
          if (tokens[j].isSymbol('(')) ++d;
          if (tokens[j].isSymbol(')') && --d == 0) break;
        }
      }
      i = j;
    }
  }
  return clauses;
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::string text(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return {};
}

std::int64_t number(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  return 0;
}
}  // namespace

std::optional<LiveTable> readLiveTable(Connection& connection, const std::string& table) {
  const auto found = connection.query(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE", {table});
  if (found.rows.empty()) return std::nullopt;
  LiveTable live;
  live.name = text(found.rows[0].at(0));
  live.createSql = text(found.rows[0].at(1));
  // hidden: 0 a stored column, 2 and 3 generated ones, which compute themselves.
  for (const auto& row : connection.query("SELECT name, hidden FROM pragma_table_xinfo(?1)", {live.name}).rows) {
    if (number(row.at(1)) == 0) live.columns.push_back(text(row.at(0)));
  }
  // Automatic indexes (UNIQUE and PRIMARY KEY constraints) have no SQL: the definition
  // makes them again.
  for (const auto& row : connection
                             .query("SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND type IN ('index', 'trigger') "
                                    "AND sql IS NOT NULL ORDER BY type, rowid",
                                    {live.name})
                             .rows) {
    live.dependents.push_back(text(row.at(0)));
  }
  if (!connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").rows.empty()) {
    const auto seq = connection.query("SELECT seq FROM sqlite_sequence WHERE name = ?1", {live.name});
    if (!seq.rows.empty()) live.sequence = number(seq.rows[0].at(0));
  }
  return live;
}

std::vector<std::string> rebuildSql(const Dialect& dialect, const LiveTable& live, const step::AlterColumn& op) {
  const std::string& sql = live.createSql;
  const std::vector<Token> tokens = scan(sql);
  auto refuse = [&](const std::string& why) {
    return SchemaError(fmt::format("alterColumn(\"{}\", \"{}\"): {}", op.table, op.column.name, why));
  };
  // CREATE TABLE [IF NOT EXISTS] name ( parts ) [options]
  std::size_t open = 0;
  while (open < tokens.size() && !tokens[open].isSymbol('(')) ++open;
  std::size_t nameAt = 0;
  while (nameAt < open && !tokens[nameAt].is("TABLE")) ++nameAt;
  ++nameAt;
  while (nameAt < open && (tokens[nameAt].is("IF") || tokens[nameAt].is("NOT") || tokens[nameAt].is("EXISTS"))) ++nameAt;
  if (open >= tokens.size() || nameAt >= open) throw refuse(fmt::format("cannot read the definition of table {}", live.name));
  std::vector<Part> parts;
  std::size_t close = open + 1;
  {
    int depth = 0;
    Part part{open + 1, open + 1};
    for (; close < tokens.size(); ++close) {
      const Token& t = tokens[close];
      if (depth == 0 && (t.isSymbol(',') || t.isSymbol(')'))) {
        part.last = close;
        parts.push_back(part);
        part.first = close + 1;
        if (t.isSymbol(')')) break;
        continue;
      }
      if (t.isSymbol('(')) ++depth;
      if (t.isSymbol(')')) --depth;
    }
  }
  if (close >= tokens.size()) throw refuse(fmt::format("cannot read the definition of table {}", live.name));

  static const std::vector<std::string_view> tableConstraints{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"};
  const Part* column = nullptr;
  for (const Part& part : parts) {
    if (part.first >= part.last) continue;
    const Token& first = tokens[part.first];
    const bool constraint = first.kind == Token::Word &&
                            std::find(tableConstraints.begin(), tableConstraints.end(), first.text) != tableConstraints.end();
    if (!constraint && (first.kind == Token::Word || first.kind == Token::Name) && sameName(first.text, op.column.name)) {
      column = &part;
    }
  }
  if (!column) throw refuse(fmt::format("table {} has no column {}", live.name, op.column.name));

  // The new definition: jsorm's for what the step changes, the old constraints for the rest.
  std::string definition = dialect.columnDefinition(op.column);
  const std::vector<Clause> clauses = clausesOf(tokens, *column);
  for (std::size_t c = 0; c < clauses.size(); ++c) {
    const std::string& kind = clauses[c].kind;
    if (kind == "PRIMARY") throw refuse("it is the primary key, which a rebuild would change with it");
    if (kind == "GENERATED" || kind == "AS") throw refuse("it is a generated column");
    if (kind != "UNIQUE" && kind != "CHECK" && kind != "COLLATE" && kind != "REFERENCES") continue;
    const std::size_t from = tokens[clauses[c].firstToken].begin;
    const std::size_t to = c + 1 < clauses.size() ? tokens[clauses[c + 1].firstToken].begin : tokens[column->last - 1].end;
    definition += " " + trimmed(std::string_view(sql).substr(from, to - from));
  }

  const std::string temporary = live.name + "_jsorm_rebuild";
  std::string create = sql;
  const std::size_t columnBegin = tokens[column->first].begin;
  create.replace(columnBegin, tokens[column->last - 1].end - columnBegin, definition);
  create.replace(0, tokens[open].begin, fmt::format("CREATE TABLE {} ", dialect.quoteIdentifier(temporary)));

  std::vector<std::string> columns;
  for (const auto& name : live.columns) columns.push_back(dialect.quoteIdentifier(name));
  const std::string table = dialect.quoteIdentifier(live.name);
  std::vector<std::string> out{
      create,
      fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", dialect.quoteIdentifier(temporary), fmt::join(columns, ", "),
                  fmt::join(columns, ", "), table),
      "DROP TABLE " + table,
      // Views naming the table would make a checked rename fail while it is gone; they name
      // it again once the rename is done, as the documented procedure expects.
      "PRAGMA legacy_alter_table = ON",
      fmt::format("ALTER TABLE {} RENAME TO {}", dialect.quoteIdentifier(temporary), table),
      "PRAGMA legacy_alter_table = OFF",
  };
  out.insert(out.end(), live.dependents.begin(), live.dependents.end());
  if (live.sequence) {
    // The copy sets the counter to the largest id copied (and an empty copy sets none); ids
    // of deleted rows stay unused.
    out.push_back(fmt::format("DELETE FROM sqlite_sequence WHERE name = {}", dialect.quoteString(live.name)));
    out.push_back(fmt::format("INSERT INTO sqlite_sequence (name, seq) VALUES ({}, {})", dialect.quoteString(live.name),
                              *live.sequence));
  }
  return out;
}

void rebuildTable(Connection& connection, const step::AlterColumn& op, bool dryRun,
                  const std::function<void(const std::string&)>& show) {
  const Dialect& dialect = connection.dialect();
  const auto live = readLiveTable(connection, op.table);
  if (!live) {
    if (dryRun) {
      show(fmt::format("-- rebuild of table {}: read from the table when it runs (it does not exist yet)",
                       dialect.quoteIdentifier(op.table)));
      return;
    }
    throw SqlError(fmt::format("no such table: {}", op.table), "-- rebuild of " + op.table);
  }
  const std::vector<std::string> statements = rebuildSql(dialect, *live, op);
  // A savepoint makes the rebuild whole even in a migration with .transaction = false.
  const std::string savepoint = "jsorm_rebuild";
  auto run = [&](const std::string& sql) {
    show(sql);
    if (!dryRun) connection.execute(sql);
  };
  run("SAVEPOINT " + savepoint);
  try {
    for (const auto& sql : statements) run(sql);
    const std::string check = "PRAGMA foreign_key_check";
    show(check);
    if (!dryRun) {
      // Only what the rebuild touched: the table's own references and those to it.
      std::vector<std::string> violations;
      for (const auto& row : connection.query(check).rows) {
        const std::string child = text(row.at(0));
        const std::string parent = text(row.at(2));
        if (sameName(child, live->name) || sameName(parent, live->name)) {
          violations.push_back(fmt::format("row {} of {} references a missing row of {}", number(row.at(1)), child, parent));
        }
      }
      if (!violations.empty()) {
        throw SqlError(fmt::format("FOREIGN KEY constraint failed after rebuilding {}: {}{}", live->name,
                                   violations.front(),
                                   violations.size() > 1 ? fmt::format(" (and {} more)", violations.size() - 1) : ""),
                       check, "SQLITE_CONSTRAINT_FOREIGNKEY");
      }
    }
    run("RELEASE " + savepoint);
  } catch (...) {
    if (!dryRun) {
      try {
        connection.execute("ROLLBACK TO " + savepoint);
        connection.execute("RELEASE " + savepoint);
      } catch (...) {
        // Keep the original error; the migration's own rollback undoes the rest.
      }
    }
    throw;
  }
}

bool rebuildsTables(const Dialect& dialect, const Steps& steps) {
  for (const Step& step : steps) {
    if (!std::holds_alternative<step::AlterColumn>(step.operation())) continue;
    for (const Statement& statement : dialect.render(step)) {
      if (statement.rebuild) return true;
    }
  }
  return false;
}

ForeignKeysOffForRebuild::ForeignKeysOffForRebuild(Connection& connection, const Steps& steps, bool dryRun,
                                                   RunObserver& observer)
    : connection_(connection), dryRun_(dryRun), observer_(observer) {
  if (!rebuildsTables(connection.dialect(), steps)) return;
  const auto state = connection.query("PRAGMA foreign_keys");
  if (state.rows.empty() || number(state.rows[0].at(0)) == 0) return;
  observer_.statement("PRAGMA foreign_keys = OFF");
  if (!dryRun_) connection_.execute("PRAGMA foreign_keys = OFF");
  restore_ = true;
}

ForeignKeysOffForRebuild::~ForeignKeysOffForRebuild() {
  if (!restore_) return;
  try {
    observer_.statement("PRAGMA foreign_keys = ON");
    if (!dryRun_) connection_.execute("PRAGMA foreign_keys = ON");
  } catch (...) {
    // A connection that cannot run a pragma is gone; the next one starts with them on.
  }
}

}  // namespace detail
JSORM_NAMESPACE_END
