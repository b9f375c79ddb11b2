// The blog's models later: authors gain a bio, posts.title is renamed to headline.
#pragma once

#include <jsorm/jsorm.hpp>

namespace blog {
using namespace jsorm;

inline const Model Author = defineModel("authors", {
    {"id", t.number().primary()},
    {"name", t.string(80)},
    {"email", t.string().unique()},
    {"bio", t.text().optional()},
});

inline const Model Post = defineModel("posts", {
    {"id", t.number().primary()},
    {"headline", t.string().renamedFrom("title")},
    {"author", t.belongsTo(Author)},
    {"body", t.text().optional()},
});
}  // namespace blog
