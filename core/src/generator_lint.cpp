// migrate:generate's classification: each change becomes the typed steps its code stands
// for, and the migrate:lint rules (one engine for both commands) decide its risk.

#include "generator_code.hpp"

#include <jsorm/lint.hpp>

#include <algorithm>
#include <variant>

JSORM_NAMESPACE_BEGIN
namespace detail {

ColumnDef columnDef(const ColumnSnapshot& c) {
  FieldSpec field;
  field.type = c.type;
  field.length = c.length;
  field.precision = c.precision;
  field.scale = c.scale;
  field.primary = c.primary;
  field.unique = c.unique;
  field.optional = c.nullable;
  field.index = c.index;
  field.defaultValue = c.defaultValue;
  field.defaultSql = c.defaultSql;
  return ColumnDef{c.name, std::move(field), c.references};
}

IndexDef indexDef(const std::string& table, const IndexSnapshot& index) {
  return IndexDef{table, index.name, index.columns, index.unique, false};
}

Steps createTableSteps(const TableSnapshot& table) {
  TableDef def{table.name, {}, {}};
  for (const auto& c : table.columns) def.columns.push_back(columnDef(c));
  for (const auto& index : table.indexes) def.indexes.push_back(indexDef(table.name, index));
  Steps steps{step::CreateTable{std::move(def), {}}};
  // As createTableCode writes them: the indexes no column flag implies, after the table.
  for (const auto& index : table.indexes) {
    if (!impliedByColumn(table.name, index, table.columns)) steps.push_back(step::CreateIndex{indexDef(table.name, index)});
  }
  return steps;
}

namespace {
const step::CreateIndex* onlyCreateIndex(const SchemaChange& change) {
  if (change.manual || change.steps.size() != 1) return nullptr;
  return std::get_if<step::CreateIndex>(&change.steps.front().operation());
}

// create-index-non-concurrently's recipe, written rather than only advised: when every change
// is a new index (the diff creates no table, so each one is on an existing table), they are
// built CONCURRENTLY in a migration that runs outside a transaction. Mixed with other
// changes it is not applied, because `.transaction = false` would make those changes
// non-atomic; the finding then carries the recipe into the file as a comment.
void applyConcurrentIndexRecipe(SchemaDiff& diff) {
  if (diff.changes.empty()) return;
  for (const auto& change : diff.changes) {
    if (!onlyCreateIndex(change)) return;
  }
  for (auto& change : diff.changes) {
    IndexDef index = std::get<step::CreateIndex>(change.steps.front().operation()).index;
    index.concurrently = true;
    change.up = {createIndexCode(index.table, IndexSnapshot{index.name, index.columns, index.unique}, true)};
    change.steps = {step::CreateIndex{std::move(index)}};
    change.summary += " (CONCURRENTLY: create-index-non-concurrently's recipe)";
  }
  diff.transaction = false;
  diff.notes.push_back(
      "the new indexes are built CONCURRENTLY in a migration with .transaction = false, so their tables "
      "keep taking writes while they build");
}

Risk riskOf(const std::vector<LintFinding>& findings) {
  Risk risk = Risk::Safe;
  for (const auto& f : findings) {
    const bool destructive = f.level == LintLevel::Error && (f.rule == "drop-table" || f.rule == "drop-column");
    risk = std::max(risk, destructive ? Risk::Dangerous : Risk::ReviewRequired);
  }
  return risk;
}
}  // namespace

void classifyByLint(SchemaDiff& diff, DatabaseKind database) {
  diff.database = database;
  if (database == DatabaseKind::Postgres) applyConcurrentIndexRecipe(diff);
  // One linter for the whole diff, in the order the migration applies it: a table an earlier
  // change creates is new (empty, unused) to the changes after it.
  Linter linter(database);
  for (auto& change : diff.changes) {
    if (change.manual) continue;  // no steps: keeps the generator's own classification
    change.findings = linter.lint("generated", change.steps, diff.transaction);
    change.risk = riskOf(change.findings);
  }
}

}  // namespace detail
JSORM_NAMESPACE_END
