#include "step_journal.hpp"

#include <jsorm/error.hpp>

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
                  column("checksum", FieldType::String), column("applied_at", FieldType::Timestamp, now)},
                 {{table_, table_ + "_unique", {"migration", "step", "statement"}, true}}};
  return dialect_.render(Step(step::CreateTable{table, {}}));
}

std::string StepJournal::insertLiteral(const std::string& migration, std::size_t step, std::size_t statement,
                                       const std::string& checksum) const {
  const Dialect& d = dialect_;
  return fmt::format("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, {}, {})", d.quoteIdentifier(table_),
                     d.quoteIdentifier("migration"), d.quoteIdentifier("step"), d.quoteIdentifier("statement"),
                     d.quoteIdentifier("checksum"), d.quoteString(migration), step, statement, d.quoteString(checksum));
}

std::string StepJournal::deleteLiteral(const std::string& migration) const {
  return fmt::format("DELETE FROM {} WHERE {} = {}", dialect_.quoteIdentifier(table_),
                     dialect_.quoteIdentifier("migration"), dialect_.quoteString(migration));
}

std::string StepJournal::deleteStepLiteral(const std::string& migration, std::size_t step) const {
  return fmt::format("{} AND {} = {}", deleteLiteral(migration), dialect_.quoteIdentifier("step"), step);
}

std::map<std::string, MigrationJournal> StepJournal::read(Connection& connection) const {
  std::map<std::string, MigrationJournal> journal;
  if (!connection.hasTable(table_)) return journal;
  const Dialect& d = dialect_;
  const auto rows = connection.query(fmt::format("SELECT {}, {}, {}, {} FROM {}", d.quoteIdentifier("migration"),
                                                 d.quoteIdentifier("step"), d.quoteIdentifier("statement"),
                                                 d.quoteIdentifier("checksum"), d.quoteIdentifier(table_)));
  for (const auto& row : rows.rows) {
    auto& entry = journal[std::get<std::string>(row.at(0))];
    const std::size_t step = index(row.at(1));
    entry.statements.insert({step, index(row.at(2))});
    if (const auto* sum = std::get_if<std::string>(&row.at(3))) entry.stepChecksums[step] = *sum;
  }
  return journal;
}

}  // namespace detail
JSORM_NAMESPACE_END
