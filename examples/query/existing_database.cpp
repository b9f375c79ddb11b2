// Models over a database made by plain SQL (existing_database.sql): no migrations, no
// tracking table. The model only has to describe the columns the program uses.
//   existing_database URL
#include <jsorm/database.hpp>

#include <iostream>

using namespace jsorm;

const Model Category = defineModel("categories", {
    {"id", t.number().primary()},
    {"name", t.string(64)},
});
const Model Tag = defineModel("tags", {
    {"id", t.number().primary()},
    {"label", t.string(32)},
});
const Model Product = defineModel("products", {
    {"sku", t.string(32).primary()},
    {"title", t.text()},
    {"price", t.decimal(10, 2)},
    {"stock", t.number().defaultTo(0)},
    {"discontinued", t.boolean().defaultTo(false)},
    {"added_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
    {"category", t.belongsTo(Category).optional()},  // column category_id
    {"tags", t.manyToMany(Tag)},                      // pivot products_tags
});

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: existing_database URL\n";
    return 2;
  }
  try {
    Database db = connect(argv[1]);
    std::cout << "tracking table: " << (db->hasTable("jsorm_migrations") ? "yes" : "none") << "\n";

    const nlohmann::json sku = db.insert(Product, {{"sku", "HB-3"},
                                                   {"title", "USB hub"},
                                                   {"price", "24.00"},
                                                   {"stock", 5},
                                                   {"added_at", "2024-03-03T08:00:00"},
                                                   {"category", 1},
                                                   {"tags", {1, 2}}});  // pivot rows, same transaction
    std::cout << "inserted " << sku.get<std::string>() << "\n";
    std::cout << "tagged KB-1: " << db.attach(Product, "KB-1", "tags", {2}) << " new link(s)\n";

    const auto soldOut = db.update(Product, {{"set", {{"discontinued", true}}}, {"where", {{"stock", 0}}}});
    std::cout << soldOut << " product(s) discontinued\n";

    for (const auto& p : db.get(Product, {{"where", {{"discontinued", false}, {"price", {{"lt", 100}}}}},
                                          {"orderBy", {{"price", "desc"}}}})) {
      std::cout << p.text("sku") << " " << p.text("title") << " " << p.real("price") << " x" << p.integer("stock")
                << "\n";
    }
    std::cout << db.remove(Product, {{"where", {{"discontinued", true}}}}) << " removed, " << db.count(Product)
              << " left\n";

    // Relations: one query for the products, one per included relation, whatever the count.
    for (const auto& p : db.get(Product, {{"where", {{"category", {{"name", "Peripherals"}}}}},
                                          {"include", {"category", "tags"}},
                                          {"orderBy", "sku"}})) {
      std::cout << p.toJson().dump() << "\n";
    }
    std::cout << "HB-3 tags synced: " << db.sync(Product, "HB-3", "tags", {1}) << " change(s); wired: "
              << db.count(Product, {{"where", {{"tags", {{"label", "wired"}}}}}}) << " product(s)\n";
  } catch (const Error& e) {
    std::cerr << "existing_database: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
