#include <jsorm/generator.hpp>

#include "generator_code.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

JSORM_NAMESPACE_BEGIN

const char* riskName(Risk risk) noexcept {
  switch (risk) {
    case Risk::Safe: return "safe";
    case Risk::ReviewRequired: return "review_required";
    case Risk::Dangerous: return "dangerous";
  }
  return "unknown";
}

bool SchemaDiff::has(Risk risk) const noexcept {
  for (const auto& change : changes) {
    if (change.risk == risk) return true;
  }
  return false;
}

namespace {
using detail::createIndexCode;
using detail::columnDef;
using detail::createTableCode;
using detail::createTableSteps;
using detail::indexDef;
using detail::fieldCode;

std::string q(const std::string& text) { return cppString(text); }

std::string typeText(const ColumnSnapshot& c) {
  if (c.type == FieldType::String) return fmt::format("string({})", c.length);
  if (c.type == FieldType::Decimal) return fmt::format("decimal({}, {})", c.precision, c.scale);
  return fieldTypeName(c.type);
}

bool widens(const ColumnSnapshot& from, const ColumnSnapshot& to) {
  if (from.type == to.type && from.type == FieldType::String) return to.length >= from.length;
  if (from.type == FieldType::String && to.type == FieldType::Text) return true;
  if (from.type == FieldType::Number && (to.type == FieldType::BigInt || to.type == FieldType::Real)) return true;
  if (from.type == FieldType::Decimal && to.type == FieldType::Decimal) {
    return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
  }
  return false;
}

// The column as alterColumn sees it: what it holds, without the key, uniqueness, index and
// foreign key, which the step keeps as they are.
ColumnSnapshot alteredColumn(ColumnSnapshot column) {
  column.primary = column.unique = column.index = false;
  column.references.reset();
  return column;
}

ColumnDef alteredColumnDef(const ColumnSnapshot& column) { return columnDef(alteredColumn(column)); }

std::string alterColumnCode(const std::string& table, const ColumnSnapshot& to, const ColumnSnapshot& from) {
  return fmt::format("t.alterColumn({}, {}, {}, {{.from = {}}})", q(table), q(to.name), fieldCode(alteredColumn(to)),
                     fieldCode(alteredColumn(from)));
}

// Collects the changes into ordered groups; the migration applies them group by group.
class DiffBuilder {
 public:
  enum Group { RenameTables, CreateTables, RenameColumns, AddColumns, DropIndexes, CreateIndexes, AlterColumns, DropColumns, DropTables, kGroups };

  /// `steps` are the typed steps `change.up` stands for: what the lint rules classify.
  void add(Group group, SchemaChange change, Steps steps = {}) {
    change.steps = std::move(steps);
    groups_[group].push_back(std::move(change));
  }
  void note(std::string text) { diff_.notes.push_back(std::move(text)); }

  SchemaDiff finish() {
    for (auto& group : groups_) {
      for (auto& change : group) diff_.changes.push_back(std::move(change));
    }
    return std::move(diff_);
  }

