// Relations through a Database: loading what a select includes (one query per relation,
// not per row), and the pivot rows of manyToMany fields (attach, detach, sync, insert).
#include "query_internal.hpp"

#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

JSORM_NAMESPACE_BEGIN

namespace {
// Runs `each` on consecutive slices of `keys`, so no IN list passes kKeysPerStatement.
template <class Each>
void inChunks(const std::vector<Value>& keys, Each&& each) {
  for (std::size_t at = 0; at < keys.size(); at += detail::kKeysPerStatement) {
    const auto end = keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), at + detail::kKeysPerStatement));
    each(std::vector<Value>(keys.begin() + static_cast<std::ptrdiff_t>(at), end));
  }
}

// The distinct non-NULL keys, in the order first seen.
std::vector<Value> distinctKeys(const std::vector<Value>& keys) {
  std::vector<Value> out;
  std::set<Value> seen;
  for (const auto& key : keys) {
    if (!std::holds_alternative<std::monostate>(key) && seen.insert(key).second) out.push_back(key);
  }
  return out;
}

std::string shownKey(const Value& key) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) return "'" + v + "'";
        else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) return fmt::format("{}", v);
        else return "?";
      },
      key);
}

// What attach, detach and sync are asked, checked before anything is sent: the
// manyToMany relation, the owner's key and the target keys (each once).
struct PivotChange {
  std::shared_ptr<const QueryTable> table;  // keeps `relation` alive
  std::string operation;
  const QueryRelation* relation;
  Value owner;
  std::vector<Value> targets;
};

PivotChange pivotChange(const Model& model, const nlohmann::json& key, std::string_view name,
                        const nlohmann::json& keys, std::string_view verb) {
  PivotChange change;
  change.table = queryTable(model);
  change.operation = fmt::format("{} on '{}'", verb, change.table->model);
  change.relation = &change.table->relationAt(name, change.operation);
  if (!change.relation->many) {
    throw QueryError(fmt::format("{}: '{}' is a belongsTo field, not manyToMany; set its key with insert or update",
                                 change.operation, change.relation->name));
  }
  change.owner = detail::relationKey(*change.table, key, change.operation);
  change.targets = detail::relationKeys(*queryTable(change.relation->target), keys, change.operation);
  return change;
}
}  // namespace

std::vector<Row> Database::withIncluded(const BoundStatement& statement, ResultSet result) const {
  const std::size_t width = statement.fields.size();
  // keyCells[k][i]: the key row i loads include k by.
  std::vector<std::vector<Value>> keyCells(statement.include.size());
  for (const auto& cells : result.rows) {
    for (std::size_t k = 0; k < statement.include.size(); ++k) {
      keyCells[k].push_back(detail::normaliseCell(*statement.keys[k], cells.at(width + k)));
    }
  }
  std::vector<Row> rows = rowsOf(statement, std::move(result));
  for (std::size_t k = 0; k < statement.include.size(); ++k) {
    const QueryRelation& relation = *statement.include[k];
    std::map<Value, std::vector<Row>> byKey;
    inChunks(distinctKeys(keyCells[k]), [&](const std::vector<Value>& keys) {
      if (relation.many) {
        const BoundStatement load = compilePivotRows(relation, *statement.keys[k], keys, dialect());
        ResultSet loaded = run(load);
        std::vector<Value> owners;
        for (const auto& cells : loaded.rows) owners.push_back(detail::normaliseCell(*load.keys[0], cells.at(load.fields.size())));
        auto related = rowsOf(load, std::move(loaded));
        for (std::size_t i = 0; i < related.size(); ++i) byKey[owners[i]].push_back(std::move(related[i]));
      } else {
        const BoundStatement load = compileRelatedRows(relation, keys, dialect());
        const std::string keyName = load.table->primaryKey()->name;
        for (auto& row : rowsOf(load, run(load))) {
          const Value key = row.value(keyName);
          byKey[key].push_back(std::move(row));
        }
      }
    });
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto found = byKey.find(keyCells[k][i]);
      if (found == byKey.end()) {
        rows[i].setRelated(relation, {});
      } else if (relation.many) {
        rows[i].setRelated(relation, std::move(found->second));  // owner keys are primary keys: each row has its own
      } else {
        rows[i].setRelated(relation, found->second);  // rows share the row they point to
      }
    }
  }
  return rows;
}

