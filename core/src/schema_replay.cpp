// The schema the applied migrations should have left, built from their steps without a
// database: what db:check and migrate:baseline compare the live schema with.

#include <jsorm/overloaded.hpp>
#include <jsorm/schema_replay.hpp>

#include "snapshot_of.hpp"
#include "sql_tokens.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

JSORM_NAMESPACE_BEGIN

using detail::Overloaded;

std::string UnverifiableStep::describe() const {
  if (tables.empty()) return fmt::format("unverifiable: migration '{}' step {} ({})", migration, step, reason);
  return fmt::format("unverifiable: migration '{}' step {} ({}) changes table{} {}", migration, step, reason,
                     tables.size() == 1 ? "" : "s", fmt::join(tables, ", "));
}

namespace {
using detail::SqlToken;

// A possibly qualified name at tokens[i] ("schema"."table" gives "table"); advances i past it.
std::string nameAt(const std::vector<SqlToken>& tokens, std::size_t& i) {
  std::string name;
  while (i < tokens.size() && tokens[i].isName()) {
    name = tokens[i].text;
    ++i;
    if (i < tokens.size() && tokens[i].isSymbol('.')) {
      ++i;
      continue;
    }
    break;
  }
  return name;
}

void skipWords(const std::vector<SqlToken>& tokens, std::size_t& i, std::initializer_list<std::string_view> words) {
  while (i < tokens.size() && std::any_of(words.begin(), words.end(), [&](auto w) { return tokens[i].is(w); })) ++i;
}

std::string tableOfIndex(const SchemaSnapshot& known, const std::string& index) {
  for (const auto& table : known.tables) {
    for (const auto& i : table.indexes) {
      if (i.name == index) return table.name;
    }
  }
  return {};
}

// The tables one statement changes; `complete` turns false when it changes the schema in
// a way whose table jsorm cannot read from it.
void tablesOfStatement(const std::vector<SqlToken>& tokens, const SchemaSnapshot& known, RawSqlTables& out) {
  if (tokens.empty() || tokens[0].kind != detail::SqlTokenKind::Word) return;
  const std::string& verb = tokens[0].upper;
  if (verb != "CREATE" && verb != "ALTER" && verb != "DROP" && verb != "RENAME") return;
  out.changesSchema = true;
  auto add = [&](const std::string& table) {
    if (table.empty()) {
      out.complete = false;
    } else if (std::find(out.tables.begin(), out.tables.end(), table) == out.tables.end()) {
      out.tables.push_back(table);
    }
  };
  std::size_t i = 1;
  skipWords(tokens, i, {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE"});
  if (i >= tokens.size()) return add({});
  if (tokens[i].is("TABLE")) {
    ++i;
    skipWords(tokens, i, {"IF", "NOT", "EXISTS", "ONLY"});
    add(nameAt(tokens, i));
    // DROP TABLE a, b; RENAME TABLE a TO b, c TO d; ALTER TABLE a RENAME TO b.
    for (; i < tokens.size(); ++i) {
      const bool listed = verb == "DROP" && tokens[i].isSymbol(',');
      const bool renamed = tokens[i].is("TO") && (verb == "RENAME" || (i > 0 && tokens[i - 1].is("RENAME")));
      const bool renamedPair = verb == "RENAME" && tokens[i].isSymbol(',');
      if (listed || renamed || renamedPair) {
        ++i;
        add(nameAt(tokens, i));
        --i;
      }
    }
    return;
  }
  if (tokens[i].is("INDEX")) {
    ++i;
    skipWords(tokens, i, {"CONCURRENTLY", "IF", "NOT", "EXISTS"});
    const std::string index = nameAt(tokens, i);
    for (std::size_t on = i; on < tokens.size(); ++on) {
      if (tokens[on].is("ON")) {
        ++on;
        skipWords(tokens, on, {"ONLY"});
        return add(nameAt(tokens, on));
      }
    }
    return add(verb == "DROP" ? tableOfIndex(known, index) : std::string());
  }
  // Views, triggers, functions, types, extensions...: not a table jsorm can name.
  add({});
}
}  // namespace

RawSqlTables tablesChangedBy(const std::string& sql, const SchemaSnapshot& known) {
  RawSqlTables out;
  for (const auto& statement : detail::splitSqlStatements(sql)) tablesOfStatement(statement.tokens, known, out);
  return out;
}

namespace {
class Replay {
 public:
  void apply(const std::string& migration, std::size_t stepNumber, const Step& step) {
    migration_ = &migration;
    stepNumber_ = stepNumber;
    step_ = &step;
    std::visit(Overloaded{
                   [&](const step::CreateTable& op) {
                     tables_[op.table.name] = detail::tableOf(op.table);
                     for (const auto& pivot : op.pivots) tables_[pivot.name] = detail::tableOf(pivot);
                   },
                   [&](const step::DropTable& op) {
                     if (known(op.table)) tables_.erase(op.table);
                   },
                   [&](const step::RenameTable& op) { renameTable(op.from, op.to); },
                   [&](const step::AddColumn& op) { addColumn(op); },
                   [&](const step::DropColumn& op) { dropColumn(op); },
                   [&](const step::RenameColumn& op) { renameColumn(op); },
                   [&](const step::CreateIndex& op) {
                     if (!known(op.index.table)) return;
                     addIndex(tables_[op.index.table], {op.index.name, op.index.columns, op.index.unique});
                   },
                   [&](const step::DropIndex& op) {
                     if (!known(op.table)) return;
                     std::erase_if(tables_[op.table].indexes, [&](const auto& i) { return i.name == op.name; });
                   },
                   [&](const step::RawSql& op) {
                     RawSqlTables changed = tablesChangedBy(op.up, schema());
                     if (!changed.changesSchema) return;  // data only: the schema stays as it was
                     // Tables it names stay listed even when it also changes something it does not name.
                     std::string reason = changed.complete || changed.tables.empty()
                                              ? "rawSql"
                                              : "rawSql, also changing objects it does not name";
                     unverifiable_.push_back({migration, stepNumber, std::move(changed.tables), std::move(reason)});
                   },
                   // Rows change, the schema does not.
                   [](const step::Data&) {},
                   [&](const step::AlterColumn& op) { alterColumn(op); },
               },
               step.operation());
  }

  ReplayedSchema result() const { return {schema(), unverifiable_}; }

 private:
  SchemaSnapshot schema() const {
    SchemaSnapshot out;
    for (const auto& [name, table] : tables_) out.tables.push_back(table);  // a map: sorted by name
    return out;
  }

  // A typed step on a table the replay never saw was made by raw SQL: it cannot be followed.
  bool known(const std::string& table) {
    if (tables_.count(table)) return true;
    unverifiable_.push_back(
        {*migration_, stepNumber_, {table}, fmt::format("{} on a table no typed step created", step_->describe())});
    return false;
  }

  static void addIndex(TableSnapshot& table, IndexSnapshot index) {
    std::erase_if(table.indexes, [&](const auto& i) { return i.name == index.name; });
    table.indexes.push_back(std::move(index));
    std::sort(table.indexes.begin(), table.indexes.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  }

  void renameTable(const std::string& from, const std::string& to) {
    if (!known(from)) return;
    TableSnapshot table = std::move(tables_[from]);
    tables_.erase(from);
    table.name = to;
    tables_[to] = std::move(table);
    // Foreign keys follow the table they reference, as they do in the database.
    for (auto& [name, other] : tables_) {
      for (auto& column : other.columns) {
        if (column.references && column.references->table == from) column.references->table = to;
      }
    }
  }

  void addColumn(const step::AddColumn& op) {
    if (!known(op.table)) return;
    TableSnapshot& table = tables_[op.table];
    table.columns.push_back(detail::columnOf(op.column));
    // The named indexes Dialect::addColumn creates with the column.
    const FieldSpec& f = op.column.field;
    if (f.unique && !f.primary) {
      addIndex(table, {defaultIndexName(op.table, {op.column.name}, true), {op.column.name}, true});
    }
    if (f.index) addIndex(table, {defaultIndexName(op.table, {op.column.name}, false), {op.column.name}, false});
  }

  void dropColumn(const step::DropColumn& op) {
    if (!known(op.table)) return;
    TableSnapshot& table = tables_[op.table];
    std::erase_if(table.columns, [&](const auto& c) { return c.name == op.column; });
    // An index on a dropped column goes with it.
    std::erase_if(table.indexes, [&](const auto& i) {
      return std::find(i.columns.begin(), i.columns.end(), op.column) != i.columns.end();
    });
  }

  // Type, nullability and default change; the column's key, uniqueness, indexes and
  // foreign key stay, as they do in the database.
  void alterColumn(const step::AlterColumn& op) {
    if (!known(op.table)) return;
    TableSnapshot& table = tables_[op.table];
    for (auto& column : table.columns) {
      if (column.name != op.column.name) continue;
      const ColumnSnapshot altered = detail::columnOf(op.column);
      column.type = altered.type;
      column.length = altered.length;
      column.precision = altered.precision;
      column.scale = altered.scale;
      column.nullable = altered.nullable;
      column.defaultValue = altered.defaultValue;
      column.defaultSql = altered.defaultSql;
    }
  }

  void renameColumn(const step::RenameColumn& op) {
    if (!known(op.table)) return;
    TableSnapshot& table = tables_[op.table];
    for (auto& column : table.columns) {
      if (column.name == op.from) column.name = op.to;
    }
    for (auto& index : table.indexes) std::replace(index.columns.begin(), index.columns.end(), op.from, op.to);
    for (auto& [name, other] : tables_) {
      for (auto& column : other.columns) {
        if (column.references && column.references->table == op.table && column.references->column == op.from) {
          column.references->column = op.to;
        }
      }
    }
  }

  std::map<std::string, TableSnapshot> tables_;
  std::vector<UnverifiableStep> unverifiable_;
  const std::string* migration_ = nullptr;
  std::size_t stepNumber_ = 0;
  const Step* step_ = nullptr;
};
}  // namespace

ReplayedSchema replayMigrations(const std::vector<Migration>& migrations) {
  Replay replay;
  for (const Migration& migration : migrations) {
    const Steps steps = upSteps(migration);
    for (std::size_t i = 0; i < steps.size(); ++i) replay.apply(migration.name, i + 1, steps[i]);
  }
  return replay.result();
}

JSORM_NAMESPACE_END
