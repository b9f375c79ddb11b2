#include "history_diff.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>

namespace jsorm::cli {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Which steps differ, by position: a step inserted early shows every later one as altered,
// which is what a database that ran the old steps would see.
std::vector<std::string> stepChanges(const MigrationSummary& before, const MigrationSummary& after) {
  std::vector<std::string> out;
  const std::size_t count = std::max(before.steps.size(), after.steps.size());
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t n = i + 1;
    if (i >= before.steps.size()) {
      out.push_back(fmt::format("step {} added: {}", n, after.steps[i]));
    } else if (i >= after.steps.size()) {
      out.push_back(fmt::format("step {} removed: {}", n, before.steps[i]));
    } else if (before.steps[i] != after.steps[i]) {
      out.push_back(fmt::format("step {} altered: {} -> {}", n, before.steps[i], after.steps[i]));
    } else if (i < before.stepChecksums.size() && i < after.stepChecksums.size() &&
               before.stepChecksums[i] != after.stepChecksums[i]) {
      out.push_back(fmt::format("step {} altered: {} (same description, another definition)", n, after.steps[i]));
    }
  }
  return out;
}

std::vector<std::string> changesOf(const MigrationSummary& before, const MigrationSummary& after) {
  std::vector<std::string> out = stepChanges(before, after);
  if (before.transactional != after.transactional) {
    out.push_back(fmt::format("transactional: {} -> {}", before.transactional, after.transactional));
  }
  if (before.reversible != after.reversible) {
    out.push_back(fmt::format("reversible: {} -> {}", before.reversible, after.reversible));
  }
  // The checksum covers the up steps, an explicit down and the transaction setting; with
  // the first two alike only the others are left.
  if (out.empty()) {
    out.push_back(fmt::format("checksum {} -> {} with the same up steps: its explicit down steps or its "
                              "transaction setting changed",
                              before.checksum, after.checksum));
  }
  return out;
}

// Indexes into `sequence` of one longest strictly increasing subsequence: the migrations
// that kept their relative order. The others moved.
std::vector<bool> inLongestIncreasing(const std::vector<std::size_t>& sequence) {
  std::vector<std::size_t> tails;  // index into sequence of the smallest tail of each length
  std::vector<std::size_t> previous(sequence.size(), kNone);
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    const auto at = std::lower_bound(tails.begin(), tails.end(), sequence[i],
                                     [&](std::size_t t, std::size_t value) { return sequence[t] < value; });
    if (at != tails.begin()) previous[i] = *(at - 1);
    if (at == tails.end()) {
      tails.push_back(i);
    } else {
      *at = i;
    }
  }
  std::vector<bool> kept(sequence.size(), false);
  for (std::size_t i = tails.empty() ? kNone : tails.back(); i != kNone; i = previous[i]) kept[i] = true;
  return kept;
}

}  // namespace

bool HistoryDiff::editsHistory() const {
  return !inserted.empty() || !removed.empty() || !changed.empty() || !moved.empty() || !renamed.empty() ||
         oldMigrationTable != newMigrationTable;
}

bool HistoryDiff::empty() const { return appended.empty() && !editsHistory(); }