void Database::requireRows(const Model& model, const std::vector<Value>& keys, std::string_view operation) const {
  std::set<Value> found;
  inChunks(keys, [&](const std::vector<Value>& chunk) {
    const BoundStatement statement = detail::compileExistingKeys(model, chunk, dialect());
    for (const auto& row : rowsOf(statement, run(statement))) found.insert(row.value(statement.fields.front()->name));
  });
  std::vector<std::string> missing;
  for (const auto& key : keys) {
    if (!found.count(key)) missing.push_back(shownKey(key));
  }
  if (missing.empty()) return;
  if (missing.size() > 10) missing.resize(10), missing.push_back("...");
  throw QueryError(fmt::format("{}: '{}' has no row with the key {}", operation, model.table(),
                               fmt::join(missing, ", ")));
}

std::int64_t Database::attach(const Model& model, const nlohmann::json& key, std::string_view relation,
                              const nlohmann::json& keys) const {
  const PivotChange c = pivotChange(model, key, relation, keys, "attach");
  if (c.targets.empty()) return 0;
  return transaction([&](Database& tx) {
    // Checked first so that a missing row is the same error on every database (MariaDB's
    // INSERT IGNORE would skip it silently).
    tx.requireRows(model, {c.owner}, c.operation);
    tx.requireRows(c.relation->target, c.targets, c.operation);
    std::int64_t inserted = 0;
    inChunks(c.targets, [&](const std::vector<Value>& chunk) {
      inserted += tx.changedRows(compileAttach(*c.relation, c.owner, chunk, tx.dialect()));
    });
    return inserted;
  });
}

std::int64_t Database::detach(const Model& model, const nlohmann::json& key, std::string_view relation,
                              const nlohmann::json& keys) const {
  const PivotChange c = pivotChange(model, key, relation, keys, "detach");
  std::int64_t removed = 0;
  inChunks(c.targets, [&](const std::vector<Value>& chunk) {
    removed += changedRows(compileDetach(*c.relation, c.owner, chunk, false, dialect()));
  });
  return removed;
}

std::int64_t Database::sync(const Model& model, const nlohmann::json& key, std::string_view relation,
                            const nlohmann::json& keys) const {
  const PivotChange c = pivotChange(model, key, relation, keys, "sync");
  return transaction([&](Database& tx) {
    tx.requireRows(model, {c.owner}, c.operation);
    if (!c.targets.empty()) tx.requireRows(c.relation->target, c.targets, c.operation);
    // One NOT IN list: what is kept has to be known whole.
    std::int64_t changed = tx.changedRows(compileDetach(*c.relation, c.owner, c.targets, true, tx.dialect()));
    inChunks(c.targets, [&](const std::vector<Value>& chunk) {
      changed += tx.changedRows(compileAttach(*c.relation, c.owner, chunk, tx.dialect()));
    });
    return changed;
  });
}

nlohmann::json Database::insertCompiled(const Model& model, const BoundStatement& statement, const Query& row) const {
  const ResultSet result = run(statement);
  if (statement.fields.empty()) return nullptr;
  const auto rows = rowsOf(statement, result);
  if (rows.empty()) return nullptr;
  const nlohmann::json key = rows.front().toJson().at(statement.fields.front()->name);
  for (const auto& relation : statement.table->relations) {
    if (relation.many && row.contains(relation.name)) attach(model, key, relation.name, row[relation.name]);
  }
  return key;
}

JSORM_NAMESPACE_END
