-- A database jsorm never migrated: plain SQL that SQLite and PostgreSQL both accept, and
-- no tracking table.
CREATE TABLE products (
  sku VARCHAR(32) PRIMARY KEY,
  title TEXT NOT NULL,
  price NUMERIC(10, 2) NOT NULL,
  stock INTEGER NOT NULL DEFAULT 0,
  discontinued BOOLEAN NOT NULL DEFAULT FALSE,
  added_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO products (sku, title, price, stock) VALUES ('KB-1', 'Keyboard', 49.90, 12);
INSERT INTO products (sku, title, price, stock) VALUES ('MS-2', 'Mouse', 19.50, 0);
