#include "query_internal.hpp"

#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

namespace {
// Whether an insert's row gives keys for a manyToMany field; they are checked here, before
// anything is sent.
bool linksManyToMany(const BoundStatement& insert, const nlohmann::json& row) {
  bool links = false;
  for (const auto& relation : insert.table->relations) {
    if (!relation.many || !row.contains(relation.name)) continue;
    const std::string operation = fmt::format("insert into '{}': field '{}'", insert.table->model, relation.name);
    if (!row[relation.name].is_array()) {
      throw QueryError(fmt::format("{} takes an array of '{}' keys, not {}", operation, relation.target.table(),
                                   detail::shown(row[relation.name])));
    }
    detail::relationKeys(*queryTable(relation.target), row[relation.name], operation);
    links = links || !row[relation.name].empty();
  }
  return links;
}

std::string savepoint(int level) { return fmt::format("jsorm_savepoint_{}", level); }
}  // namespace

Database::Database(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

Database Database::insideTransaction(std::shared_ptr<Connection> connection) {
  Database database(std::move(connection));
  *database.depth_ = 1;
  return database;
}

Connection& Database::connection() const {
  if (!connection_) throw ConnectionError("this jsorm::Database holds no connection; get one from jsorm::connect(...)");
  return *connection_;
}

const Dialect& Database::dialect() const { return connection().dialect(); }

ResultSet Database::run(const BoundStatement& statement) const {
  return connection().query(statement.sql, statement.params);
}

std::vector<Row> Database::get(const Model& model, const Query& query) const {
  const BoundStatement statement = compileSelect(model, query, dialect());
  if (!statement.include.empty()) return withIncluded(statement, run(statement));
  return rowsOf(statement, run(statement));
}

std::optional<Row> Database::first(const Model& model, const Query& query) const {
  Query limited = query;
  if (limited.is_object()) limited["limit"] = 1;
  auto rows = get(model, limited);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Database::count(const Model& model, const Query& query) const {
  const BoundStatement statement = compileCount(model, query, dialect());
  const ResultSet result = run(statement);
  const Value& cell = result.rows.at(0).at(0);
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return *n;
  throw SqlError("COUNT(*) returned something other than an integer", statement.sql);
}

nlohmann::json Database::insert(const Model& model, const Query& row) const {
  const BoundStatement statement = compileInsert(model, row, dialect());
  if (!linksManyToMany(statement, row)) return insertCompiled(model, statement, row);
  // The row and its pivot rows together, or neither.
  return transaction([&](Database& tx) { return tx.insertCompiled(model, statement, row); });
}

std::vector<nlohmann::json> Database::insertMany(const Model& model, const Query& rows) const {
  if (!rows.is_array()) {
    throw QueryError(fmt::format("insertMany into '{}' takes an array of rows", model.table()));
  }
  // Every row is checked before the first one is sent.
  std::vector<BoundStatement> statements;
  statements.reserve(rows.size());
  for (const auto& row : rows) statements.push_back(compileInsert(model, row, dialect()));
  for (std::size_t i = 0; i < statements.size(); ++i) linksManyToMany(statements[i], rows[i]);
  return transaction([&](Database& tx) {
    std::vector<nlohmann::json> keys;
    keys.reserve(statements.size());
    for (std::size_t i = 0; i < statements.size(); ++i) keys.push_back(tx.insertCompiled(model, statements[i], rows[i]));
    return keys;
  });
}

std::int64_t Database::update(const Model& model, const Query& query) const {
  return changedRows(compileUpdate(model, query, dialect()));
}

std::int64_t Database::remove(const Model& model, const Query& query) const {
  return changedRows(compileRemove(model, query, dialect()));
}

std::int64_t Database::changedRows(const BoundStatement& statement) const {
  const std::string countQuery = dialect().changedRowsQuery();
  if (countQuery.empty()) return static_cast<std::int64_t>(run(statement).rows.size());
  connection().execute(statement.sql, statement.params);
  const ResultSet result = connection().query(countQuery);
  if (const auto* n = std::get_if<std::int64_t>(&result.rows.at(0).at(0))) return *n;
  throw SqlError("the changed-row count is not an integer", countQuery);
}

TransactionScope::TransactionScope(const Database& database) : database_(database), level_(*database.depth_) {
  Connection& connection = database_.connection();
  if (level_ == 0) {
    connection.begin();
  } else {
    connection.execute("SAVEPOINT " + savepoint(level_));
  }
  ++*database_.depth_;
}

void TransactionScope::commit() {
  Connection& connection = database_.connection();
  // A commit that throws leaves done_ false, so the destructor rolls back what is left.
  if (level_ == 0) {
    connection.commit();
  } else {
    connection.execute("RELEASE SAVEPOINT " + savepoint(level_));
  }
  done_ = true;
  --*database_.depth_;
}

TransactionScope::~TransactionScope() {
  if (done_) return;
  --*database_.depth_;
  // The body's exception is the one that matters; a failing rollback must not replace it.
  try {
    Connection& connection = database_.connection();
    if (level_ == 0) {
      connection.rollback();
    } else {
      connection.execute("ROLLBACK TO SAVEPOINT " + savepoint(level_) + "; RELEASE SAVEPOINT " + savepoint(level_));
    }
  } catch (...) {
  }
}

JSORM_NAMESPACE_END