HistoryDiff diffHistories(const std::vector<MigrationSummary>& before, const std::vector<MigrationSummary>& after) {
  HistoryDiff diff;
  std::map<std::string, std::size_t> afterByName;
  for (std::size_t j = 0; j < after.size(); ++j) afterByName[after[j].name] = j;
  std::map<std::string, std::size_t> beforeByName;
  for (std::size_t i = 0; i < before.size(); ++i) beforeByName[before[i].name] = i;

  // counterpart[i]: where old migration i is in the new build, by name or as a rename.
  std::vector<std::size_t> counterpart(before.size(), kNone);
  std::vector<bool> matched(after.size(), false);
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (const auto found = afterByName.find(before[i].name); found != afterByName.end()) {
      counterpart[i] = found->second;
      matched[found->second] = true;
    }
  }
  // A rename keeps the checksum (it covers the steps, not the name). Two migrations may
  // share steps, so the same position is tried first, then the first unmatched one.
  const auto renamedTo = [&](std::size_t i, std::size_t j) {
    counterpart[i] = j;
    matched[j] = true;
  };
  const auto renameCandidate = [&](std::size_t i, std::size_t j) {
    return j < after.size() && !matched[j] && !beforeByName.count(after[j].name) && !before[i].checksum.empty() &&
           before[i].checksum == after[j].checksum;
  };
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (counterpart[i] == kNone && renameCandidate(i, i)) renamedTo(i, i);
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    for (std::size_t j = 0; counterpart[i] == kNone && j < after.size(); ++j) {
      if (renameCandidate(i, j)) renamedTo(i, j);
    }
  }

  std::vector<std::size_t> oldIndexes;
  std::vector<std::size_t> newIndexes;
  std::optional<std::size_t> lastKept;  // the new position of the latest migration the old build had
  for (std::size_t i = 0; i < before.size(); ++i) {
    const std::size_t j = counterpart[i];
    if (j == kNone) {
      diff.removed.push_back({before[i].name, i + 1});
      continue;
    }
    oldIndexes.push_back(i);
    newIndexes.push_back(j);
    lastKept = std::max(lastKept.value_or(0), j);
    if (before[i].name != after[j].name) {
      diff.renamed.push_back({before[i].name, after[j].name});
    } else if (before[i].checksum != after[j].checksum) {
      diff.changed.push_back({after[j].name, changesOf(before[i], after[j])});
    }
  }
  const std::vector<bool> kept = inLongestIncreasing(newIndexes);
  for (std::size_t k = 0; k < newIndexes.size(); ++k) {
    if (!kept[k]) diff.moved.push_back({after[newIndexes[k]].name, oldIndexes[k] + 1, newIndexes[k] + 1});
  }
  for (std::size_t j = 0; j < after.size(); ++j) {
    if (matched[j]) continue;
    auto& list = (!lastKept || j > *lastKept) ? diff.appended : diff.inserted;
    list.push_back({after[j].name, j + 1});
  }
  return diff;
}

std::vector<std::string> findings(const HistoryDiff& diff) {
  std::vector<std::string> out;
  if (diff.oldMigrationTable != diff.newMigrationTable) {
    out.push_back(fmt::format("tracking table changed: {} -> {} (the new build would not see what the old one "
                              "applied)",
                              diff.oldMigrationTable, diff.newMigrationTable));
  }
  for (const auto& m : diff.removed) out.push_back(fmt::format("removed '{}' (was migration {})", m.name, m.position));
  for (const auto& m : diff.changed) {
    for (const auto& change : m.changes) out.push_back(fmt::format("changed '{}': {}", m.name, change));
  }
  for (const auto& m : diff.renamed) out.push_back(fmt::format("renamed '{}' -> '{}' (same steps)", m.from, m.to));
  for (const auto& m : diff.moved) {
    out.push_back(fmt::format("moved '{}' (migration {} -> {})", m.name, m.oldPosition, m.newPosition));
  }
  for (const auto& m : diff.inserted) {
    out.push_back(fmt::format("inserted '{}' as migration {}, before migrations the old build had", m.name,
                              m.position));
  }
  for (const auto& m : diff.appended) out.push_back(fmt::format("appended '{}' (migration {})", m.name, m.position));
  return out;
}

nlohmann::json toJson(const HistoryDiff& diff) {
  const auto names = [](const auto& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : list) out.push_back(m.name);
    return out;
  };
  nlohmann::json changed = nlohmann::json::array();
  for (const auto& m : diff.changed) changed.push_back({{"name", m.name}, {"changes", m.changes}});
  nlohmann::json renamed = nlohmann::json::array();
  for (const auto& m : diff.renamed) renamed.push_back({{"from", m.from}, {"to", m.to}});
  return {{"appended", names(diff.appended)},
          {"inserted", names(diff.inserted)},
          {"removed", names(diff.removed)},
          {"changed", changed},
          {"moved", names(diff.moved)},
          {"renamed", renamed},
          {"migrationTable", {{"old", diff.oldMigrationTable}, {"new", diff.newMigrationTable}}},
          {"editedHistory", diff.editsHistory()}};
}

}  // namespace jsorm::cli
