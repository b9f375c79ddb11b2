// Round-trip models, version 1: what the first `migrate:generate` creates.
// roundtrip_test.sh copies this file to the test project's models.hpp.
#pragma once

#include <jsorm/jsorm.hpp>

#include <vector>

namespace app {
using namespace jsorm;

inline const Model Author = defineModel("authors", {
    {"id", t.number().primary()},
    {"fullname", t.string()},             // v2 renames it to `name`
    {"email", t.string().optional()},     // v2 indexes it
});

inline const Model Post = defineModel("posts", {
    {"id", t.number().primary()},
    {"title", t.string()},             // v2 makes it text with a default
    {"author", t.belongsTo(Author)},   // v2 makes it optional
    {"legacy_code", t.string(20).optional()},  // v2 drops it
});

inline const Model Tag = defineModel("tags", {
    {"id", t.number().primary()},
    {"label", t.string(50).unique()},  // v2 widens it
});

inline const Model Draft = defineModel("drafts", {  // v2 drops the table
    {"id", t.number().primary()},
    {"body", t.text()},
    {"author", t.belongsTo(Author).optional()},
});

/// Every model, referenced tables first (freshSource creates them in this order).
inline std::vector<Model> models() { return {Author, Post, Tag, Draft}; }
}  // namespace app
