#include "step_journal.hpp"

#include <jsorm/error.hpp>
#include <jsorm/overloaded.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
std::size_t index(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value); i && *i >= 0) return static_cast<std::size_t>(*i);
  throw Error("the step journal holds a step or statement number that is not a whole number; fix that row");
}
}  // namespace

StepJournal::StepJournal(const Dialect& dialect, const std::string& migrationTable)
    : dialect_(dialect), table_(migrationTable + "_steps") {}

std::vector<Statement> StepJournal::createSql() const {
  auto column = [](const char* name, FieldType type, auto... modify) {
    FieldSpec field;
    field.type = type;
    (modify(field), ...);
    return ColumnDef{name, field, std::nullopt};
  };
  auto primary = [](FieldSpec& f) { f.primary = true; };
  auto now = [](FieldSpec& f) { f.defaultSql = "CURRENT_TIMESTAMP"; };
  // An id key: Galera replicates row changes of a table only with a primary key.
  TableDef table{table_,
                 {column("id", FieldType::Number, primary), column("migration", FieldType::String),
                  column("step", FieldType::Number), column("statement", FieldType::Number),
                  column("checksum", FieldType::String), column("done", FieldType::Number),
                  column("applied_at", FieldType::Timestamp, now)},
                 {{table_, table_ + "_unique", {"migration", "step", "statement"}, true}}};
  return dialect_.render(Step(step::CreateTable{table, {}}));
}

std::string StepJournal::where(const std::string& migration) const {
  return fmt::format("{} = {}", dialect_.quoteIdentifier("migration"), dialect_.quoteString(migration));
}

std::string StepJournal::insert(const std::string& migration, StatementIndex at, const std::string& checksum,
                                bool done) const {
  const Dialect& d = dialect_;
  return fmt::format("INSERT INTO {} ({}, {}, {}, {}, {}) VALUES ({}, {}, {}, {}, {})", d.quoteIdentifier(table_),
                     d.quoteIdentifier("migration"), d.quoteIdentifier("step"), d.quoteIdentifier("statement"),
                     d.quoteIdentifier("checksum"), d.quoteIdentifier("done"), d.quoteString(migration), at.first,
                     at.second, d.quoteString(checksum), done ? 1 : 0);
}

std::string StepJournal::markDone(const std::string& migration, StatementIndex at) const {
  const Dialect& d = dialect_;
  return fmt::format("UPDATE {} SET {} = 1 WHERE {} AND {} = {} AND {} = {}", d.quoteIdentifier(table_),
                     d.quoteIdentifier("done"), where(migration), d.quoteIdentifier("step"), at.first,
                     d.quoteIdentifier("statement"), at.second);
}

std::string StepJournal::markStepUncertain(const std::string& migration, std::size_t step) const {
  const Dialect& d = dialect_;
  return fmt::format("UPDATE {} SET {} = 0 WHERE {} AND {} = {}", d.quoteIdentifier(table_), d.quoteIdentifier("done"),
                     where(migration), d.quoteIdentifier("step"), step);
}

std::string StepJournal::forget(const std::string& migration) const {
  return fmt::format("DELETE FROM {} WHERE {}", dialect_.quoteIdentifier(table_), where(migration));
}

std::string StepJournal::forgetStep(const std::string& migration, std::size_t step) const {
  return fmt::format("{} AND {} = {}", forget(migration), dialect_.quoteIdentifier("step"), step);
}

std::string StepJournal::forgetStatement(const std::string& migration, StatementIndex at) const {
  return fmt::format("{} AND {} = {}", forgetStep(migration, at.first), dialect_.quoteIdentifier("statement"),
                     at.second);
}

std::map<std::string, MigrationJournal> StepJournal::read(Connection& connection) const {
  std::map<std::string, MigrationJournal> journal;
  if (!connection.hasTable(table_)) return journal;
  const Dialect& d = dialect_;
  const auto rows = connection.query(fmt::format("SELECT {}, {}, {}, {}, {} FROM {}", d.quoteIdentifier("migration"),
                                                 d.quoteIdentifier("step"), d.quoteIdentifier("statement"),
                                                 d.quoteIdentifier("checksum"), d.quoteIdentifier("done"),
                                                 d.quoteIdentifier(table_)));
  for (const auto& row : rows.rows) {
    auto& entry = journal[std::get<std::string>(row.at(0))];
    const StatementIndex at{index(row.at(1)), index(row.at(2))};
    (index(row.at(4)) == 1 ? entry.done : entry.uncertain).insert(at);
    if (const auto* sum = std::get_if<std::string>(&row.at(3))) entry.stepChecksums[at.first] = *sum;
  }
  return journal;
}

std::optional<bool> effectPresent(Connection& connection, const Step& step, std::size_t statement) {
  // Only steps whose statement maps to one table or column; the dialect decides how many
  // statements a step renders to, so a different count means the mapping is unknown.
  const std::size_t count = connection.dialect().render(step).size();
  using Answer = std::optional<bool>;
  return std::visit(Overloaded{
                        [&](const step::CreateTable& op) -> Answer {
                          std::vector<std::string> tables{op.table.name};
                          for (const auto& pivot : op.pivots) tables.push_back(pivot.name);
                          if (count != tables.size() || statement >= tables.size()) return std::nullopt;
                          return connection.hasTable(tables[statement]);
                        },
                        [&](const step::DropTable& op) -> Answer { return !connection.hasTable(op.table); },
                        [&](const step::RenameTable& op) -> Answer {
                          if (count != 1) return std::nullopt;
                          return connection.hasTable(op.to) && !connection.hasTable(op.from);
                        },
                        [&](const step::AddColumn& op) -> Answer {
                          if (count != 1) return std::nullopt;
                          return connection.hasColumn(op.table, op.column.name);
                        },
                        [&](const step::DropColumn& op) -> Answer {
                          if (count != 1) return std::nullopt;
                          return !connection.hasColumn(op.table, op.column);
                        },
                        [&](const step::RenameColumn& op) -> Answer {
                          return connection.hasColumn(op.table, op.to) && !connection.hasColumn(op.table, op.from);
                        },
                        [](const auto&) -> Answer { return std::nullopt; },
                    },
                    step.operation());
}

}  // namespace detail
JSORM_NAMESPACE_END
