#pragma once
// A migration source's history as an artifact shows it, without a database: what `inspect`
// lists and what `artifact:diff` compares.

#include <jsorm/source.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace jsorm::cli {

struct MigrationSummary {
  std::string name;
  std::string checksum;
  std::vector<std::string> steps;  ///< each up step's describe()
  /// One per up step: tells an altered step whose description reads the same (a column's
  /// type, a default) from an unchanged one.
  std::vector<std::string> stepChecksums;
  bool transactional = true;       ///< runs in one transaction on a database with transactional DDL
  bool reversible = true;          ///< has a down, or every step reverses automatically
};

/// Each migration of `source`, in order; `checksums` is what validate(source) returned.
std::vector<MigrationSummary> summarize(const MigrationSource& source, const ValidatedSource& validated);

nlohmann::json toJson(const MigrationSummary& summary);

}  // namespace jsorm::cli
