#pragma once
/// The Database handle: a connection plus jsorm's JSON-first queries, checked against the
/// model before anything is sent. It lives in core so that a migration's data steps
/// (`t.data`) can use it inside a schema module; `jsorm::connect` (database.hpp, in the
/// runtime library) opens one from a URL.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/error.hpp>
#include <jsorm/model.hpp>
#include <jsorm/query.hpp>
#include <jsorm/row.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A connection plus model-checked queries. It owns a share of the connection that
/// `jsorm::connect` opened: copies share the connection and its transaction, and
/// `db->execute(sql)` reaches the raw Connection.
///
/// Queries are JSON objects, written as initializer lists or passed as nlohmann::json:
/// `db.get(User, {{"where", {{"active", true}}}, {"orderBy", "name"}, {"limit", 10}})`.
class JSORM_API Database {
 public:
  using Query = nlohmann::json;

  Database() = default;
  explicit Database(std::shared_ptr<Connection> connection);
  /// A handle on a connection that already has a transaction open (a migration's data
  /// step): `transaction()` then nests with savepoints instead of a second BEGIN.
  static Database insideTransaction(std::shared_ptr<Connection> connection);

  /// The raw connection: `db->execute(sql)`, `db->query(sql, params)`.
  Connection* operator->() const { return &connection(); }
  Connection& operator*() const { return connection(); }
  /// Whether this handle holds a connection.
  explicit operator bool() const noexcept { return connection_ != nullptr; }
  /// The connection as a shared handle, for code that keeps it beyond this Database.
  std::shared_ptr<Connection> shared() const noexcept { return connection_; }
  operator std::shared_ptr<Connection>() const noexcept { return connection_; }

  /// Rows matching `{select, where, orderBy, limit, offset, include}` (every key optional).
  /// `include` names relation fields loaded with one more query each, whatever the number
  /// of rows: read them with `row.related(name)` / `row.relatedAll(name)`.
  std::vector<Row> get(const Model& model, const Query& query = Query::object()) const;
  /// The first matching row, if any.
  std::optional<Row> first(const Model& model, const Query& query = Query::object()) const;
  /// How many rows match `{where}`.
  std::int64_t count(const Model& model, const Query& query = Query::object()) const;
  /// Inserts one row and returns its primary key (null when the model has none). A
  /// manyToMany field takes an array of the target's keys, linked in the same transaction.
  nlohmann::json insert(const Model& model, const Query& row) const;
  /// Inserts every row of an array in one transaction; returns their keys in order.
  std::vector<nlohmann::json> insertMany(const Model& model, const Query& rows) const;
  /// Applies `{set, where}`; returns the number of rows changed.
  std::int64_t update(const Model& model, const Query& query) const;
  /// Deletes the rows matching `{where}`; returns how many.
  std::int64_t remove(const Model& model, const Query& query) const;

  /// Links the row whose key is `key` to each of `keys` (a key or an array of them) through
  /// the pivot of the manyToMany field `relation`; keys already linked are skipped. Returns
  /// the number of pivot rows inserted. Every key must name an existing row.
  std::int64_t attach(const Model& model, const nlohmann::json& key, std::string_view relation,
                      const nlohmann::json& keys) const;
  /// Unlinks `keys` from the row; keys not linked are skipped. Returns pivot rows deleted.
  std::int64_t detach(const Model& model, const nlohmann::json& key, std::string_view relation,
                      const nlohmann::json& keys) const;
  /// Makes the row linked to exactly `keys` (an empty array unlinks everything), in one
  /// transaction. Returns pivot rows deleted plus inserted.
  std::int64_t sync(const Model& model, const nlohmann::json& key, std::string_view relation,
                    const nlohmann::json& keys) const;

  /// Runs `body(tx)` in a transaction: committed when it returns, rolled back when it
  /// throws (the exception propagates). Nested calls use savepoints.
  template <class Body>
  decltype(auto) transaction(Body&& body) const;

  /// The connection's dialect.
  const Dialect& dialect() const;
  /// The connection; throws ConnectionError when this handle holds none.
  Connection& connection() const;

 private:
  friend class TransactionScope;

  ResultSet run(const BoundStatement& statement) const;
  /// The rows of a select with `include`: each relation loaded with one query per chunk of keys.
  std::vector<Row> withIncluded(const BoundStatement& statement, ResultSet result) const;
  /// Runs a compiled insert and links the manyToMany keys `row` gives; returns the key.
  nlohmann::json insertCompiled(const Model& model, const BoundStatement& statement, const Query& row) const;
  /// Throws QueryError naming the keys of `model` that no row has.
  void requireRows(const Model& model, const std::vector<Value>& keys, std::string_view operation) const;
  /// Runs an UPDATE or DELETE and returns how many rows it matched.
  std::int64_t changedRows(const BoundStatement& statement) const;

  std::shared_ptr<Connection> connection_;
  std::shared_ptr<int> depth_ = std::make_shared<int>(0);
};

/// One level of transaction on a Database: BEGIN, or a SAVEPOINT when one is open already.
/// Rolled back on destruction unless committed.
class JSORM_API TransactionScope {
 public:
  explicit TransactionScope(const Database& database);
  ~TransactionScope();
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

  /// The handle the transaction's body works through.
  Database& handle() noexcept { return database_; }
  void commit();

 private:
  Database database_;
  int level_;
  bool done_ = false;
};

template <class Body>
decltype(auto) Database::transaction(Body&& body) const {
  TransactionScope scope(*this);
  if constexpr (std::is_void_v<std::invoke_result_t<Body, Database&>>) {
    std::forward<Body>(body)(scope.handle());
    scope.commit();
  } else {
    auto result = std::forward<Body>(body)(scope.handle());
    scope.commit();
    return result;
  }
}

JSORM_NAMESPACE_END
