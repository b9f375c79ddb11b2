#pragma once
// models:diagram: a generate source's models as an entity-relationship diagram, in
// Mermaid (renders in GitHub and GitLab Markdown) or Graphviz dot.

#include <jsorm/snapshot.hpp>

#include <string>

namespace jsorm::cli {

/// `erDiagram` text: each table with its columns (type, PK/FK/UK, "nullable, indexed"), and a
/// relation per foreign key, `||` or `|o` on the referenced side as the column is required
/// or nullable. Names outside [A-Za-z0-9_-] have those characters replaced by `_`.
std::string mermaidDiagram(const SchemaSnapshot& schema);

/// A `digraph` of HTML-label tables, one row per column, and an edge per foreign key from
/// the column's row to the referenced column's row; pivot tables are drawn dashed.
std::string dotDiagram(const SchemaSnapshot& schema);

}  // namespace jsorm::cli
