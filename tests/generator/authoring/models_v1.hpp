// The blog's models as the first hand-written migration created them (authoring_test.sh).
#pragma once

#include <jsorm/jsorm.hpp>

namespace blog {
using namespace jsorm;

inline const Model Author = defineModel("authors", {
    {"id", t.number().primary()},
    {"name", t.string(80)},
    {"email", t.string().unique()},
});

inline const Model Post = defineModel("posts", {
    {"id", t.number().primary()},
    {"title", t.string()},
    {"author", t.belongsTo(Author)},
    {"body", t.text().optional()},
});
}  // namespace blog
