-- A database jsorm never migrated: plain SQL that SQLite, PostgreSQL and MariaDB all accept,
-- and no tracking table. products_tags is the pivot jsorm expects for Product's "tags"
-- field: <table>_<field>, holding products_sku and tags_id, unique together.
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name VARCHAR(64) NOT NULL
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  label VARCHAR(32) NOT NULL
);
CREATE TABLE products (
  sku VARCHAR(32) PRIMARY KEY,
  title TEXT NOT NULL,
  price NUMERIC(10, 2) NOT NULL,
  stock INTEGER NOT NULL DEFAULT 0,
  discontinued BOOLEAN NOT NULL DEFAULT FALSE,
  added_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  category_id INTEGER REFERENCES categories (id)
);
CREATE TABLE products_tags (
  products_sku VARCHAR(32) NOT NULL REFERENCES products (sku),
  tags_id INTEGER NOT NULL REFERENCES tags (id),
  PRIMARY KEY (products_sku, tags_id)
);
INSERT INTO categories (id, name) VALUES (1, 'Peripherals');
INSERT INTO tags (id, label) VALUES (1, 'usb');
INSERT INTO tags (id, label) VALUES (2, 'wired');
INSERT INTO products (sku, title, price, stock, added_at, category_id) VALUES ('KB-1', 'Keyboard', 49.90, 12, '2024-03-01 09:30:00', 1);
INSERT INTO products (sku, title, price, stock, added_at) VALUES ('MS-2', 'Mouse', 19.50, 0, '2024-03-02 10:00:00.25');
