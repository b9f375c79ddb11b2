// Settings read from the environment when needed, and the adapter descriptors that hold them.
#include <jsorm/error.hpp>
#include <jsorm/source.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
// Sets or unsets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::string name) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  void set(const std::string& value) const { ::setenv(name_.c_str(), value.c_str(), 1); }
  void unset() const { ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};
}  // namespace

TEST_CASE("a literal Setting resolves to itself") {
  const Setting literal("postgres://localhost/app");
  CHECK(literal.resolve() == "postgres://localhost/app");
  CHECK(literal.isSet());
  CHECK(literal.variable().empty());
  CHECK(Setting(std::string("x")).resolve() == "x");
}

TEST_CASE("an empty Setting is not set") {
  CHECK_FALSE(Setting().isSet());
  CHECK_FALSE(Setting("").isSet());
  CHECK(Setting().resolve().empty());
}

TEST_CASE("env names its variable and is set without resolving it") {
  const ScopedEnv var("JSORM_UNIT_SETTING_NAMED");
  const Setting setting = env("JSORM_UNIT_SETTING_NAMED");
  CHECK(setting.variable() == "JSORM_UNIT_SETTING_NAMED");
  CHECK(setting.isSet());
}

TEST_CASE("env reads the variable when resolved, not when created") {
  const ScopedEnv var("JSORM_UNIT_SETTING_LATE");
  const Setting setting = env("JSORM_UNIT_SETTING_LATE");
  var.set("sqlite:first.db");
  CHECK(setting.resolve() == "sqlite:first.db");
  var.set("sqlite:second.db");
  CHECK(setting.resolve() == "sqlite:second.db");
}

TEST_CASE("env with a fallback resolves to the fallback only while the variable is unset") {
  const ScopedEnv var("JSORM_UNIT_SETTING_FALLBACK");
  const Setting setting = env("JSORM_UNIT_SETTING_FALLBACK", "sqlite::memory:");
  CHECK(setting.resolve() == "sqlite::memory:");
  var.set("postgres://db/app");
  CHECK(setting.resolve() == "postgres://db/app");
  var.unset();
  CHECK(setting.resolve() == "sqlite::memory:");
}

TEST_CASE("env of an unset variable without fallback throws ConfigError naming the variable") {
  const ScopedEnv var("JSORM_UNIT_SETTING_UNSET");
  const Setting setting = env("JSORM_UNIT_SETTING_UNSET");
  CHECK_THROWS_AS(setting.resolve(), ConfigError);
  CHECK_THROWS_WITH(setting.resolve(), Contains("JSORM_UNIT_SETTING_UNSET") && Contains("not set"));
}

TEST_CASE("creating an env Setting for an unset variable does not throw") {
  const ScopedEnv var("JSORM_UNIT_SETTING_LAZY");
  CHECK_NOTHROW(env("JSORM_UNIT_SETTING_LAZY"));
  CHECK_NOTHROW(pgAdapter({.connectionString = env("JSORM_UNIT_SETTING_LAZY")}));
}

TEST_CASE("pgAdapter loads the pg plugin with the connection string as option url") {
  const ScopedEnv var("JSORM_UNIT_DATABASE_URL");
  const AdapterDescriptor descriptor =
      pgAdapter({.name = "primary", .connectionString = env("JSORM_UNIT_DATABASE_URL")});
  CHECK(descriptor.plugin == "pg");
  CHECK(descriptor.name == "primary");
  REQUIRE(descriptor.options.size() == 1);
  REQUIRE(descriptor.options.count("url") == 1);
  CHECK(descriptor.options.at("url").variable() == "JSORM_UNIT_DATABASE_URL");
  var.set("postgres://u@h/db");
  CHECK(descriptor.options.at("url").resolve() == "postgres://u@h/db");
}

TEST_CASE("pgAdapter and sqliteAdapter name the connection main by default") {
  CHECK(pgAdapter({.connectionString = "postgres://h/db"}).name == "main");
  CHECK(sqliteAdapter({.path = "app.db"}).name == "main");
}

TEST_CASE("sqliteAdapter loads the sqlite plugin with option path") {
  const AdapterDescriptor descriptor = sqliteAdapter({.name = "local", .path = ":memory:"});
  CHECK(descriptor.plugin == "sqlite");
  CHECK(descriptor.name == "local");
  REQUIRE(descriptor.options.size() == 1);
  REQUIRE(descriptor.options.count("path") == 1);
  CHECK(descriptor.options.at("path").resolve() == ":memory:");
}

TEST_CASE("adapter describes a third-party plugin by name with its options") {
  const AdapterDescriptor descriptor =
      adapter("mysql", {{"url", "mysql://localhost/app"}, {"charset", env("JSORM_UNIT_CHARSET", "utf8mb4")}});
  CHECK(descriptor.plugin == "mysql");
  CHECK(descriptor.name == "mysql");
  REQUIRE(descriptor.options.size() == 2);
  CHECK(descriptor.options.at("url").resolve() == "mysql://localhost/app");
  CHECK(descriptor.options.at("charset").variable() == "JSORM_UNIT_CHARSET");
}

TEST_CASE("a migration source keeps its adapter descriptor and defaults the tracking table") {
  const MigrationSource source = defineMigrationSource({.adapter = sqliteAdapter({.path = "x.db"})});
  CHECK(source.adapter.plugin == "sqlite");
  CHECK(source.migrationTable == "jsorm_migrations");
  CHECK(source.migrations.empty());
}
