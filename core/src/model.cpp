#include <jsorm/identifier.hpp>
#include <jsorm/model.hpp>

#include <fmt/format.h>

#include <map>
#include <set>

JSORM_NAMESPACE_BEGIN

const char* fieldTypeName(FieldType type) noexcept {
  switch (type) {
    case FieldType::Number: return "number";
    case FieldType::BigInt: return "bigint";
    case FieldType::Real: return "real";
    case FieldType::Decimal: return "decimal";
    case FieldType::String: return "string";
    case FieldType::Text: return "text";
    case FieldType::Boolean: return "boolean";
    case FieldType::Date: return "date";
    case FieldType::Timestamp: return "timestamp";
    case FieldType::Json: return "json";
    case FieldType::Uuid: return "uuid";
    case FieldType::Bytes: return "bytes";
    case FieldType::BelongsTo: return "belongsTo";
    case FieldType::ManyToMany: return "manyToMany";
  }
  return "unknown";
}

namespace {
Field with(const FieldSpec& spec, auto&& change) {
  FieldSpec copy = spec;
  change(copy);
  return Field(std::move(copy));
}
Field ofType(FieldType type) noexcept {
  FieldSpec spec;
  spec.type = type;
  return Field(std::move(spec));
}
}  // namespace

Field::Field(const Field& other) = default;
Field::Field(Field&& other) noexcept = default;
Field& Field::operator=(const Field& other) = default;
Field& Field::operator=(Field&& other) noexcept = default;
Field::~Field() = default;

