#pragma once
// The tracking table's statements, rendered once per run through the connection's dialect.

#include <jsorm/api.hpp>
#include <jsorm/adapter.hpp>
#include <jsorm/model.hpp>
#include <jsorm/runner.hpp>

#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// One column of the tracking table. The list below is the table's one definition: the
/// CREATE TABLE, the upgrade of an older table, the insert and the read all come from it.
struct TrackingColumn {
  const char* name;
  FieldSpec field;
  bool unique;  ///< declared UNIQUE inline (the table predates jsorm's named indexes)
  bool extra;   ///< not one of jsorm's four; added to a table made by another tool
};

/// id, name, batch, applied_at (jsorm's four), then checksum and execution_ms.
const std::vector<TrackingColumn>& trackingColumns();

/// Columns jsorm records beyond jsorm's four. A table made by the TypeScript jsorm (or an
/// older tool) lacks them: reads must work on it as it is, and only a run that writes
/// adds them.
struct ExtraColumns {
  bool checksum = true;
  bool executionMs = true;
};

class TrackingTable {
 public:
  TrackingTable(const Dialect& dialect, std::string table);
  /// The extra columns `table`, which must exist, has.
  static ExtraColumns presentIn(Connection& connection, const std::string& table);

  const std::string& table() const noexcept { return table_; }
  std::string createSql() const { return dialect_.createTrackingTable(table_); }
  /// Adds one of the extra columns, for a table made by an older tool.
  std::string addColumnSql(const std::string& column) const;
  const std::string& selectSql() const noexcept { return select_; }
  const std::string& insertSql() const noexcept { return insert_; }
  const std::string& deleteSql() const noexcept { return delete_; }
  const std::string& updateChecksumSql() const noexcept { return updateChecksum_; }

  /// The rows of selectSql(), whichever extra columns the table has. Takes them so that
  /// their strings move into the result instead of being copied.
  std::vector<AppliedMigration> parse(ResultSet rows) const;

 private:
  const Dialect& dialect_;
  std::string table_;
  std::string select_;
  std::string insert_;
  std::string delete_;
  std::string updateChecksum_;
};

}  // namespace detail
JSORM_NAMESPACE_END
