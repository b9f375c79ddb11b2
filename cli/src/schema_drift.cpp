#include "schema_drift.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace jsorm::cli {

std::size_t DriftReport::drift() const {
  return static_cast<std::size_t>(
      std::count_if(differences.begin(), differences.end(), [](const auto& d) { return !d.unverifiable; }));
}

nlohmann::json DriftReport::toJson(const std::string& database) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : differences) {
    list.push_back({{"kind", schemaDifferenceKindName(d.kind)},
                    {"table", d.table},
                    {"object", d.object.empty() ? nlohmann::json() : nlohmann::json(d.object)},
                    {"expected", d.expected},
                    {"actual", d.actual},
                    {"unverifiable", d.unverifiable},
                    {"message", d.describe()}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& u : unverifiable) {
    steps.push_back({{"migration", u.migration},
                     {"step", u.step},
                     {"tables", u.tables},
                     {"reason", u.reason},
                     {"message", u.describe()}});
  }
  return {{"database", database},   {"against", against},          {"match", drift() == 0},
          {"drift", drift()},       {"differences", std::move(list)}, {"unverifiable", std::move(steps)},
          {"notes", notes}};
}

std::vector<std::string> DriftReport::lines() const {
  std::vector<std::string> out;
  for (const auto& d : differences) out.push_back(d.describe());
  for (const auto& u : unverifiable) out.push_back(u.describe());
  for (const auto& note : notes) out.push_back("note: " + note);
  return out;
}

std::set<std::string> trackingTables(const MigrationSource& source) {
  const std::string& table = source.migrationTable;
  return {table, table + "_steps", table + "_lock"};
}

namespace {
// Differences on the tables rawSql changed are reported but do not count as drift.
SchemaCompareOptions optionsFor(const MigrationSource& source, const std::vector<UnverifiableStep>& unverifiable,
                                bool reportExtras) {
  SchemaCompareOptions options;
  options.ignoredTables = trackingTables(source);
  options.reportExtras = reportExtras;
  for (const auto& step : unverifiable) options.unverifiableTables.insert(step.tables.begin(), step.tables.end());
  return options;
}
}  // namespace

DriftReport driftFromMigrations(Connection& connection, const MigrationSource& source,
                                const std::vector<Migration>& migrations, bool reportExtras) {
  const ReplayedSchema expected = replayMigrations(migrations);
  const SchemaSnapshot live = connection.introspect();
  DriftReport report{"migrations", {}, expected.unverifiable, {}};
  report.differences =
      compareSchemas(expected.schema, live, connection.dialect(), optionsFor(source, expected.unverifiable, reportExtras));
  return report;
}

DriftReport driftFromModels(Connection& connection, const MigrationSource& source, const std::vector<Model>& models) {
  const SchemaSnapshot live = connection.introspect();
  DriftReport report{"models", {}, {}, {}};
  report.differences = compareSchemas(snapshotOf(models), live, connection.dialect(), optionsFor(source, {}, true));
  return report;
}

}  // namespace jsorm::cli
