// Round-trip models, version 2: the changes the second `migrate:generate` must express.
// roundtrip_test.sh copies this file over the test project's models.hpp.
#pragma once

#include <jsorm/jsorm.hpp>

#include <vector>

namespace app {
using namespace jsorm;

inline const Model Author = defineModel("authors", {
    {"id", t.number().primary()},
    {"name", t.string().renamedFrom("fullname")},  // declared rename: data kept
    {"email", t.string().optional().index()},      // index on an existing column
    {"bio", t.text().optional()},                  // new nullable column
    {"active", t.boolean().defaultTo(true)},       // new NOT NULL column with a default
});

inline const Model Tag = defineModel("tags", {
    {"id", t.number().primary()},
    {"label", t.string(80).unique()},  // widened: alterColumn, its unique index kept
});

inline const Model Post = defineModel("posts", {
    {"id", t.number().primary()},
    {"title", t.text().defaultTo("untitled")},  // new type and default: alterColumn (SQLite rebuilds posts)
    {"author", t.belongsTo(Author).optional()},  // now nullable: alterColumn, its foreign key kept
    {"editor", t.belongsTo(Author).optional()},  // new belongsTo
    {"tags", t.manyToMany(Tag)},                  // new pivot table posts_tags
    // legacy_code dropped
});

// drafts dropped

/// Every model, referenced tables first (freshSource creates them in this order).
inline std::vector<Model> models() { return {Author, Tag, Post}; }
}  // namespace app
