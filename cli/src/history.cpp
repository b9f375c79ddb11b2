#include "history.hpp"

#include <jsorm/checksum.hpp>
#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace jsorm::cli {

std::vector<MigrationSummary> summarize(const MigrationSource& source, const ValidatedSource& validated) {
  std::vector<MigrationSummary> out;
  out.reserve(source.migrations.size());
  for (std::size_t i = 0; i < source.migrations.size(); ++i) {
    const Migration& migration = source.migrations[i];
    MigrationSummary summary;
    summary.name = migration.name;
    summary.checksum = i < validated.checksums.size() ? validated.checksums[i] : std::string();
    const Steps up = upSteps(migration);
    for (const Step& step : up) {
      summary.steps.push_back(step.describe());
      // The public checksum of a migration of this one step: equal exactly when the steps are.
      summary.stepChecksums.push_back(checksum(defineMigration({.name = "step", .up = Steps{step}})));
    }
    summary.transactional =
        migration.transaction && std::none_of(up.begin(), up.end(), [](const Step& s) { return s.needsNoTransaction(); });
    try {
      downSteps(migration);
    } catch (const MigrationError&) {
      summary.reversible = false;
    }
    out.push_back(std::move(summary));
  }
  return out;
}

nlohmann::json toJson(const MigrationSummary& summary) {
  return {{"name", summary.name},           {"checksum", summary.checksum},
          {"steps", summary.steps},         {"stepCount", summary.steps.size()},
          {"transactional", summary.transactional}, {"reversible", summary.reversible}};
}

}  // namespace jsorm::cli
