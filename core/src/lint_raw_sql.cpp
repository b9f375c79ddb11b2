// rawSql for the lint rules: each statement is tokenised and, when it is one of the DDL
// forms the rules know, turned into the same schema events as a typed step. Anything else
// is reported once as not analysed; nothing is guessed from substrings.

#include "lint_engine.hpp"
#include "sql_tokens.hpp"

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
// A cursor over one statement's tokens.
class Cursor {
 public:
  explicit Cursor(const std::vector<SqlToken>& tokens) : tokens_(tokens) {}

  bool done() const { return pos_ >= tokens_.size(); }
  const SqlToken* peek(std::size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() ? &tokens_[pos_ + ahead] : nullptr;
  }
  bool at(std::string_view keyword, std::size_t ahead = 0) const {
    const SqlToken* t = peek(ahead);
    return t && t->is(keyword);
  }
  bool accept(std::string_view keyword) {
    if (!at(keyword)) return false;
    ++pos_;
    return true;
  }
  // Accepts a run of keywords only when all of them are there.
  bool acceptAll(std::initializer_list<std::string_view> keywords) {
    std::size_t i = 0;
    for (auto k : keywords) {
      if (!at(k, i++)) return false;
    }
    pos_ += keywords.size();
    return true;
  }
  bool acceptSymbol(char c) {
    const SqlToken* t = peek();
    if (!t || !t->isSymbol(c)) return false;
    ++pos_;
    return true;
  }
  // A possibly qualified name (schema.table): its last part, which is what jsorm's tables
  // are called.
  std::optional<std::string> name() {
    const SqlToken* t = peek();
    if (!t || !t->isName()) return std::nullopt;
    std::string last = t->text;
    ++pos_;
    while (peek() && peek()->isSymbol('.') && peek(1) && peek(1)->isName()) {
      last = peek(1)->text;
      pos_ += 2;
    }
    return last;
  }
  // Skips to the end of the current clause: a `,` at depth 0, or the end.
  // Returns the tokens skipped.
  std::vector<SqlToken> clause() {
    std::vector<SqlToken> out;
    int depth = 0;
    while (!done()) {
      const SqlToken& t = tokens_[pos_];
      if (depth == 0 && t.isSymbol(',')) break;
      if (t.isSymbol('(')) ++depth;
      if (t.isSymbol(')')) --depth;
      out.push_back(t);
      ++pos_;
    }
    return out;
  }
  bool acceptComma() { return acceptSymbol(','); }

 private:
  const std::vector<SqlToken>& tokens_;
  std::size_t pos_ = 0;
};

bool has(const std::vector<SqlToken>& tokens, std::string_view keyword) {
  for (const auto& t : tokens) {
    if (t.is(keyword)) return true;
  }
  return false;
}

bool hasAll(const std::vector<SqlToken>& tokens, std::string_view first, std::string_view second) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].is(first) && tokens[i + 1].is(second)) return true;
  }
  return false;
}

std::string joined(const std::vector<SqlToken>& tokens, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    if (!out.empty() && !t.isSymbol('(') && !t.isSymbol(')') && !t.isSymbol(',') && !out.ends_with("(")) out += ' ';
    if (t.kind == SqlTokenKind::String) out += "'" + t.text + "'";
    else if (t.kind == SqlTokenKind::Identifier) out += "\"" + t.text + "\"";
    else out += t.text;
  }
  return out;
}

// Where a column definition's DEFAULT expression stops: at the next constraint keyword at depth 0.
bool startsConstraint(const SqlToken& t) {
  for (auto k : {"NOT", "NULL", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "COLLATE", "GENERATED",
                 "AFTER", "FIRST", "COMMENT", "ON"}) {
    if (t.is(k)) return true;
  }
  return false;
}

