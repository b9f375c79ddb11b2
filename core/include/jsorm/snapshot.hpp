#pragma once
/// The schema snapshot: what the models looked like when migrations were last generated.

#include <jsorm/api.hpp>
#include <jsorm/model.hpp>
#include <jsorm/step.hpp>

#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// One column as the database has it (a belongsTo field is its `<field>_id` column).
struct JSORM_API ColumnSnapshot {
  std::string name;
  FieldType type = FieldType::Number;  ///< never BelongsTo / ManyToMany
  int length = 0;
  int precision = 0;
  int scale = 0;
  bool nullable = false;
  bool primary = false;
  bool unique = false;
  bool index = false;
  std::optional<Literal> defaultValue;
  std::string defaultSql;
  std::optional<ForeignKey> references;
  std::string renamedFrom;  ///< from the model; never written to the snapshot file
  /// Introspection only (Connection::introspect): the type as the database reports it,
  /// lower case, e.g. "character varying(255)", "int", "numeric(12,2)". `type` holds the
  /// jsorm type it maps to where one does. Never written to the snapshot file, and not
  /// compared by operator== (models have none).
  std::string rawType;

  bool operator==(const ColumnSnapshot& other) const;
};

/// Whether two defaults are the same, a NaN default being the same as another NaN.
JSORM_API bool sameDefault(const std::optional<Literal>& a, const std::optional<Literal>& b);

struct IndexSnapshot {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;

  bool operator==(const IndexSnapshot&) const = default;
};

struct JSORM_API TableSnapshot {
  std::string name;
  std::vector<ColumnSnapshot> columns;  ///< in declaration order
  std::vector<IndexSnapshot> indexes;   ///< sorted by name
  /// For a many-to-many pivot table: "<owner table>.<field>".
  std::string pivotOf;
  std::string renamedFrom;  ///< from the model; never written to the snapshot file

  const ColumnSnapshot* column(const std::string& name) const;
};

struct JSORM_API SchemaSnapshot {
  std::vector<TableSnapshot> tables;  ///< sorted by name

  const TableSnapshot* table(const std::string& name) const;
};

/// The snapshot of a set of models, pivot tables included.
JSORM_API SchemaSnapshot snapshotOf(const std::vector<Model>& models);

/// Stable, sorted, two-space-indented JSON, ending in a newline: diffs cleanly in review.
JSORM_API std::string toJson(const SchemaSnapshot& snapshot);
/// Parses a snapshot file's text. Throws ConfigError("<path>:<line>:<column>: ...").
JSORM_API SchemaSnapshot parseSnapshot(const std::string& text, const std::string& path);

JSORM_NAMESPACE_END
