#include "tracking_table.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
constexpr std::string_view kRowAlias = "tracked";
}

const std::vector<TrackingColumn>& trackingColumns() {
  static const std::vector<TrackingColumn> columns = [] {
    auto spec = [](FieldType type, auto&&... modify) {
      FieldSpec f;
      f.type = type;
      (modify(f), ...);
      return f;
    };
    auto primary = [](FieldSpec& f) { f.primary = true; };
    auto optional = [](FieldSpec& f) { f.optional = true; };
    auto now = [](FieldSpec& f) { f.defaultSql = "CURRENT_TIMESTAMP"; };
    return std::vector<TrackingColumn>{
        {"id", spec(FieldType::Number, primary), false, false},
        {"name", spec(FieldType::Text), true, false},
        {"batch", spec(FieldType::Number), false, false},
        {"applied_at", spec(FieldType::Timestamp, now), false, false},
        {"checksum", spec(FieldType::Text, optional), false, true},
        {"execution_ms", spec(FieldType::Number, optional), false, true},
    };
  }();
  return columns;
}

TrackingTable::TrackingTable(const Dialect& dialect, std::string table)
    : dialect_(dialect), table_(std::move(table)) {
  const std::string t = dialect_.quoteIdentifier(table_);
  std::vector<std::string> written;
  std::vector<std::string> placeholders;
  for (const auto& c : trackingColumns()) {
    const std::string column = dialect_.quoteIdentifier(c.name);
    if (isGeneratedKey(c.field) || !c.field.defaultSql.empty()) continue;  // the database fills these in
    written.push_back(column);
    placeholders.push_back(dialect_.placeholder(static_cast<int>(written.size())));
  }
  // Every column the table has, so that a read needs no catalog lookup of the extra ones
  // first (a table made by another tool lacks them); then applied_at once more, as text
  // in the database's own spelling, last.
  select_ = fmt::format("SELECT {0}.*, {1} FROM {2} {0} ORDER BY {0}.{3}", kRowAlias,
                        dialect_.castToText(fmt::format("{}.{}", kRowAlias, dialect_.quoteIdentifier("applied_at"))), t,
                        dialect_.quoteIdentifier("id"));
  insert_ = fmt::format("INSERT INTO {} ({}) VALUES ({})", t, fmt::join(written, ", "), fmt::join(placeholders, ", "));
  delete_ = fmt::format("DELETE FROM {} WHERE {} = {}", t, dialect_.quoteIdentifier("name"), dialect_.placeholder(1));
  updateChecksum_ = fmt::format("UPDATE {} SET {} = {} WHERE {} = {}", t, dialect_.quoteIdentifier("checksum"),
                                dialect_.placeholder(1), dialect_.quoteIdentifier("name"), dialect_.placeholder(2));
}

ExtraColumns TrackingTable::presentIn(Connection& connection, const std::string& table) {
  return {connection.hasColumn(table, "checksum"), connection.hasColumn(table, "execution_ms")};
}

std::string TrackingTable::addColumnSql(const std::string& column) const {
  for (const auto& c : trackingColumns()) {
    if (c.name == column) {
      return fmt::format("ALTER TABLE {} ADD COLUMN {}", dialect_.quoteIdentifier(table_),
                         dialect_.columnDefinition(ColumnDef{c.name, c.field, std::nullopt}));
    }
  }
  throw Error(fmt::format("the tracking table has no column '{}'", column));
}

namespace {
// SQLite hands back whatever a column holds; a value that is not a whole number is a
// damaged tracking table, reported as such rather than as a conversion failure.
std::int64_t asInteger(const Value& value, const char* column) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* s = std::get_if<std::string>(&value)) {
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (error == std::errc() && end == s->data() + s->size()) return parsed;
    throw Error(fmt::format("the tracking table's {} column holds '{}', not a whole number; fix that row", column,
                            s->substr(0, 40)));
  }
  if (std::holds_alternative<std::monostate>(value)) {
    throw Error(fmt::format("the tracking table's {} column holds NULL; fix that row", column));
  }
  throw Error(fmt::format("the tracking table's {} column holds a value that is not a whole number; fix that row", column));
}
std::string asText(Value& value) {
  if (auto* s = std::get_if<std::string>(&value)) return std::move(*s);
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return {};
}
}  // namespace

std::vector<AppliedMigration> TrackingTable::parse(ResultSet rows) const {
  // Columns by name, without case (MySQL keeps the case a tool created them with).
  const std::size_t count = rows.columns.size();
  auto find = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i + 1 < count; ++i) {
      const std::string& column = rows.columns[i];
      if (std::equal(column.begin(), column.end(), name.begin(), name.end(),
                     [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
        return i;
      }
    }
    return std::nullopt;
  };
  auto required = [&](std::string_view name) {
    if (auto at = find(name)) return *at;
    throw Error(fmt::format("the tracking table '{}' has no column '{}', so no jsorm made it; set the source's "
                            "migrationTable to the table jsorm tracks migrations in",
                            table_, name));
  };
  const std::size_t id = required("id");
  const std::size_t name = required("name");
  const std::size_t batch = required("batch");
  const std::size_t appliedAtText = count - 1;
  const auto checksum = find("checksum");
  const auto executionMs = find("execution_ms");

  std::vector<AppliedMigration> applied;
  applied.reserve(rows.rows.size());
  for (auto& row : rows.rows) {
    AppliedMigration m;
    m.name = asText(row.at(name));
    try {
      m.id = asInteger(row.at(id), "id");
      m.batch = asInteger(row.at(batch), "batch");
      if (executionMs && !std::holds_alternative<std::monostate>(row.at(*executionMs))) {
        m.executionMs = asInteger(row.at(*executionMs), "execution_ms");
      }
    } catch (const Error& e) {
      throw MigrationError(m.name, fmt::format("the tracking row of migration '{}' is damaged: {}", m.name, e.what()));
    }
    m.appliedAt = asText(row.at(appliedAtText));
    if (checksum) m.checksum = asText(row.at(*checksum));
    applied.push_back(std::move(m));
  }
  return applied;
}

}  // namespace detail
JSORM_NAMESPACE_END