AddedColumn columnDefinition(const std::vector<SqlToken>& def) {
  AddedColumn column;
  if (!def.empty()) column.name = def.front().text;
  for (std::size_t i = 1; i < def.size(); ++i) {
    const SqlToken& t = def[i];
    if (t.is("NOT") && i + 1 < def.size() && def[i + 1].is("NULL")) {
      column.notNull = true;
      ++i;
    } else if (t.is("PRIMARY") || t.is("UNIQUE")) {
      column.unique = true;
      if (t.is("PRIMARY")) column.notNull = true;
    } else if (t.is("REFERENCES") && i + 1 < def.size()) {
      std::size_t j = i + 1;
      std::string table = def[j].text;
      while (j + 2 < def.size() && def[j + 1].isSymbol('.')) {
        j += 2;
        table = def[j].text;
      }
      column.referencesTable = table;
    } else if (t.is("DEFAULT")) {
      // The expression's first token is always part of it (DEFAULT NULL).
      std::size_t end = i + 1;
      int depth = 0;
      while (end < def.size() && (end == i + 1 || depth > 0 || !startsConstraint(def[end]))) {
        if (def[end].isSymbol('(')) ++depth;
        if (def[end].isSymbol(')')) --depth;
        ++end;
      }
      column.hasDefault = true;
      column.defaultIsNull = end == i + 2 && def[i + 1].is("NULL");
      column.defaultSql = joined(def, i + 1, end);
      i = end - 1;
    } else if (t.is("GENERATED") || t.is("SERIAL") || t.is("BIGSERIAL") || t.is("AUTO_INCREMENT")) {
      column.hasDefault = true;  // filled in by the database
    }
  }
  return column;
}

AddedConstraint tableConstraint(const std::vector<SqlToken>& def, std::string name) {
  AddedConstraint c;
  c.name = std::move(name);
  c.notValid = hasAll(def, "NOT", "VALID");
  c.usingIndex = hasAll(def, "USING", "INDEX");
  if (def.empty()) return c;
  const SqlToken& kind = def.front();
  if (kind.is("FOREIGN")) {
    c.kind = ConstraintKind::ForeignKey;
    for (std::size_t i = 0; i + 1 < def.size(); ++i) {
      if (def[i].is("REFERENCES")) c.referencesTable = def[i + 1].text;
    }
  } else if (kind.is("CHECK")) {
    c.kind = ConstraintKind::Check;
    // CHECK ( col IS NOT NULL ): the proof SET NOT NULL can use.
    if (def.size() >= 6 && def[1].isSymbol('(') && def[2].isName() && def[3].is("IS") && def[4].is("NOT") &&
        def[5].is("NULL") && def.size() > 6 && def[6].isSymbol(')')) {
      c.notNullColumn = def[2].text;
    }
  } else if (kind.is("UNIQUE")) {
    c.kind = ConstraintKind::Unique;
  } else if (kind.is("PRIMARY")) {
    c.kind = ConstraintKind::PrimaryKey;
  }
  return c;
}

class StatementReader {
 public:
  StatementReader(RuleEngine& engine, const SqlStatement& statement, bool shared)
      : engine_(engine), statement_(statement), cursor_(statement.tokens), shared_(shared) {}

  void read() {
    if (statement_.unterminated) return skip("a quote or comment is not closed, so the statement was not analysed");
    if (cursor_.accept("CREATE")) return create();
    if (cursor_.accept("DROP")) return drop();
    if (cursor_.accept("ALTER")) {
      if (cursor_.accept("TABLE")) return alterTable();
      if (cursor_.at("INDEX")) return;  // ALTER INDEX … RENAME / SET: metadata only
      return skip("not analysed");
    }
    if (cursor_.acceptAll({"RENAME", "TABLE"})) return renameTables();
    if (cursor_.at("INSERT") || cursor_.at("UPDATE") || cursor_.at("DELETE") || cursor_.at("MERGE")) {
      return engine_.dataChange();
    }
    if (cursor_.acceptAll({"COMMENT", "ON"})) return;
    skip("not analysed");
  }

 private:
  void skip(const std::string& why) { engine_.notAnalysed(statement_.text, why); }

