// The Linter: typed steps become schema events for the rule engine; allowances are applied
// to what the rules find.

#include "lint_engine.hpp"

#include <jsorm/overloaded.hpp>

#include <variant>

JSORM_NAMESPACE_BEGIN

struct Linter::State {
  explicit State(DatabaseKind database) : engine(database) {}
  detail::RuleEngine engine;
};

Linter::Linter(DatabaseKind database) : state_(std::make_unique<State>(database)) {}
Linter::~Linter() = default;
Linter::Linter(Linter&&) noexcept = default;
Linter& Linter::operator=(Linter&&) noexcept = default;

void Linter::startRun() { state_->engine.forgetRun(); }

namespace {
using detail::Overloaded;

detail::AddedColumn addedColumn(const ColumnDef& column) {
  const FieldSpec& f = column.field;
  detail::AddedColumn added;
  added.name = column.name;
  added.notNull = !f.optional;
  // A generated key is filled in by the database, as a default would be.
  added.hasDefault = f.defaultValue.has_value() || !f.defaultSql.empty() || isGeneratedKey(f);
  added.defaultSql = f.defaultSql;
  if (column.references) added.referencesTable = column.references->table;
  else if (!f.referencesTable.empty()) added.referencesTable = f.referencesTable;
  return added;
}

// The events of the ALTER COLUMN statements the step runs, as a rawSql ALTER COLUMN ... TYPE
// or SET NOT NULL meets them; with no `from` every part may change. A default alone is a
// catalog change. (SQLite rebuilds the table instead, in its one writer's transaction.)
void alterColumn(detail::RuleEngine& engine, const step::AlterColumn& op) {
  const FieldSpec& now = op.column.field;
  const FieldSpec* was = op.from ? &op.from->field : nullptr;
  const bool typeChanges = !was || now.type != was->type || now.precision != was->precision ||
                           now.scale != was->scale ||
                           (now.type == FieldType::String && stringLength(now) != stringLength(*was));
  // PostgreSQL widens a varchar, or makes it text, in its catalog alone: no rewrite, no scan.
  const bool pgCatalogOnly = engine.database() == DatabaseKind::Postgres && was && was->type == FieldType::String &&
                             (now.type == FieldType::Text ||
                              (now.type == FieldType::String && stringLength(now) >= stringLength(*was)));
  engine.ddl();
  if (engine.database() == DatabaseKind::Sqlite) return;
  if (typeChanges && !pgCatalogOnly) engine.changeColumnType(op.table, op.column.name);
  if (!now.optional && (!was || was->optional)) engine.setNotNull(op.table, op.column.name);
}

void feed(detail::RuleEngine& engine, const Step& step) {
  std::visit(Overloaded{
                 [&](const step::CreateTable& op) {
                   engine.createTable(op.table.name);
                   for (const auto& pivot : op.pivots) engine.createTable(pivot.name);
                 },
                 [&](const step::DropTable& op) { engine.dropTable(op.table); },
                 [&](const step::RenameTable& op) { engine.renameTable(op.from, op.to); },
                 [&](const step::AddColumn& op) {
                   engine.addColumn(op.table, addedColumn(op.column));
                   // The dialects build a field's unique or plain index as an index of its own.
                   for (bool unique : {true, false}) {
                     if (unique ? op.column.field.unique : op.column.field.index) {
                       engine.createIndex(op.table, defaultIndexName(op.table, {op.column.name}, unique), unique, false,
                                          false);
                     }
                   }
                 },
                 [&](const step::DropColumn& op) { engine.dropColumn(op.table, op.column); },
                 [&](const step::RenameColumn& op) { engine.renameColumn(op.table, op.from, op.to); },
                 [&](const step::CreateIndex& op) {
                   engine.createIndex(op.index.table, op.index.name, op.index.unique, op.index.concurrently, false);
                 },
                 [&](const step::DropIndex& op) { engine.dropIndex(op.table, op.name, false, false); },
                 [&](const step::RawSql& op) { detail::lintRawSql(engine, op.up); },
                 // Rows change, the schema does not: no schema event to lint.
                 [](const step::Data&) {},
                 [&](const step::AlterColumn& op) { alterColumn(engine, op); },
             },
             step.operation());
}
}  // namespace

std::vector<LintFinding> Linter::lint(const std::string& migration, const Steps& steps, bool transaction,
                                      const std::vector<LintAllowance>& allow) {
  auto& engine = state_->engine;
  engine.beginMigration(migration, transaction);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    engine.beginStep(i + 1, steps[i].describe());
    feed(engine, steps[i]);
  }
  auto findings = engine.takeFindings();
  for (auto& finding : findings) {
    for (const auto& allowance : allow) {
      if (allowance.rule != finding.rule) continue;
      finding.allowed = true;
      finding.reason = allowance.reason;
    }
  }
  return findings;
}

std::vector<LintFinding> Linter::lint(const Migration& migration) {
  checkLintAllowances(migration);
  return lint(migration.name, upSteps(migration), migration.transaction, migration.lintAllow);
}

JSORM_NAMESPACE_END
