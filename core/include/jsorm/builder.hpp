#pragma once
/// The Builder handed to a migration's up/down callbacks.

#include <jsorm/api.hpp>
#include <jsorm/model.hpp>
#include <jsorm/step.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

struct DropColumnOptions {
  bool ifExists = false;
};

struct AlterColumnOptions {
  /// The column as it is now, which makes the step reversible (`{.from = t.string(100)}`).
  std::optional<Field> from;
};

struct CreateIndexOptions {
  std::string name;  ///< default `<table>_<columns>_index`
  bool unique = false;
  /// PostgreSQL CREATE INDEX CONCURRENTLY; the migration then runs outside a transaction.
  bool concurrently = false;
};

/// The field factories of `t` plus the schema operations, as in jsorm.
class JSORM_API Builder : public FieldFactory {
 public:
  /// The model's table as the model is now: the migration changes when the model does
  /// (frozen with `jsorm migrate:freeze`).
  Step createTable(const Model& model) const;
  /// A table written out field by field, as migrate:freeze writes one: it never changes.
  /// `t.createTable("posts", {{"id", t.number().primary()}, {"title", t.string()}})`
  Step createTable(const char* table, std::initializer_list<FieldEntry> fields) const;
  Step createTable(const std::string& table, std::initializer_list<FieldEntry> fields) const;
  Step dropTable(std::string table) const;
  Step renameTable(std::string from, std::string to) const;
  Step addColumn(std::string table, std::string column, const Field& field) const;
  Step dropColumn(std::string table, std::string column, DropColumnOptions options = {}) const;
  Step renameColumn(std::string table, std::string from, std::string to) const;
  /// Changes the column's type, nullability and default to `field`'s; its indexes and
  /// foreign key stay. SQLite rebuilds the table in the migration's transaction.
  Step alterColumn(std::string table, std::string column, const Field& field, AlterColumnOptions options = {}) const;
  Step createIndex(std::string table, std::vector<std::string> columns, CreateIndexOptions options = {}) const;
  /// The same for a braced column list, `createIndex("users", {"email"})`: the names stay
  /// string literals until the step copies them, so the caller builds no std::string or vector.
  Step createIndex(const char* table, std::initializer_list<std::string_view> columns) const;
  Step createIndex(const std::string& table, std::initializer_list<std::string_view> columns) const;
  Step createIndex(const char* table, std::initializer_list<std::string_view> columns,
                   CreateIndexOptions options) const;
  Step createIndex(const std::string& table, std::initializer_list<std::string_view> columns,
                   CreateIndexOptions options) const;
  Step dropIndex(std::string table, std::string name) const;
  Step rawSql(std::string up) const;
  Step rawSql(std::string up, std::string down) const;
  /// C++ that changes data through the query runtime, on the migration's own connection and
  /// in its transaction: `t.data("backfill slugs", [](Database& db) { db.update(...); })`.
  /// The description is part of the checksum; without a down the step cannot be undone.
  Step data(std::string description, std::function<void(Database&)> up) const;
  /// The same with the code that undoes it.
  Step data(std::string description, std::function<void(Database&)> up, std::function<void(Database&)> down) const;
};

JSORM_NAMESPACE_END
