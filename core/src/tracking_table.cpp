#include "tracking_table.hpp"

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN
namespace detail {

TrackingTable::TrackingTable(const Dialect& dialect, std::string table) : dialect_(dialect), table_(std::move(table)) {
  const std::string t = dialect_.quoteIdentifier(table_);
  select_ = fmt::format(
      "SELECT \"id\", \"name\", \"batch\", CAST(\"applied_at\" AS TEXT), \"checksum\", \"execution_ms\" FROM {} "
      "ORDER BY \"id\"",
      t);
  insert_ = fmt::format("INSERT INTO {} (\"name\", \"batch\", \"checksum\", \"execution_ms\") VALUES ({}, {}, {}, {})",
                        t, dialect_.placeholder(1), dialect_.placeholder(2), dialect_.placeholder(3),
                        dialect_.placeholder(4));
  delete_ = fmt::format("DELETE FROM {} WHERE \"name\" = {}", t, dialect_.placeholder(1));
  updateChecksum_ =
      fmt::format("UPDATE {} SET \"checksum\" = {} WHERE \"name\" = {}", t, dialect_.placeholder(1), dialect_.placeholder(2));
}

std::string TrackingTable::addColumnSql(const std::string& column, const char* type) const {
  return fmt::format("ALTER TABLE {} ADD COLUMN {} {}", dialect_.quoteIdentifier(table_),
                     dialect_.quoteIdentifier(column), type);
}

namespace {
std::int64_t asInteger(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* s = std::get_if<std::string>(&value)) return std::stoll(*s);
  return 0;
}
std::string asText(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return {};
}
}  // namespace

std::vector<AppliedMigration> TrackingTable::parse(const ResultSet& rows) {
  std::vector<AppliedMigration> applied;
  applied.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    AppliedMigration m;
    m.id = asInteger(row.at(0));
    m.name = asText(row.at(1));
    m.batch = asInteger(row.at(2));
    m.appliedAt = asText(row.at(3));
    m.checksum = asText(row.at(4));
    if (!std::holds_alternative<std::monostate>(row.at(5))) m.executionMs = asInteger(row.at(5));
    applied.push_back(std::move(m));
  }
  return applied;
}

}  // namespace detail
JSORM_NAMESPACE_END