  void create() {
    const bool unique = cursor_.accept("UNIQUE");
    if (cursor_.accept("INDEX")) {
      const bool concurrently = cursor_.accept("CONCURRENTLY");
      cursor_.acceptAll({"IF", "NOT", "EXISTS"});
      std::string name = "(unnamed)";
      if (!cursor_.at("ON")) {
        auto n = cursor_.name();
        if (!n) return skip("not analysed");
        name = *n;
      }
      if (!cursor_.accept("ON")) return skip("not analysed");
      cursor_.accept("ONLY");
      const auto table = cursor_.name();
      if (!table) return skip("not analysed");
      return engine_.createIndex(*table, name, unique, concurrently, shared_);
    }
    if (unique) return skip("not analysed");
    cursor_.accept("TEMPORARY") || cursor_.accept("TEMP") || cursor_.accept("UNLOGGED");
    if (cursor_.accept("TABLE")) {
      cursor_.acceptAll({"IF", "NOT", "EXISTS"});
      if (const auto table = cursor_.name()) return engine_.createTable(*table);
    }
    skip("not analysed");
  }

  void drop() {
    if (cursor_.accept("INDEX")) {
      const bool concurrently = cursor_.accept("CONCURRENTLY");
      cursor_.acceptAll({"IF", "EXISTS"});
      std::vector<std::string> names;
      while (auto n = cursor_.name()) {
        names.push_back(*n);
        if (!cursor_.acceptComma()) break;
      }
      std::optional<std::string> table;
      if (cursor_.accept("ON")) table = cursor_.name();  // MySQL: DROP INDEX name ON table
      if (names.empty()) return skip("not analysed");
      for (const auto& name : names) engine_.dropIndex(table, name, concurrently, shared_);
      return;
    }
    if (cursor_.accept("TABLE")) {
      cursor_.acceptAll({"IF", "EXISTS"});
      bool any = false;
      while (auto n = cursor_.name()) {
        engine_.dropTable(*n);
        any = true;
        if (!cursor_.acceptComma()) break;
      }
      if (!any) skip("not analysed");
      return;
    }
    skip("not analysed");
  }

  void renameTables() {  // MySQL: RENAME TABLE a TO b, c TO d
    do {
      const auto from = cursor_.name();
      if (!from || !cursor_.accept("TO")) return skip("not analysed");
      const auto to = cursor_.name();
      if (!to) return skip("not analysed");
      engine_.renameTable(*from, *to);
    } while (cursor_.acceptComma());
  }

  void alterTable() {
    cursor_.acceptAll({"IF", "EXISTS"});
    cursor_.accept("ONLY");
    const auto table = cursor_.name();
    if (!table) return skip("not analysed");
    std::size_t actions = 0;
    do {
      ++actions;
      if (engine_.database() == DatabaseKind::Sqlite && actions == 2) {
        return engine_.alterSqliteCannotDo(*table, "with several actions in one statement");
      }
      if (!alterAction(*table)) return;
    } while (cursor_.acceptComma());
  }

