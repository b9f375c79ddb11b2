// The seed's style: tables created from the live models.
#include "history.hpp"
#include "models.hpp"

using namespace jsorm;
using namespace blog;

const Migration createBlog = defineMigration({
    .name = "create-blog",
    .up = [](Builder& t) { return Steps{t.createTable(Author), t.createTable(Post)}; },
    .down = [](Builder& t) { return Steps{t.dropTable("posts"), t.dropTable("authors")}; },
});
