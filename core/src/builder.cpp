#include <jsorm/builder.hpp>
#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

JSORM_NAMESPACE_BEGIN

Step Builder::createTable(const Model& model) const {
  if (!model.errors().empty()) throw SchemaError(fmt::format("{}", fmt::join(model.errors(), "; ")));
  step::CreateTable op = resolveTable(model);
  op.fromModel = true;
  return op;
}

Step Builder::createTable(const char* table, std::initializer_list<FieldEntry> fields) const {
  return createTable(std::string(table), fields);
}

Step Builder::createTable(const std::string& table, std::initializer_list<FieldEntry> fields) const {
  const Model model = defineModel(table, fields);
  if (!model.errors().empty()) throw SchemaError(fmt::format("{}", fmt::join(model.errors(), "; ")));
  return resolveTable(model);
}

Step Builder::dropTable(std::string table) const { return step::DropTable{std::move(table)}; }

Step Builder::renameTable(std::string from, std::string to) const {
  return step::RenameTable{std::move(from), std::move(to)};
}

Step Builder::addColumn(std::string table, std::string column, const Field& field) const {
  if (field.spec().type == FieldType::ManyToMany) {
    throw SchemaError(fmt::format("addColumn(\"{}\", \"{}\"): a manyToMany field is a pivot table, not a column; "
                                  "add it to the model and create the pivot with createTable",
                                  table, column));
  }
  auto columns = resolveColumns(table, column, field);
  return step::AddColumn{std::move(table), std::move(columns.front())};
}

Step Builder::dropColumn(std::string table, std::string column, DropColumnOptions options) const {
  return step::DropColumn{std::move(table), std::move(column), options.ifExists};
}

Step Builder::renameColumn(std::string table, std::string from, std::string to) const {
  return step::RenameColumn{std::move(table), std::move(from), std::move(to)};
}

namespace {
// alterColumn changes what a column holds (type, nullability, default). Keys, uniqueness,
// indexes and references are other steps' business: a flag for them here would be ignored
// on one database and not another, so it is refused.
ColumnDef alteredColumn(const std::string& table, const std::string& column, const Field& field, const char* which) {
  const FieldSpec& f = field.spec();
  std::string refused;
  if (f.type == FieldType::BelongsTo || f.type == FieldType::ManyToMany) refused = "a relation field";
  else if (f.primary) refused = "a primary key";
  else if (f.unique) refused = ".unique() (create or drop a unique index with createIndex/dropIndex)";
  else if (f.index) refused = ".index() (create or drop the index with createIndex/dropIndex)";
  else if (!f.referencesTable.empty()) refused = ".references() (a foreign key is kept as it is)";
  if (!refused.empty()) {
    throw SchemaError(fmt::format("alterColumn(\"{}\", \"{}\"): the {} field is {}; alterColumn changes only a "
                                  "column's type, nullability and default",
                                  table, column, which, refused));
  }
  return ColumnDef{column, f, std::nullopt};
}
}  // namespace

Step Builder::alterColumn(std::string table, std::string column, const Field& field, AlterColumnOptions options) const {
  ColumnDef now = alteredColumn(table, column, field, "new");
  std::optional<ColumnDef> from;
  if (options.from) from = alteredColumn(table, column, *options.from, ".from");
  return step::AlterColumn{std::move(table), std::move(now), std::move(from)};
}

Step Builder::createIndex(std::string table, std::vector<std::string> columns, CreateIndexOptions options) const {
  IndexDef index;
  index.name = options.name.empty() ? defaultIndexName(table, columns, options.unique) : std::move(options.name);
  index.table = std::move(table);
  index.columns = std::move(columns);
  index.unique = options.unique;
  index.concurrently = options.concurrently;
  return step::CreateIndex{std::move(index)};
}

namespace {
std::vector<std::string> copyColumns(std::initializer_list<std::string_view> columns) {
  return std::vector<std::string>(columns.begin(), columns.end());
}
}  // namespace

Step Builder::createIndex(const char* table, std::initializer_list<std::string_view> columns) const {
  return createIndex(std::string(table), copyColumns(columns));
}

Step Builder::createIndex(const std::string& table, std::initializer_list<std::string_view> columns) const {
  return createIndex(table, copyColumns(columns));
}

Step Builder::createIndex(const char* table, std::initializer_list<std::string_view> columns,
                          CreateIndexOptions options) const {
  return createIndex(std::string(table), copyColumns(columns), std::move(options));
}

Step Builder::createIndex(const std::string& table, std::initializer_list<std::string_view> columns,
                          CreateIndexOptions options) const {
  return createIndex(table, copyColumns(columns), std::move(options));
}

Step Builder::dropIndex(std::string table, std::string name) const {
  return step::DropIndex{std::move(table), std::move(name)};
}

Step Builder::rawSql(std::string up) const { return jsorm::rawSql(std::move(up)); }
Step Builder::rawSql(std::string up, std::string down) const { return jsorm::rawSql(std::move(up), std::move(down)); }

Step Builder::data(std::string description, std::function<void(Database&)> up) const {
  return step::Data{std::move(description), std::move(up), {}};
}

Step Builder::data(std::string description, std::function<void(Database&)> up,
                   std::function<void(Database&)> down) const {
  return step::Data{std::move(description), std::move(up), std::move(down)};
}

JSORM_NAMESPACE_END