// A modifier on a named field changes a copy: the rvalue form, applied to that copy.
Field Field::primary() const& { return Field(*this).primary(); }
Field Field::primary() && noexcept {
  spec_.primary = true;
  return std::move(*this);
}
Field Field::unique() const& { return Field(*this).unique(); }
Field Field::unique() && noexcept {
  spec_.unique = true;
  return std::move(*this);
}
Field Field::optional() const& { return Field(*this).optional(); }
Field Field::optional() && noexcept {
  spec_.optional = true;
  return std::move(*this);
}
Field Field::index() const& { return Field(*this).index(); }
Field Field::index() && noexcept {
  spec_.index = true;
  return std::move(*this);
}
Field Field::defaultTo(bool value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(bool value) && noexcept {
  spec_.defaultValue = value;
  return std::move(*this);
}
Field Field::defaultTo(int value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(int value) && noexcept { return std::move(*this).defaultTo(static_cast<long long>(value)); }
Field Field::defaultTo(long value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(long value) && noexcept { return std::move(*this).defaultTo(static_cast<long long>(value)); }
Field Field::defaultTo(long long value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(long long value) && noexcept {
  spec_.defaultValue = static_cast<std::int64_t>(value);
  return std::move(*this);
}
Field Field::defaultTo(double value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(double value) && noexcept {
  spec_.defaultValue = value;
  return std::move(*this);
}
Field Field::defaultTo(const char* value) const& { return Field(*this).defaultTo(value); }
Field Field::defaultTo(const char* value) && { return std::move(*this).defaultTo(std::string(value)); }
Field Field::defaultTo(std::string value) const& { return Field(*this).defaultTo(std::move(value)); }
Field Field::defaultTo(std::string value) && {
  spec_.defaultValue = std::move(value);
  return std::move(*this);
}
Field Field::defaultRaw(std::string sql) const {
  return with(spec_, [&](FieldSpec& s) { s.defaultSql = std::move(sql); });
}
Field Field::renamedFrom(std::string previousName) const {
  return with(spec_, [&](FieldSpec& s) { s.renamedFrom = std::move(previousName); });
}

Field Field::references(std::string table, std::string column) const {
  return with(spec_, [&](FieldSpec& s) {
    s.referencesTable = std::move(table);
    s.referencesColumn = std::move(column);
  });
}

Field FieldFactory::number() const noexcept { return ofType(FieldType::Number); }
Field FieldFactory::bigint() const noexcept { return ofType(FieldType::BigInt); }
Field FieldFactory::real() const noexcept { return ofType(FieldType::Real); }
Field FieldFactory::decimal(int precision, int scale) const noexcept {
  FieldSpec spec;
  spec.type = FieldType::Decimal;
  spec.precision = precision;
  spec.scale = scale;
  return Field(std::move(spec));
}
Field FieldFactory::string(int length) const noexcept {
  FieldSpec spec;
  spec.type = FieldType::String;
  spec.length = length;
  return Field(std::move(spec));
}
Field FieldFactory::text() const noexcept { return ofType(FieldType::Text); }
Field FieldFactory::boolean() const noexcept { return ofType(FieldType::Boolean); }
Field FieldFactory::date() const noexcept { return ofType(FieldType::Date); }
Field FieldFactory::timestamp() const noexcept { return ofType(FieldType::Timestamp); }
Field FieldFactory::json() const noexcept { return ofType(FieldType::Json); }
Field FieldFactory::uuid() const noexcept { return ofType(FieldType::Uuid); }
Field FieldFactory::bytes() const noexcept { return ofType(FieldType::Bytes); }
Field FieldFactory::belongsTo(const Model& target) const noexcept {
  FieldSpec spec;
  spec.type = FieldType::BelongsTo;
  spec.target = target.data();
  return Field(std::move(spec));
}
Field FieldFactory::manyToMany(const Model& target) const noexcept {
  FieldSpec spec;
  spec.type = FieldType::ManyToMany;
  spec.target = target.data();
  return Field(std::move(spec));
}

Model::Model() : data_(std::make_shared<const ModelData>()) {}
Model::Model(std::shared_ptr<const ModelData> data) : data_(std::move(data)) {}
Model::Model(const Model& other) noexcept = default;
Model::Model(Model&& other) noexcept = default;
Model& Model::operator=(const Model& other) noexcept = default;
Model& Model::operator=(Model&& other) noexcept = default;
Model::~Model() = default;

const std::pair<std::string, Field>* Model::primaryKey() const noexcept {
  for (const auto& field : data_->fields) {
    if (field.second.spec().primary) return &field;
  }
  return nullptr;
}

Model Model::renamedFrom(std::string previousTable) const {
  auto copy = std::make_shared<ModelData>(*data_);
  copy->renamedFrom = std::move(previousTable);
  return Model(std::move(copy));
}

Model defineModel(std::string table, std::vector<std::pair<std::string, Field>> fields) {
  auto data = std::make_shared<ModelData>();
  data->table = std::move(table);
  data->fields = std::move(fields);
  auto& errors = data->errors;
  const std::string where = fmt::format("model '{}'", data->table);
  if (auto problem = identifierProblem(data->table)) errors.push_back(fmt::format("{}: table name {}", where, *problem));

  std::set<std::string> seen;
  std::map<std::string, std::string> columnOwners;  // column -> field; belongsTo makes <field>_<key>
  int primaries = 0;
  for (const auto& [name, field] : data->fields) {
    const auto& spec = field.spec();
    if (auto problem = identifierProblem(name)) {
      errors.push_back(fmt::format("{}: field name '{}' {}", where, name, *problem));
    }
    if (!seen.insert(name).second) errors.push_back(fmt::format("{}: field '{}' is defined twice", where, name));
    if (spec.type != FieldType::ManyToMany) {
      std::string column = name;
      if (spec.type == FieldType::BelongsTo && spec.target) {
        if (const auto* key = Model(spec.target).primaryKey()) column = name + "_" + key->first;
      }
      const auto [owner, added] = columnOwners.emplace(column, name);
      if (!added && owner->second != name) {
        errors.push_back(fmt::format("{}: fields '{}' and '{}' both make column '{}'", where, owner->second, name, column));
      }
    }
    if (spec.primary && spec.type != FieldType::ManyToMany) ++primaries;
    if (spec.type == FieldType::Decimal && (spec.precision <= 0 || spec.scale < 0 || spec.scale > spec.precision)) {
      errors.push_back(fmt::format("{}: field '{}' is decimal({}, {}); precision must be positive and at least the scale",
                                   where, name, spec.precision, spec.scale));
    }
    if (spec.type == FieldType::String && spec.length < 0) {
      errors.push_back(fmt::format("{}: field '{}' has a negative string length", where, name));
    }
    if (spec.defaultValue && !spec.defaultSql.empty()) {
      errors.push_back(fmt::format("{}: field '{}' has both defaultTo and defaultRaw", where, name));
    }
    if (spec.type == FieldType::BelongsTo || spec.type == FieldType::ManyToMany) {
      const Model target(spec.target ? spec.target : std::make_shared<const ModelData>());
      if (target.table().empty()) {
        errors.push_back(fmt::format("{}: field '{}' relates to a model that is not defined yet", where, name));
      } else if (!target.primaryKey()) {
        errors.push_back(fmt::format("{}: field '{}' is {} model '{}', which has no primary key", where, name,
                                     fieldTypeName(spec.type), target.table()));
      }
      if (spec.primary && spec.type == FieldType::ManyToMany) {
        errors.push_back(fmt::format("{}: manyToMany field '{}' cannot be a primary key", where, name));
      }
    }
  }
  if (primaries > 1) {
    errors.push_back(fmt::format("{}: {} fields are marked primary(); composite keys are not supported", where, primaries));
  }
  return Model(std::move(data));
}

namespace {
std::vector<std::pair<std::string, Field>> copyFields(std::initializer_list<FieldEntry> entries) {
  std::vector<std::pair<std::string, Field>> fields;
  fields.reserve(entries.size());
  for (const FieldEntry& entry : entries) fields.emplace_back(std::string(entry.name), entry.field);
  return fields;
}
}  // namespace

Model defineModel(const char* table, std::initializer_list<FieldEntry> fields) {
  return defineModel(std::string(table), copyFields(fields));
}

Model defineModel(const std::string& table, std::initializer_list<FieldEntry> fields) {
  return defineModel(table, copyFields(fields));
}

JSORM_NAMESPACE_END
