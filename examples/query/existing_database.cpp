// Models over a database made by plain SQL (existing_database.sql): no migrations, no
// tracking table. The model only has to describe the columns the program uses.
//   existing_database URL
#include <jsorm/database.hpp>

#include <iostream>

using namespace jsorm;

const Model Product = defineModel("products", {
    {"sku", t.string(32).primary()},
    {"title", t.text()},
    {"price", t.decimal(10, 2)},
    {"stock", t.number().defaultTo(0)},
    {"discontinued", t.boolean().defaultTo(false)},
    {"added_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
});

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: existing_database URL\n";
    return 2;
  }
  try {
    Database db = connect(argv[1]);
    std::cout << "tracking table: " << (db->hasTable("jsorm_migrations") ? "yes" : "none") << "\n";

    const nlohmann::json sku =
        db.insert(Product, {{"sku", "HB-3"}, {"title", "USB hub"}, {"price", "24.00"}, {"stock", 5}});
    std::cout << "inserted " << sku.get<std::string>() << "\n";

    const auto soldOut = db.update(Product, {{"set", {{"discontinued", true}}}, {"where", {{"stock", 0}}}});
    std::cout << soldOut << " product(s) discontinued\n";

    for (const auto& p : db.get(Product, {{"where", {{"discontinued", false}, {"price", {{"lt", 100}}}}},
                                          {"orderBy", {{"price", "desc"}}}})) {
      std::cout << p.text("sku") << " " << p.text("title") << " " << p.real("price") << " x" << p.integer("stock")
                << "\n";
    }
    std::cout << db.remove(Product, {{"where", {{"discontinued", true}}}}) << " removed, " << db.count(Product)
              << " left\n";
  } catch (const Error& e) {
    std::cerr << "existing_database: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
