#include <jsorm/error.hpp>
#include <jsorm/step.hpp>
#include <jsorm/overloaded.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::Overloaded;

std::string quoted(const std::string& text) {
  constexpr std::size_t kLimit = 60;
  std::string shown = text.size() > kLimit ? text.substr(0, kLimit) + "..." : text;
  return fmt::format("\"{}\"", shown);
}
}  // namespace

Step::Step(const Step& other) = default;
Step::Step(Step&& other) noexcept = default;
Step& Step::operator=(const Step& other) = default;
Step& Step::operator=(Step&& other) noexcept = default;
Step::~Step() = default;

Steps::Steps(std::initializer_list<Step> steps) : std::vector<Step>(steps) {}
Steps::Steps(const Steps& other) = default;
Steps::Steps(Steps&& other) noexcept = default;
Steps& Steps::operator=(const Steps& other) = default;
Steps& Steps::operator=(Steps&& other) noexcept = default;
Steps::~Steps() = default;

std::string Step::describe() const {
  return std::visit(
      Overloaded{
          [](const step::CreateTable& op) { return fmt::format("createTable(\"{}\")", op.table.name); },
          [](const step::DropTable& op) { return fmt::format("dropTable(\"{}\")", op.table); },
          [](const step::RenameTable& op) { return fmt::format("renameTable(\"{}\", \"{}\")", op.from, op.to); },
          [](const step::AddColumn& op) { return fmt::format("addColumn(\"{}\", \"{}\")", op.table, op.column.name); },
          [](const step::DropColumn& op) { return fmt::format("dropColumn(\"{}\", \"{}\")", op.table, op.column); },
          [](const step::RenameColumn& op) {
            return fmt::format("renameColumn(\"{}\", \"{}\", \"{}\")", op.table, op.from, op.to);
          },
          [](const step::CreateIndex& op) {
            return fmt::format("createIndex(\"{}\", {{\"{}\"}})", op.index.table, fmt::join(op.index.columns, "\", \""));
          },
          [](const step::DropIndex& op) { return fmt::format("dropIndex(\"{}\", \"{}\")", op.table, op.name); },
          [](const step::RawSql& op) { return fmt::format("rawSql({})", quoted(op.up)); },
          [](const step::Data& op) { return fmt::format("data({})", quoted(op.description)); },
          [](const step::AlterColumn& op) {
            return fmt::format("alterColumn(\"{}\", \"{}\")", op.table, op.column.name);
          },
      },
      op_);
}

std::optional<Steps> Step::reversed() const {
  return std::visit(
      Overloaded{
          [](const step::CreateTable& op) -> std::optional<Steps> {
            // Pivot tables reference the table, so they go first.
            Steps steps;
            for (const auto& pivot : op.pivots) steps.emplace_back(step::DropTable{pivot.name});
            steps.emplace_back(step::DropTable{op.table.name});
            return steps;
          },
          [](const step::RenameTable& op) -> std::optional<Steps> {
            return Steps{step::RenameTable{op.to, op.from}};
          },
          [](const step::AddColumn& op) -> std::optional<Steps> {
            return Steps{step::DropColumn{op.table, op.column.name, false}};
          },
          [](const step::RenameColumn& op) -> std::optional<Steps> {
            return Steps{step::RenameColumn{op.table, op.to, op.from}};
          },
          [](const step::CreateIndex& op) -> std::optional<Steps> {
            return Steps{step::DropIndex{op.index.table, op.index.name}};
          },
          [](const step::AlterColumn& op) -> std::optional<Steps> {
            // Back to the column as it was, known only when the migration says (.from).
            if (!op.from) return std::nullopt;
            return Steps{step::AlterColumn{op.table, *op.from, op.column}};
          },
          [](const step::RawSql& op) -> std::optional<Steps> {
            if (!op.down) return std::nullopt;
            return Steps{step::RawSql{*op.down, op.up}};
          },
          [](const step::Data& op) -> std::optional<Steps> {
            if (!op.down) return std::nullopt;
            return Steps{step::Data{op.description, op.down, op.up}};
          },
          [](const auto&) -> std::optional<Steps> { return std::nullopt; },
      },
      op_);
}

