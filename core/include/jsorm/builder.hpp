#pragma once
/// The Builder handed to a migration's up/down callbacks.

#include <jsorm/api.hpp>
#include <jsorm/model.hpp>
#include <jsorm/step.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

struct DropColumnOptions {
  bool ifExists = false;
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
  Step createTable(const Model& model) const;
  Step dropTable(std::string table) const;
  Step renameTable(std::string from, std::string to) const;
  Step addColumn(std::string table, std::string column, const Field& field) const;
  Step dropColumn(std::string table, std::string column, DropColumnOptions options = {}) const;
  Step renameColumn(std::string table, std::string from, std::string to) const;
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
};

JSORM_NAMESPACE_END
