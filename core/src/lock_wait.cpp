#include "lock_wait.hpp"

#include <jsorm/overloaded.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <random>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
void addReferenced(std::vector<std::string>& tables, const std::vector<ColumnDef>& columns) {
  for (const auto& column : columns) {
    if (column.references) tables.push_back(column.references->table);
  }
}

std::string cellText(const Value& value) {
  return std::visit(Overloaded{[](const std::monostate&) { return std::string(); },
                               [](const std::string& s) { return s; },
                               [](const Bytes&) { return std::string("<bytes>"); },
                               [](const auto& v) { return fmt::format("{}", v); }},
                    value);
}
}  // namespace

std::vector<std::string> tablesLockedBy(const Step& step) {
  std::vector<std::string> tables;
  std::visit(Overloaded{[&](const step::CreateTable& op) {
                          // A new table is locked by nobody else; the tables it references are.
                          addReferenced(tables, op.table.columns);
                          for (const auto& pivot : op.pivots) addReferenced(tables, pivot.columns);
                        },
                        [&](const step::DropTable& op) { tables.push_back(op.table); },
                        [&](const step::RenameTable& op) { tables.push_back(op.from); },
                        [&](const step::AddColumn& op) {
                          tables.push_back(op.table);
                          addReferenced(tables, {op.column});
                        },
                        [&](const step::DropColumn& op) { tables.push_back(op.table); },
                        [&](const step::RenameColumn& op) { tables.push_back(op.table); },
                        [&](const step::CreateIndex& op) { tables.push_back(op.index.table); },
                        [&](const step::DropIndex& op) { tables.push_back(op.table); },
                        [](const step::RawSql&) {},
                        // Its code names no tables in advance.
                        [](const step::Data&) {},
                        [&](const step::AlterColumn& op) { tables.push_back(op.table); }},
             step.operation());
  std::sort(tables.begin(), tables.end());
  tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
  return tables;
}

std::string lockHoldersOf(Connection& connection, const std::vector<std::string>& tables) {
  std::vector<std::string> quoted;
  for (const auto& table : tables) quoted.push_back(fmt::format("\"{}\"", table));
  const std::string named = fmt::format("{} {}", tables.size() == 1 ? "table" : "tables", fmt::join(quoted, ", "));
  const std::string query = connection.dialect().lockHoldersQuery(tables);
  if (query.empty()) return named;
  ResultSet holders;
  try {
    holders = connection.query(query);
  } catch (const Error&) {
    return named;  // the failure being reported matters more than who caused it
  }
  if (holders.rows.empty()) return named + " (its holder has let go since)";
  std::vector<std::string> described;
  for (const auto& row : holders.rows) {
    if (row.size() < 5) continue;
    std::string holder = fmt::format("pid {}: {} on \"{}\"", cellText(row[2]), cellText(row[1]), cellText(row[0]));
    if (const auto state = cellText(row[3]); !state.empty()) holder += ", " + state;
    if (const auto app = cellText(row[4]); !app.empty()) holder += ", application " + app;
    described.push_back(std::move(holder));
  }
  return fmt::format("{} (held by {})", named, fmt::join(described, "; "));
}

std::chrono::milliseconds retryPause(int retry) {
  const long long base = std::min<long long>(30'000, 500LL << std::clamp(retry - 1, 0, 10));
  thread_local std::mt19937 random{std::random_device{}()};
  return std::chrono::milliseconds(base + std::uniform_int_distribution<long long>(0, base / 4)(random));
}

}  // namespace detail
JSORM_NAMESPACE_END
