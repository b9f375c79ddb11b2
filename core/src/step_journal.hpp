#pragma once
// The step journal of databases whose DDL commits on its own (MySQL, MariaDB): a row per
// statement of a migration, so a migration stopped halfway is `partial` and the runner
// knows where to resume or what to undo.
//
// A row is written before its statement (done = 0) and marked done after it, in one
// server-side block with the statement. A client killed meanwhile does not stop the block;
// a connection killed on the server, or a server crash, can: the row then stays "uncertain"
// and the next run looks at the schema to learn whether the statement took effect.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/step.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

using StatementIndex = std::pair<std::size_t, std::size_t>;  ///< (step, statement), from 0

/// What the journal holds for one migration.
struct MigrationJournal {
  std::set<StatementIndex> done;       ///< statements that ran
  std::set<StatementIndex> uncertain;  ///< started; whether they took effect is unknown
  std::map<std::size_t, std::string> stepChecksums;

  bool has(std::size_t step, std::size_t statement) const { return done.count({step, statement}) != 0; }
};

class StepJournal {
 public:
  StepJournal(const Dialect& dialect, const std::string& migrationTable);

  const std::string& table() const noexcept { return table_; }
  std::vector<Statement> createSql() const;

  // Literal SQL (no parameters): it runs inside server-side blocks.
  std::string insert(const std::string& migration, StatementIndex at, const std::string& checksum, bool done) const;
  std::string markDone(const std::string& migration, StatementIndex at) const;
  /// Every row of one step back to uncertain: its undo is about to run.
  std::string markStepUncertain(const std::string& migration, std::size_t step) const;
  std::string forget(const std::string& migration) const;
  std::string forgetStep(const std::string& migration, std::size_t step) const;
  std::string forgetStatement(const std::string& migration, StatementIndex at) const;

  /// Every migration the journal holds.
  std::map<std::string, MigrationJournal> read(Connection& connection) const;

 private:
  std::string where(const std::string& migration) const;

  const Dialect& dialect_;
  std::string table_;
};

/// Whether the schema shows the effect of statement `statement` of `step` (the table it
/// creates exists, the column it drops is gone, ...), or nullopt when the schema cannot
/// tell (indexes, raw SQL).
std::optional<bool> effectPresent(Connection& connection, const Step& step, std::size_t statement);

}  // namespace detail
JSORM_NAMESPACE_END
