// Runners racing on one database: each migration applied exactly once.
#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <atomic>
#include <thread>

using namespace jsorm;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

TEST_CASE("four runners on separate connections apply each migration exactly once") {
  TestDatabase db;
  std::vector<Migration> migrations;
  for (int i = 0; i < 20; ++i) {
    const std::string table = fmt::format("race_{:02}", i);
    migrations.push_back(defineMigration({
        .name = fmt::format("race-{:02}", i),
        .up = [table](Builder& t) { return Steps{t.createTable(defineModel(table, {{"id", t.number().primary()}}))}; },
    }));
  }
  const auto source = sourceOf(migrations);
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> runners;
  for (int r = 0; r < 4; ++r) {
    runners.emplace_back([&] {
      try {
        auto connection = db.connect();
        applied += static_cast<int>(Runner(*connection, source).migrate().migrations.size());
      } catch (const std::exception& e) {
        ++failures;
        UNSCOPED_INFO(e.what());
      }
    });
  }
  for (auto& runner : runners) runner.join();
  CHECK(failures == 0);
  CHECK(applied == 20);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 20);
  CHECK(db.count("SELECT COUNT(DISTINCT name) FROM jsorm_migrations") == 20);
  // One runner did all the work: the others found nothing pending after the lock.
  CHECK(db.count("SELECT COUNT(DISTINCT batch) FROM jsorm_migrations") == 1);
}

TEST_CASE("a runner gives up after the lock timeout while another holds the lock") {
  TestDatabase db;
  auto holder = db.connect();
  holder->lockMigrations("jsorm_migrations", std::chrono::milliseconds(1000));
  auto waiter = db.connect();
  const auto source = sourceOf({defineMigration({.name = "a", .up = Steps{rawSql("CREATE TABLE lock_probe (id INTEGER)")}})});
  CHECK_THROWS_WITH(Runner(*waiter, source, {.lockTimeout = std::chrono::milliseconds(300)}).migrate(),
                    Catch::Contains("timed out after 300 ms waiting for the migration lock"));
  CHECK_FALSE(db.hasTable("lock_probe"));
  holder->unlockMigrations("jsorm_migrations");
  CHECK(Runner(*waiter, source).migrate().migrations.size() == 1);
}