bool Step::needsNoTransaction() const noexcept {
  const auto* index = std::get_if<step::CreateIndex>(&op_);
  return index && index->index.concurrently;
}

Step rawSql(std::string up) { return step::RawSql{std::move(up), std::nullopt}; }
Step rawSql(std::string up, std::string down) { return step::RawSql{std::move(up), std::move(down)}; }

std::string defaultIndexName(const std::string& table, const std::vector<std::string>& columns, bool unique) {
  return fmt::format("{}_{}_{}", table, fmt::join(columns, "_"), unique ? "unique" : "index");
}

std::vector<ColumnDef> resolveColumns(const std::string& table, const std::string& name, const Field& field) {
  const FieldSpec& spec = field.spec();
  if (spec.type == FieldType::ManyToMany) return {};
  if (spec.type != FieldType::BelongsTo) {
    std::optional<ForeignKey> references;
    if (!spec.referencesTable.empty()) references = ForeignKey{spec.referencesTable, spec.referencesColumn};
    return {ColumnDef{name, spec, std::move(references)}};
  }

  const Model target(spec.target ? spec.target : std::make_shared<const ModelData>());
  const auto* key = target.primaryKey();
  if (!key) {
    throw SchemaError(fmt::format("model '{}': field '{}' belongsTo model '{}', which has no primary key", table, name,
                                  target.table()));
  }
  // The foreign key takes the target key's type, without its primary/generated nature.
  FieldSpec column = key->second.spec();
  column.primary = false;
  column.unique = spec.unique;
  column.optional = spec.optional;
  column.index = spec.index;
  column.defaultValue = spec.defaultValue;
  column.defaultSql = spec.defaultSql;
  column.renamedFrom = spec.renamedFrom.empty() ? "" : spec.renamedFrom + "_" + key->first;
  column.target.reset();
  return {ColumnDef{name + "_" + key->first, std::move(column), ForeignKey{target.table(), key->first}}};
}

namespace {
TableDef pivotTable(const Model& owner, const std::string& field, const Model& target) {
  const auto* ownerKey = owner.primaryKey();
  const auto* targetKey = target.primaryKey();
  if (!ownerKey || !targetKey) {
    throw SchemaError(fmt::format("model '{}': manyToMany field '{}' needs primary keys on '{}' and '{}'",
                                  owner.table(), field, owner.table(), target.table()));
  }
  auto keyColumn = [](const std::string& prefix, const std::string& table, const std::pair<std::string, Field>& key) {
    FieldSpec spec = key.second.spec();
    spec.primary = false;
    spec.unique = false;
    spec.index = false;
    spec.optional = false;
    return ColumnDef{prefix + "_" + key.first, std::move(spec), ForeignKey{table, key.first}};
  };
  TableDef pivot;
  pivot.name = owner.table() + "_" + field;
  pivot.columns.push_back(keyColumn(owner.table(), owner.table(), *ownerKey));
  pivot.columns.push_back(keyColumn(field, target.table(), *targetKey));
  std::vector<std::string> both{pivot.columns[0].name, pivot.columns[1].name};
  pivot.indexes.push_back(IndexDef{pivot.name, defaultIndexName(pivot.name, both, true), both, true, false});
  return pivot;
}
}  // namespace

step::CreateTable resolveTable(const Model& model) {
  step::CreateTable op;
  op.table.name = model.table();
  for (const auto& [name, field] : model.fields()) {
    if (field.spec().type == FieldType::ManyToMany) {
      op.pivots.push_back(pivotTable(model, name, Model(field.spec().target)));
      continue;
    }
    for (auto& column : resolveColumns(model.table(), name, field)) {
      // A named unique index rather than an inline constraint: SQLite cannot drop a column
      // with a UNIQUE constraint, but can once its index is gone.
      if (column.field.unique && !column.field.primary) {
        op.table.indexes.push_back(
            IndexDef{model.table(), defaultIndexName(model.table(), {column.name}, true), {column.name}, true, false});
      }
      if (column.field.index) {
        op.table.indexes.push_back(
            IndexDef{model.table(), defaultIndexName(model.table(), {column.name}, false), {column.name}, false, false});
      }
      op.table.columns.push_back(std::move(column));
    }
  }
  return op;
}

JSORM_NAMESPACE_END
