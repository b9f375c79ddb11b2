#pragma once
// Models and a fresh database for the query suite, which runs on every adapter through the
// integration suite's --database context.
#include "../integration/test_database.hpp"

#include <jsorm/database.hpp>
#include <jsorm/error.hpp>
#include <jsorm/step.hpp>

#include <initializer_list>

namespace jsorm::query_test {

inline const Model Team = defineModel("teams", {
                                                   {"id", t.number().primary()},
                                                   {"name", t.string().unique()},
                                               });

/// One field of every type, with defaults and optional fields.
inline const Model Item = defineModel("items", {
                                                   {"id", t.number().primary()},
                                                   {"name", t.string()},
                                                   {"notes", t.text().optional()},
                                                   {"quantity", t.number().defaultTo(7)},
                                                   {"big", t.bigint().optional()},
                                                   {"price", t.real().optional()},
                                                   {"amount", t.decimal(10, 2).optional()},
                                                   {"active", t.boolean().defaultTo(true)},
                                                   {"born", t.date().optional()},
                                                   {"seen_at", t.timestamp().optional()},
                                                   {"created_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
                                                   {"meta", t.json().optional()},
                                                   {"token", t.uuid().optional()},
                                                   {"blob", t.bytes().optional()},
                                                   {"team", t.belongsTo(Team).optional()},
                                               });

/// An empty database holding the tables of `models`, created by rendering them (no migrations).
class QueryFixture {
 public:
  explicit QueryFixture(std::initializer_list<Model> models = {Team, Item}) : db(jsorm::connect(scratch.url())) {
    for (const auto& model : models) {
      for (const auto& statement : db.dialect().createTable(resolveTable(model))) db->execute(statement.sql);
    }
  }

  test::TestDatabase scratch;
  Database db;
};

}  // namespace jsorm::query_test
