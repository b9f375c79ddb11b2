// A data step: the first author, written through the query runtime.
#include "history.hpp"
#include "models.hpp"

#include <jsorm/database_handle.hpp>

using namespace jsorm;
using namespace blog;

const Migration seedAuthors = defineMigration({
    .name = "seed-authors",
    .up = [](Builder& t) {
      return Steps{t.data(
          "the first author",
          [](Database& db) { db.insert(Author, {{"name", "Ada"}, {"email", "ada@example.org"}}); },
          [](Database& db) { db.remove(Author, {{"where", {{"email", "ada@example.org"}}}}); })};
    },
});
