// Validation of a whole source before anything runs: names, identifiers, the steps against
// the schema the earlier steps make, and each migration's checksum on the way.
#include <jsorm/error.hpp>
#include <jsorm/identifier.hpp>
#include <jsorm/overloaded.hpp>
#include <jsorm/source.hpp>

#include "checksum.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>
#include <string_view>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::Overloaded;

// Follows the tables and columns that the source's own steps create, so a step naming a
// column that cannot exist is caught before anything runs. Tables it never saw created
// (made by rawSql or before jsorm) are not checked.
class SchemaSimulation {
 public:
  explicit SchemaSimulation(std::vector<std::string>& problems) : problems_(problems) {}

  void apply(const std::string& migration, const Step& step) {
    // Formatted only for a problem: this runs for every step of every command.
    auto where = [&] { return fmt::format("migration '{}', {}", migration, step.describe()); };
    auto check = [&](const std::string& name, const char* what) {
      try {
        checkIdentifier(name, what);
      } catch (const SchemaError& e) {
        problems_.push_back(fmt::format("{}: {}", where(), e.what()));
      }
    };
    std::visit(Overloaded{
                   [&](const step::CreateTable& op) {
                     auto create = [&](const TableDef& table) {
                       check(table.name, "table name");
                       auto& columns = tables_[table.name];
                       columns.clear();
                       for (const auto& column : table.columns) {
                         check(column.name, "column name");
                         columns.insert(column.name);
                       }
                       for (const auto& index : table.indexes) check(index.name, "index name");
                     };
                     create(op.table);
                     for (const auto& pivot : op.pivots) create(pivot);
                   },
                   [&](const step::DropTable& op) {
                     check(op.table, "table name");
                     tables_.erase(op.table);
                   },
                   [&](const step::RenameTable& op) {
                     check(op.from, "table name");
                     check(op.to, "table name");
                     if (auto node = tables_.extract(op.from)) {
                       node.key() = op.to;
                       tables_.insert(std::move(node));
                     }
                   },
                   [&](const step::AddColumn& op) {
                     check(op.table, "table name");
                     check(op.column.name, "column name");
                     for (bool unique : {true, false}) {
                       if (unique ? op.column.field.unique : op.column.field.index) {
                         check(defaultIndexName(op.table, {op.column.name}, unique), "index name");
                       }
                     }
                     if (auto* columns = find(op.table)) columns->insert(op.column.name);
                   },
                   [&](const step::DropColumn& op) {
                     check(op.table, "table name");
                     check(op.column, "column name");
                     auto* columns = find(op.table);
                     if (columns && !columns->erase(op.column) && !op.ifExists) {
                       problems_.push_back(fmt::format("{}: table '{}' has no column '{}'", where(), op.table, op.column));
                     }
                   },
                   [&](const step::RenameColumn& op) {
                     check(op.table, "table name");
                     check(op.from, "column name");
                     check(op.to, "column name");
                     auto* columns = find(op.table);
                     if (!columns) return;
                     if (!columns->erase(op.from)) {
                       problems_.push_back(fmt::format("{}: table '{}' has no column '{}'", where(), op.table, op.from));
                     }
                     columns->insert(op.to);
                   },
                   [&](const step::CreateIndex& op) {
                     check(op.index.table, "table name");
                     check(op.index.name, "index name");
                     if (op.index.columns.empty()) problems_.push_back(fmt::format("{}: the index has no columns", where()));
                     auto* columns = find(op.index.table);
                     for (const auto& column : op.index.columns) {
                       check(column, "column name");
                       if (columns && !columns->count(column)) {
                         problems_.push_back(
                             fmt::format("{}: table '{}' has no column '{}'", where(), op.index.table, column));
                       }
                     }
                   },
                   [&](const step::DropIndex& op) { check(op.name, "index name"); },
                   [&](const step::AlterColumn& op) {
                     check(op.table, "table name");
                     check(op.column.name, "column name");
                     auto* columns = find(op.table);
                     if (columns && !columns->count(op.column.name)) {
                       problems_.push_back(
                           fmt::format("{}: table '{}' has no column '{}'", where(), op.table, op.column.name));
                     }
                   },
                   [&](const step::RawSql& op) {
                     if (op.up.find_first_not_of(" \t\r\n;") == std::string::npos) {
                       problems_.push_back(fmt::format("{}: the SQL is empty", where()));
                     }
                   },
                   [&](const step::Data& op) {
                     if (op.description.find_first_not_of(" \t\r\n") == std::string::npos) {
                       problems_.push_back(fmt::format("{}: the data step has no description", where()));
                     }
                     if (!op.up) problems_.push_back(fmt::format("{}: the data step has no code", where()));
                   },
               },
               step.operation());
  }

