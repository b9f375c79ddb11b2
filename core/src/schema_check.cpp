// The schema the models describe, checked as a whole before migrate:generate writes
// anything: what the runner or a database would refuse later must not reach a migration
// file or the snapshot.

#include <jsorm/error.hpp>
#include <jsorm/generator.hpp>
#include <jsorm/identifier.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

JSORM_NAMESPACE_BEGIN

namespace {
// Tables that reference each other in a ring cannot be created in any order, since each
// CREATE TABLE names its foreign keys. Returns one such ring, or empty.
std::vector<std::string> referenceCycle(const SchemaSnapshot& schema) {
  std::unordered_map<std::string, std::vector<std::string>> edges;
  for (const auto& table : schema.tables) {
    for (const auto& column : table.columns) {
      // A table referencing itself is one CREATE TABLE: no ordering problem.
      if (column.references && column.references->table != table.name) {
        edges[table.name].push_back(column.references->table);
      }
    }
  }
  enum class Mark { None, Open, Done };
  std::unordered_map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& name) {
    Mark& mark = marks[name];
    if (mark == Mark::Done) return false;
    if (mark == Mark::Open) {
      cycle.assign(std::find(path.begin(), path.end(), name), path.end());
      cycle.push_back(name);
      return true;
    }
    mark = Mark::Open;
    path.push_back(name);
    for (const auto& next : edges[name]) {
      if (visit(next)) return true;
    }
    path.pop_back();
    marks[name] = Mark::Done;
    return false;
  };
  for (const auto& table : schema.tables) {
    if (visit(table.name)) break;
  }
  return cycle;
}
}  // namespace

void checkGeneratedSchema(const SchemaSnapshot& before, const SchemaSnapshot& schema) {
  std::vector<std::string> problems;
  auto name = [&](const std::string& value, const std::string& what) {
    if (auto problem = identifierProblem(value)) problems.push_back(fmt::format("{} '{}' {}", what, value, *problem));
  };
  std::map<std::string, const TableSnapshot*> tables;
  std::map<std::string, std::string> indexOwners;  // PostgreSQL index names are per schema
  for (const auto& table : schema.tables) {
    const std::string what = table.pivotOf.empty() ? "table" : fmt::format("pivot table of {}", table.pivotOf);
    name(table.name, what);
    if (auto [at, fresh] = tables.emplace(table.name, &table); !fresh) {
      problems.push_back(fmt::format("two tables are named '{}' ({} and {}); rename the field or the model",
                                     table.name, at->second->pivotOf.empty() ? "a model" : "the pivot of " + at->second->pivotOf,
                                     table.pivotOf.empty() ? "a model" : "the pivot of " + table.pivotOf));
    }
    for (const auto& column : table.columns) name(column.name, fmt::format("column of {}", table.name));
    for (const auto& index : table.indexes) {
      name(index.name, fmt::format("index on {}", table.name));
      if (auto [at, fresh] = indexOwners.emplace(index.name, table.name); !fresh) {
        problems.push_back(fmt::format("index name '{}' is used on {} and on {}; give one of them .name", index.name,
                                       at->second, table.name));
      }
    }
  }
  for (const auto& table : schema.tables) {
    for (const auto& column : table.columns) {
      if (!column.references) continue;
      const auto target = tables.find(column.references->table);
      // A table no model ever defined is someone else's (made by rawSql, or before jsorm);
      // one the snapshot has and the models dropped is about to disappear under the key.
      if (target == tables.end() && before.table(column.references->table)) {
        problems.push_back(fmt::format("{}.{} references table '{}', which the models no longer define; drop or change "
                                       "the reference first",
                                       table.name, column.name, column.references->table));
      } else if (target != tables.end() && !target->second->column(column.references->column)) {
        problems.push_back(fmt::format("{}.{} references {}.{}, which does not exist", table.name, column.name,
                                       column.references->table, column.references->column));
      }
    }
  }
  if (const auto cycle = referenceCycle(schema); !cycle.empty()) {
    problems.push_back(fmt::format("tables reference each other in a ring ({}), so no order creates them; make one of "
                                   "the references a plain column and add the foreign key by hand later",
                                   fmt::join(cycle, " -> ")));
  }
  if (problems.empty()) return;
  if (problems.size() == 1) throw SchemaError(fmt::format("the models cannot be migrated: {}", problems.front()));
  throw SchemaError(fmt::format("the models cannot be migrated ({} problems): {}", problems.size(), fmt::join(problems, "; ")));
}

JSORM_NAMESPACE_END
