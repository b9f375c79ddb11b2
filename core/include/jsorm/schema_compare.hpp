#pragma once
/// Comparison of an expected schema (replayed migrations, or models) with the live one.

#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/snapshot.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

enum class SchemaDifferenceKind {
  MissingTable,
  ExtraTable,
  MissingColumn,
  ExtraColumn,
  ColumnType,
  Nullability,
  PrimaryKey,
  Default,
  MissingIndex,
  ExtraIndex,
  MissingForeignKey,
  ExtraForeignKey,
  ForeignKeyTarget,
};

/// "missing-table", "extra-column", "column-type", ... (the JSON report's `kind`).
JSORM_API const char* schemaDifferenceKindName(SchemaDifferenceKind kind) noexcept;

/// One way the live schema differs from the expected one.
struct SchemaDifference {
  SchemaDifferenceKind kind = SchemaDifferenceKind::MissingTable;
  std::string table;
  /// The column or index concerned; empty for a table.
  std::string object;
  std::string expected;  ///< what the expected schema has, as text ("" for none)
  std::string actual;    ///< what the live schema has, as text ("" for none)
  /// On a table a rawSql step changed: reported, but not counted as drift.
  bool unverifiable = false;

  /// One line naming the object, e.g. "extra column users.nickname (text, nullable)".
  JSORM_API std::string describe() const;
};

struct SchemaCompareOptions {
  /// Tables left out on both sides (the tracking table, its journal and lock tables).
  std::set<std::string> ignoredTables;
  /// Tables a rawSql step changed: their differences are marked unverifiable.
  std::set<std::string> unverifiableTables;
  /// false: only what the expected schema has is checked (migrate:baseline), so extra
  /// tables, columns, indexes and foreign keys in the live schema are fine.
  bool reportExtras = true;
};

/// Every difference, by table name then column order. Types are compared as the dialect
/// renders the expected column (Dialect::columnType) against the live rawType, both
/// normalised by normalizedColumnType. Defaults are compared by presence; a literal
/// default's value is compared where both sides read as a plain number or string.
JSORM_API std::vector<SchemaDifference> compareSchemas(const SchemaSnapshot& expected, const SchemaSnapshot& live,
                                                       const Dialect& dialect, const SchemaCompareOptions& options = {});

/// A column type in one spelling per meaning, for `dialect`'s database: lower case,
/// "character varying(255)" and "varchar(255)" alike, "int4" and "integer" alike,
/// MariaDB's "tinyint" for BOOLEAN and "longtext" for JSON.
JSORM_API std::string normalizedColumnType(const Dialect& dialect, std::string_view type);

JSORM_NAMESPACE_END