 private:
  std::set<std::string>* find(const std::string& table) {
    auto it = tables_.find(table);
    return it == tables_.end() ? nullptr : &it->second;
  }

  std::vector<std::string>& problems_;
  std::map<std::string, std::set<std::string>> tables_;
};

void throwIfAny(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  if (problems.size() == 1) throw SchemaError(problems.front());
  throw SchemaError(fmt::format("{} problems: {}", problems.size(), fmt::join(problems, "; ")));
}
}  // namespace

ValidatedSource validate(const MigrationSource& source) {
  ValidatedSource validated;
  validated.checksums.reserve(source.migrations.size());
  std::vector<std::string> problems;
  try {
    checkIdentifier(source.migrationTable, "migrationTable");
    // The name is quoted whole, so "public.jsorm_migrations" would become one table with a
    // dot in its name, beside (not in) the schema meant, and history would run again.
    if (source.migrationTable.find('.') != std::string::npos) {
      throw SchemaError(fmt::format(
          "migrationTable '{}' contains '.': a schema-qualified name is not supported (it would create a table with "
          "that literal name); give the table name alone and choose the schema through the connection (PostgreSQL: "
          "options=-csearch_path=SCHEMA in the URL)",
          source.migrationTable));
    }
  } catch (const SchemaError& e) {
    problems.push_back(e.what());
  }
  std::set<std::string> names;
  SchemaSimulation schema(problems);
  for (std::size_t i = 0; i < source.migrations.size(); ++i) {
    const Migration& migration = source.migrations[i];
    // A migration with a problem keeps an empty checksum; the source is refused anyway.
    std::string& sum = validated.checksums.emplace_back();
    if (migration.name.empty()) {
      problems.push_back(fmt::format("migration #{} has no name", i + 1));
      continue;
    }
    if (!names.insert(migration.name).second) {
      problems.push_back(fmt::format("migration name '{}' is used twice", migration.name));
      continue;
    }
    if (migration.up.empty()) {
      problems.push_back(fmt::format("migration '{}' has no up", migration.name));
      continue;
    }
    try {
      const Steps up = upSteps(migration);
      for (const Step& step : up) schema.apply(migration.name, step);
      if (migration.down.empty()) {
        sum = detail::checksumOf(up, nullptr, migration.transaction);
      } else {
        const Steps down = downSteps(migration);
        sum = detail::checksumOf(up, &down, migration.transaction);
      }
    } catch (const MigrationError& e) {
      problems.push_back(e.what());  // names the migration already
    } catch (const Error& e) {
      problems.push_back(fmt::format("migration '{}': {}", migration.name, e.what()));
    }
  }
  throwIfAny(problems);
  return validated;
}

void validate(const MigrationGenerateSource& source) {
  std::vector<std::string> problems;
  std::set<std::string> tables;
  for (const Model& model : source.models) {
    problems.insert(problems.end(), model.errors().begin(), model.errors().end());
    if (!tables.insert(model.table()).second) problems.push_back(fmt::format("model '{}' is defined twice", model.table()));
  }
  if (source.snapshotPath.empty()) problems.push_back("snapshotPath is empty");
  throwIfAny(problems);
}

JSORM_NAMESPACE_END