 private:
  std::vector<SchemaChange> groups_[kGroups];
  SchemaDiff diff_;
};

// SchemaSnapshot::table by name in constant time: the first table of each name, as that
// linear search finds it. Looking every table up by scanning made the diff quadratic in
// the number of tables.
class TableIndex {
 public:
  explicit TableIndex(const SchemaSnapshot& snapshot) {
    byName_.reserve(snapshot.tables.size());
    for (const auto& t : snapshot.tables) byName_.emplace(t.name, &t);
  }
  const TableSnapshot* find(const std::string& name) const {
    const auto it = byName_.find(name);
    return it == byName_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const TableSnapshot*> byName_;
};

// Created tables in an order where every referenced table comes first.
std::vector<const TableSnapshot*> referencedFirst(std::vector<const TableSnapshot*> tables) {
  std::vector<const TableSnapshot*> ordered;
  std::set<std::string> pending;
  for (const auto* t : tables) pending.insert(t->name);
  while (!tables.empty()) {
    bool progressed = false;
    for (auto it = tables.begin(); it != tables.end();) {
      bool ready = true;
      for (const auto& c : (*it)->columns) {
        if (c.references && c.references->table != (*it)->name && pending.count(c.references->table)) ready = false;
      }
      if (ready) {
        pending.erase((*it)->name);
        ordered.push_back(*it);
        it = tables.erase(it);
        progressed = true;
      } else {
        ++it;
      }
    }
    if (!progressed) {  // a reference cycle: keep the remaining order
      ordered.insert(ordered.end(), tables.begin(), tables.end());
      break;
    }
  }
  return ordered;
}

// `before` may be the table under its old name (a rename): only its columns and indexes
// are compared.
// `renamedTables` maps old table names to new ones: a foreign key that followed its table's
// rename has not changed (both databases follow a rename in the references).
void diffColumnsAndIndexes(DiffBuilder& out, const TableSnapshot& before, const TableSnapshot& after,
                           const std::map<std::string, std::string>& renamedTables) {
  const std::string& table = after.name;
  std::set<std::string> handledIndexes;  // created or dropped along with a column
  std::map<std::string, std::string> renamedTo;  // old column -> new column
  for (const auto& c : after.columns) {
    if (c.renamedFrom.empty() || after.column(c.renamedFrom) || !before.column(c.renamedFrom) || before.column(c.name)) continue;
    renamedTo[c.renamedFrom] = c.name;
    out.add(DiffBuilder::RenameColumns,
            {Risk::ReviewRequired, fmt::format("rename column {}.{} to {} (code reading the old name breaks)", table, c.renamedFrom, c.name),
             {fmt::format("t.renameColumn({}, {}, {})", q(table), q(c.renamedFrom), q(c.name))},
             {fmt::format("t.renameColumn({}, {}, {})", q(table), q(c.name), q(c.renamedFrom))}},
            {step::RenameColumn{table, c.renamedFrom, c.name}});
  }

  std::vector<const ColumnSnapshot*> added;
  for (const auto& c : after.columns) {
    if (before.column(c.name)) continue;
    bool isRenameTarget = false;
    for (const auto& [from, to] : renamedTo) isRenameTarget |= to == c.name;
    if (isRenameTarget) continue;
    added.push_back(&c);
    const bool hasDefault = c.defaultValue || !c.defaultSql.empty();
    Risk risk = Risk::Safe;
    std::string why = c.nullable ? "nullable" : "with a default";
    if (!c.nullable && !hasDefault) {
      risk = Risk::ReviewRequired;
      why = "NOT NULL without a default: fails if the table has rows";
    } else if (c.unique) {
      risk = Risk::ReviewRequired;
      why = "unique: fails if existing rows would collide";
    }
    out.add(DiffBuilder::AddColumns, {risk, fmt::format("add column {}.{} ({})", table, c.name, why),
                                      {fmt::format("t.addColumn({}, {}, {})", q(table), q(c.name), fieldCode(c))},
                                      {fmt::format("t.dropColumn({}, {})", q(table), q(c.name))}},
            {step::AddColumn{table, columnDef(c)}});
    handledIndexes.insert(defaultIndexName(table, {c.name}, true));
    handledIndexes.insert(defaultIndexName(table, {c.name}, false));
  }

  for (const auto& c : before.columns) {
    if (after.column(c.name) || renamedTo.count(c.name)) continue;
    out.add(DiffBuilder::DropColumns, {Risk::Dangerous, fmt::format("drop column {}.{} (its data is lost)", table, c.name),
                                       {fmt::format("t.dropColumn({}, {})", q(table), q(c.name))},
                                       {fmt::format("t.addColumn({}, {}, {})", q(table), q(c.name), fieldCode(c))}},
            {step::DropColumn{table, c.name}});
    handledIndexes.insert(defaultIndexName(table, {c.name}, true));
    handledIndexes.insert(defaultIndexName(table, {c.name}, false));
    for (const ColumnSnapshot* candidate : added) {
      if (candidate->type == c.type && candidate->renamedFrom.empty()) {
        out.note(fmt::format("possible rename: {}.{} was dropped and {}.{} added, both {}; if it is a rename, declare "
                             "it on the field with .renamedFrom({}) and generate again to keep the data",
                             table, c.name, table, candidate->name, typeText(c), q(c.name)));
      }
    }
  }

  for (const auto& now : after.columns) {
    auto from = before.column(now.name);
    for (const auto& [old, renamed] : renamedTo) {
      if (renamed == now.name) from = before.column(old);
    }
    if (!from || !after.column(now.name)) continue;
    std::vector<std::string> what;
    Risk risk = Risk::Safe;
    if (from->type != now.type || from->length != now.length || from->precision != now.precision || from->scale != now.scale) {
      what.push_back(fmt::format("type {} -> {}", typeText(*from), typeText(now)));
      if (!widens(*from, now)) risk = Risk::ReviewRequired;
    }
    if (from->nullable != now.nullable) {
      what.push_back(now.nullable ? "now nullable" : "now required (NOT NULL)");
      if (!now.nullable) risk = Risk::ReviewRequired;
    }
    if (!sameDefault(from->defaultValue, now.defaultValue) || from->defaultSql != now.defaultSql) what.push_back("default changed");
    auto renamed = [&](const std::string& table) {
      const auto found = renamedTables.find(table);
      return found == renamedTables.end() ? table : found->second;
    };
    const bool referencesChanged =
        from->references.has_value() != now.references.has_value() ||
        (from->references &&
         (renamed(from->references->table) != now.references->table || from->references->column != now.references->column));
    if (referencesChanged) {
      what.push_back("foreign key changed");
      risk = Risk::ReviewRequired;
    }
    if (from->primary != now.primary) {
      what.push_back("primary key changed");
      risk = Risk::ReviewRequired;
    }
    if (what.empty()) continue;
    const std::string summary = fmt::format("alter column {}.{}: {}", table, now.name, fmt::join(what, ", "));
    if (referencesChanged || from->primary || now.primary) {
      // No builder operation changes a key or a foreign key (alterColumn refuses a key: MySQL's
      // MODIFY would drop AUTO_INCREMENT, SQLite would rebuild its rowid): the file carries a TODO.
      out.add(DiffBuilder::AlterColumns, {std::max(risk, Risk::ReviewRequired), summary, {}, {}, true});
      continue;
    }
    // alterColumn changes type, nullability and default; the lint rules classify it. A
    // renamed column is renamed first (and back last), so both directions use its new name.
    ColumnSnapshot was = *from;
    was.name = now.name;
    out.add(DiffBuilder::AlterColumns,
            {risk, summary, {alterColumnCode(table, now, was)}, {alterColumnCode(table, was, now)}},
            {step::AlterColumn{table, alteredColumnDef(now), alteredColumnDef(was)}});
  }

  for (const auto& index : before.indexes) {
    if (handledIndexes.count(index.name)) continue;
    bool kept = false;
    for (const auto& i : after.indexes) kept |= i == index;
    if (kept) continue;
    // A column rename leaves the index on the renamed column; it is dropped under its old name.
    out.add(DiffBuilder::DropIndexes, {Risk::Safe, fmt::format("drop index {} on {}", index.name, table),
                                       {fmt::format("t.dropIndex({}, {})", q(table), q(index.name))},
                                       {createIndexCode(table, [&] {
                                         IndexSnapshot old = index;
                                         for (auto& c : old.columns) {
                                           if (renamedTo.count(c)) c = renamedTo[c];
                                         }
                                         return old;
                                       }())}},
            {step::DropIndex{table, index.name}});
  }
  for (const auto& index : after.indexes) {
    if (handledIndexes.count(index.name)) continue;
    bool existed = false;
    for (const auto& i : before.indexes) existed |= i == index;
    if (existed) continue;
    out.add(DiffBuilder::CreateIndexes,
            {index.unique ? Risk::ReviewRequired : Risk::Safe,
             fmt::format("create {}index {} on {}{}", index.unique ? "unique " : "", index.name, table,
                         index.unique ? " (fails if existing rows collide)" : ""),
             {createIndexCode(table, index)},
             {fmt::format("t.dropIndex({}, {})", q(table), q(index.name))}},
            {step::CreateIndex{indexDef(table, index)}});
  }
}
}  // namespace

SchemaDiff diffSchemas(const SchemaSnapshot& before, const SchemaSnapshot& after, DatabaseKind database) {
  DiffBuilder out;
  std::set<std::string> renamedSources;
  std::map<std::string, std::string> renamedTables;  // old name -> new name
  std::vector<std::pair<const TableSnapshot*, const TableSnapshot*>> pairs;
  std::vector<const TableSnapshot*> created;
  std::deque<TableSnapshot> renamedPivots;  // new pivots, their owner key marked as renamed
  const TableIndex beforeTables(before);
  const TableIndex afterTables(after);

  auto rename = [&](const TableSnapshot& old, const TableSnapshot& now) {
    renamedSources.insert(old.name);
    renamedTables[old.name] = now.name;
    out.add(DiffBuilder::RenameTables,
            {Risk::ReviewRequired, fmt::format("rename table {} to {} (code reading the old name breaks)", old.name, now.name),
             {fmt::format("t.renameTable({}, {})", q(old.name), q(now.name))},
             {fmt::format("t.renameTable({}, {})", q(now.name), q(old.name))}},
            {step::RenameTable{old.name, now.name}});
    pairs.emplace_back(&old, &now);
  };
  // Models first, so that every owner's rename is known when its pivots are looked at.
  std::vector<const TableSnapshot*> newPivots;
  for (const auto& table : after.tables) {
    if (const auto* old = beforeTables.find(table.name)) {
      pairs.emplace_back(old, &table);
    } else if (!table.pivotOf.empty()) {
      newPivots.push_back(&table);
    } else if (const TableSnapshot* old = table.renamedFrom.empty() ? nullptr : beforeTables.find(table.renamedFrom);
               old && !afterTables.find(table.renamedFrom)) {
      rename(*old, table);
    } else {
      created.push_back(&table);
    }
  }
  // The pivot of a renamed owner holds the relation's rows: it is renamed with its owner
  // (and its owner's key column with it), never dropped and created again.
  for (const TableSnapshot* table : newPivots) {
    const auto dot = table->pivotOf.find('.');
    const std::string owner = table->pivotOf.substr(0, dot);
    const TableSnapshot* old = nullptr;
    for (const auto& [from, to] : renamedTables) {
      if (to != owner || dot == std::string::npos) continue;
      const std::string oldPivotOf = from + table->pivotOf.substr(dot);
      for (const auto& candidate : before.tables) {
        if (candidate.pivotOf == oldPivotOf && !afterTables.find(candidate.name)) old = &candidate;
      }
      if (old) {
        TableSnapshot adjusted = *table;
        for (auto& column : adjusted.columns) {
          if (column.references && column.references->table == owner && !old->column(column.name)) {
            const std::string oldColumn = from + column.name.substr(owner.size());
            if (column.name.starts_with(owner) && old->column(oldColumn)) column.renamedFrom = oldColumn;
          }
        }
        rename(*old, renamedPivots.emplace_back(std::move(adjusted)));
      }
      break;
    }
    if (!old) created.push_back(table);
  }

  for (const TableSnapshot* table : referencedFirst(created)) {
    const bool pivot = !table->pivotOf.empty();
    if (pivot) out.note(fmt::format("pivot table {} for the manyToMany field {}", table->name, table->pivotOf));
    out.add(DiffBuilder::CreateTables,
            {Risk::Safe,
             pivot ? fmt::format("create pivot table {} for {}", table->name, table->pivotOf)
                   : fmt::format("create table {}", table->name),
             createTableCode(*table), {fmt::format("t.dropTable({})", q(table->name))}},
            createTableSteps(*table));
  }

  for (const auto& [old, now] : pairs) {
    // A renamed table keeps its columns; they are compared under the new name.
    diffColumnsAndIndexes(out, *old, *now, renamedTables);
  }

  std::vector<const TableSnapshot*> dropped;
  for (const auto& table : before.tables) {
    if (!afterTables.find(table.name) && !renamedSources.count(table.name)) dropped.push_back(&table);
  }
  auto dropOrder = referencedFirst(dropped);
  for (auto it = dropOrder.rbegin(); it != dropOrder.rend(); ++it) {  // referencing tables go first
    const TableSnapshot* table = *it;
    if (!table->pivotOf.empty()) out.note(fmt::format("pivot table {} ({}) is no longer used", table->name, table->pivotOf));
    out.add(DiffBuilder::DropTables, {Risk::Dangerous, fmt::format("drop table {} (its data is lost)", table->name),
                                      {fmt::format("t.dropTable({})", q(table->name))}, createTableCode(*table)},
            {step::DropTable{table->name}});
  }
  SchemaDiff diff = out.finish();
  detail::classifyByLint(diff, database);
  return diff;
}

JSORM_NAMESPACE_END
