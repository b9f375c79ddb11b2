// An application using the roles-and-users models on the database `jsorm migrate` made
// (scripts/demo.sh writes roles_users.db). It contains no migration code at all.
//   roles_users_app [URL]      URL defaults to sqlite:roles_users.db
#include "../roles_users/models.hpp"

#include <jsorm/database.hpp>

#include <iostream>

int main(int argc, char* argv[]) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:roles_users.db";
  try {
    // README:begin
    auto db = jsorm::connect(url);  // "sqlite:roles_users.db", "postgres://...", or pgAdapter({...})

    nlohmann::json admin;
    if (auto role = db.first(Role, {{"where", {{"name", "admin"}}}})) {
      admin = role->integer("id");
    } else {
      admin = db.insert(Role, {{"name", "admin"}});  // returns the generated id
    }

    db.transaction([&](jsorm::Database& tx) {  // commits, or rolls back if anything throws
      tx.insertMany(User, {{{"name", "Ada"}, {"email", "ada@example.org"}, {"role", admin}},
                           {{"name", "Linus"}, {"role", admin}, {"active", false}}});
      tx.update(User, {{"set", {{"active", true}}}, {"where", {{"name", "Linus"}}}});
    });

    const auto users = db.get(User, {{"select", {"id", "name", "email"}},
                                     {"where", {{"role", {{"name", "admin"}}}, {"active", true}}},  // a related field
                                     {"include", {"role"}},  // one query more, however many users
                                     {"orderBy", {{"name", "asc"}}},
                                     {"limit", 10}});
    for (const auto& user : users) {
      std::cout << user.text("name") << " <" << user.get<std::optional<std::string>>("email").value_or("no email")
                << "> " << user.related("role")->text("name") << "\n";
    }
    std::cout << db.count(User, {{"where", {{"email", {{"isNull", true}}}}}}) << " user(s) without an email\n";
    // README:end
  } catch (const jsorm::Error& e) {
    std::cerr << "roles_users_app: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