  // One action of ALTER TABLE; false when the statement was reported as not analysed.
  bool alterAction(const std::string& table) {
    const bool sqlite = engine_.database() == DatabaseKind::Sqlite;
    if (cursor_.accept("ADD")) return add(table);
    if (cursor_.accept("DROP")) {
      if (cursor_.accept("CONSTRAINT")) {
        if (sqlite) engine_.alterSqliteCannotDo(table, "DROP CONSTRAINT");
        cursor_.clause();
        return true;
      }
      if (cursor_.at("INDEX") || cursor_.at("KEY") || cursor_.at("FOREIGN") || cursor_.at("PRIMARY") ||
          cursor_.at("DEFAULT") || cursor_.at("CHECK")) {
        cursor_.clause();  // MySQL's DROP INDEX/KEY/FOREIGN KEY/PRIMARY KEY: metadata or quick
        return true;
      }
      cursor_.accept("COLUMN");
      cursor_.acceptAll({"IF", "EXISTS"});
      const auto column = cursor_.name();
      if (!column) return unknown();
      engine_.dropColumn(table, *column);
      cursor_.clause();
      return true;
    }
    if (cursor_.accept("ALTER")) {
      cursor_.accept("COLUMN");
      const auto column = cursor_.name();
      if (!column) return unknown();
      if (sqlite) {
        engine_.alterSqliteCannotDo(table, "ALTER COLUMN");
        cursor_.clause();
        return true;
      }
      if (cursor_.accept("TYPE") || cursor_.acceptAll({"SET", "DATA", "TYPE"})) {
        engine_.changeColumnType(table, *column);
      } else if (cursor_.acceptAll({"SET", "NOT", "NULL"})) {
        engine_.setNotNull(table, *column);
      } else if (!(cursor_.acceptAll({"DROP", "NOT", "NULL"}) || cursor_.acceptAll({"SET", "DEFAULT"}) ||
                   cursor_.acceptAll({"DROP", "DEFAULT"}) || cursor_.acceptAll({"SET", "STATISTICS"}))) {
        return unknown();
      }
      cursor_.clause();
      return true;
    }
    if (cursor_.at("MODIFY") || cursor_.at("CHANGE")) {  // MySQL restates the column
      const bool change = cursor_.accept("CHANGE");
      if (!change) cursor_.accept("MODIFY");
      cursor_.accept("COLUMN");
      const auto column = cursor_.name();
      if (!column) return unknown();
      if (change) cursor_.name();
      if (sqlite) engine_.alterSqliteCannotDo(table, change ? "CHANGE" : "MODIFY");
      else engine_.changeColumnType(table, *column);
      cursor_.clause();
      return true;
    }
    if (cursor_.accept("RENAME")) {
      if (cursor_.accept("TO") || cursor_.accept("AS")) {
        const auto to = cursor_.name();
        if (!to) return unknown();
        engine_.renameTable(table, *to);
        return true;
      }
      if (cursor_.accept("CONSTRAINT") || cursor_.accept("INDEX") || cursor_.accept("KEY")) {
        cursor_.clause();
        return true;
      }
      cursor_.accept("COLUMN");
      const auto from = cursor_.name();
      if (!from || !cursor_.accept("TO")) return unknown();
      const auto to = cursor_.name();
      if (!to) return unknown();
      engine_.renameColumn(table, *from, *to);
      return true;
    }
    if (cursor_.acceptAll({"VALIDATE", "CONSTRAINT"})) {
      const auto name = cursor_.name();
      if (!name) return unknown();
      engine_.validateConstraint(table, *name);
      return true;
    }
    return unknown();
  }

  bool add(const std::string& table) {
    const bool sqlite = engine_.database() == DatabaseKind::Sqlite;
    std::string constraintName;
    if (cursor_.accept("CONSTRAINT")) {
      const auto name = cursor_.name();
      if (!name) return unknown();
      constraintName = *name;
    }
    if (cursor_.at("FOREIGN") || cursor_.at("CHECK") || cursor_.at("UNIQUE") || cursor_.at("PRIMARY") ||
        cursor_.at("EXCLUDE")) {
      const auto def = cursor_.clause();
      if (sqlite) {
        engine_.alterSqliteCannotDo(table, "ADD CONSTRAINT");
        return true;
      }
      // MySQL's ADD UNIQUE [INDEX|KEY] name (…) is an online index build, not a constraint build.
      if (engine_.database() == DatabaseKind::Mysql && def.front().is("UNIQUE")) return true;
      auto constraint = tableConstraint(def, constraintName.empty() ? "(unnamed)" : constraintName);
      if (constraint.kind == ConstraintKind::Other) return unknown();
      engine_.addConstraint(table, constraint);
      return true;
    }
    if (!constraintName.empty()) return unknown();
    if (cursor_.at("INDEX") || cursor_.at("KEY") || cursor_.at("FULLTEXT") || cursor_.at("SPATIAL")) {
      cursor_.clause();  // MySQL: an index, built online
      return true;
    }
    cursor_.accept("COLUMN");
    cursor_.acceptAll({"IF", "NOT", "EXISTS"});
    const auto def = cursor_.clause();
    if (def.size() < 2 || !def.front().isName()) return unknown();
    engine_.addColumn(table, columnDefinition(def));
    return true;
  }

  bool unknown() {
    skip("this ALTER TABLE action is not analysed");
    return false;
  }

  RuleEngine& engine_;
  const SqlStatement& statement_;
  Cursor cursor_;
  bool shared_;
};
}  // namespace

void lintRawSql(RuleEngine& engine, const std::string& sql) {
  const auto statements = splitSqlStatements(
      sql, engine.database() == DatabaseKind::Mysql ? BackslashInStrings::Escape : BackslashInStrings::Literal);
  for (const auto& statement : statements) StatementReader(engine, statement, statements.size() > 1).read();
}

}  // namespace detail
JSORM_NAMESPACE_END
