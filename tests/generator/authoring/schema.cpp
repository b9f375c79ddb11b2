// Hand-written history first, then every migration migrate:generate and migrate:make wrote
// into migrations/ (registered with JSORM_MIGRATION), in one source.
#include "history.hpp"
#include "models.hpp"

#include <cstdlib>

using namespace jsorm;

JSORM_EXPORT_SOURCE(blogSource) {
  return defineMigrationSource({
      .adapter = sqliteAdapter({.name = "main", .path = "blog.db"}),
      .migrations = withRegisteredMigrations({createBlog, seedAuthors}),
  });
}

JSORM_EXPORT_GENERATE_SOURCE(blogModels) {
  return defineMigrationGenerateSource({.models = {blog::Author, blog::Post}, .snapshotPath = ".migrations/schema.json"});
}
