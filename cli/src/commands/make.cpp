// migrate:make: a timestamped, self-registering skeleton for a hand-written migration, in
// the folder migrate:generate writes to, so both kinds sort into one history.

#include "../cli.hpp"
#include "../config.hpp"
#include "../exit_codes.hpp"
#include "../project_files.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

#include <cctype>
#include <filesystem>

namespace jsorm::cli {

namespace {
constexpr std::size_t kMaxNameLength = 80;

// A name becomes part of a file name and a C++ string: letters, digits, '_' and '-' only.
std::string checkedName(const std::string& name) {
  std::string problem;
  if (name.empty()) problem = "it is empty";
  else if (name.size() > kMaxNameLength) problem = fmt::format("it is longer than {} characters", kMaxNameLength);
  else if (!std::isalpha(static_cast<unsigned char>(name.front()))) problem = "it must start with a letter";
  for (unsigned char c : name) {
    if (problem.empty() && !std::isalnum(c) && c != '_' && c != '-') {
      problem = fmt::format("'{}' is not a letter, digit, '_' or '-'", static_cast<char>(c));
    }
  }
  if (!problem.empty()) {
    throw UsageError(fmt::format("'{}': not a usable migration name: {}; e.g. add_post_slugs", name, problem));
  }
  return name;
}

// migrations/ next to jsorm.toml (where migrate:generate writes), else in the current folder.
std::filesystem::path migrationsFolder(const Invocation& invocation) {
  if (!invocation.options.outDirectory.empty()) return invocation.options.outDirectory;
  if (auto file = findConfigFile(invocation.options.config)) {
    return std::filesystem::absolute(*file).lexically_normal().parent_path() / "migrations";
  }
  return std::filesystem::current_path() / "migrations";
}

std::string skeleton(const std::string& migrationName) {
  return fmt::format(
      R"(// Written by jsorm migrate:make on {}: a hand-written migration. It registers itself
// (JSORM_MIGRATION), so the module's next build lists it with the generated ones, by name.
// The steps of `up` run in order, in one transaction where the database allows it; without
// a `down` they are reversed when every step can be. docs/writing-migrations.md lists what
// `t` offers: createTable, addColumn, alterColumn, renameColumn, createIndex, rawSql, and data steps,
//   t.data("fill slugs", [](Database& db) {{ db.update(Post, {{{{"set", {{{{"slug", "x"}}}}}}}}); }}),
// which need the models' header included here.
#include <jsorm/jsorm.hpp>

using namespace jsorm;

namespace {{
const Migration migration = defineMigration({{
    .name = "{}",
    .up = [](Builder& t) {{
      return Steps{{
          // t.addColumn("posts", "slug", t.string().optional()),
      }};
    }},
    // .down = [](Builder& t) {{ return Steps{{t.dropColumn("posts", "slug")}}; }},
}});
}}  // namespace

JSORM_MIGRATION(migration);
)",
      utcStamp("%Y-%m-%d %H:%M:%S UTC"), migrationName);
}
}  // namespace

int runMake(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (args.size() != 1) {
    throw UsageError(fmt::format("migrate:make takes one NAME (e.g. jsorm migrate:make add_post_slugs); got {} "
                                 "arguments",
                                 args.size()));
  }
  const std::string name = checkedName(args.front());
  const std::filesystem::path folder = migrationsFolder(invocation);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw ConfigError(fmt::format("cannot create {}: {}", folder.string(), ec.message()));
  // One migration per name: a second file of the same name under another timestamp would be
  // a second migration doing the same thing.
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = "_" + name + ".cpp";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      throw UsageError(fmt::format("'{}': {} already holds a migration of that name; choose another "
                                   "name",
                                   name, entry.path().string()));
    }
  }
  const std::string migrationName = utcStamp("%Y%m%dT%H%M%S") + "_" + name;
  const auto path = (folder / (migrationName + ".cpp")).lexically_normal();
  if (!createNewFile(path, skeleton(migrationName))) {
    throw UsageError(fmt::format("{} exists already; nothing was written", path.string()));
  }
  invocation.out.result(path.string());
  invocation.out.line("Fill in its steps, then rebuild the schema module: it shows as pending in migrate:status.");
  return kOk;
}

extern const Command makeCommand;
const Command makeCommand{
    "migrate:make", "Start a hand-written migration file", "jsorm migrate:make NAME [--out DIR]",
    "Writes TIMESTAMP_NAME.cpp, a migration skeleton that registers itself with JSORM_MIGRATION, into\n"
    "migrations/ next to jsorm.toml (where migrate:generate writes; build it with\n"
    "jsorm_add_schema_module(... MIGRATIONS_DIR migrations)), or the current folder's migrations/, or\n"
    "--out DIR, and prints its path. NAME is letters, digits, '_' and '-', starting with a letter;\n"
    "a name the folder already has is refused. docs/writing-migrations.md shows what goes in it.",
    kMakeOptions, &runMake};

}  // namespace jsorm::cli
