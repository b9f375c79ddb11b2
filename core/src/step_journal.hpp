#pragma once
// The step journal of databases whose DDL commits on its own (MySQL, MariaDB): a row per
// statement of a migration that ran, so a migration stopped halfway is `partial` and the
// runner knows exactly where to resume or what to undo.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// What the journal holds for one migration: the statements that ran, by (step, statement)
/// index, and each journaled step's checksum.
struct MigrationJournal {
  std::set<std::pair<std::size_t, std::size_t>> statements;
  std::map<std::size_t, std::string> stepChecksums;

  bool has(std::size_t step, std::size_t statement) const { return statements.count({step, statement}) != 0; }
};

class StepJournal {
 public:
  StepJournal(const Dialect& dialect, const std::string& migrationTable);

  const std::string& table() const noexcept { return table_; }
  std::vector<Statement> createSql() const;
  /// The row for one statement as literal SQL, to run inside the same server-side unit as
  /// the statement (Dialect::journaled).
  std::string insertLiteral(const std::string& migration, std::size_t step, std::size_t statement,
                            const std::string& checksum) const;
  /// Forgets one migration, or one of its steps (step counted from 0).
  std::string deleteLiteral(const std::string& migration) const;
  std::string deleteStepLiteral(const std::string& migration, std::size_t step) const;

  /// Every migration the journal holds.
  std::map<std::string, MigrationJournal> read(Connection& connection) const;

 private:
  const Dialect& dialect_;
  std::string table_;
};

}  // namespace detail
JSORM_NAMESPACE_END
