// models:diagram: the example's diagram exactly in Mermaid and dot, the SVG the README shows
// kept current, escaping and pivot tables, and bad input.
#include "cli_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
const std::string kCommittedSvg = std::string(JSORM_SCRIPTS_DIR) + "/../docs/images/roles_users-er.svg";
}  // namespace

TEST_CASE("models:diagram draws the example's models in Mermaid, exactly") {
  CliFixture f;
  const auto r = f.jsorm({"models:diagram", kExampleModule, "generateSource"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "erDiagram\n"
        "  roles {\n"
        "    number id PK\n"
        "    string(255) name UK\n"
        "  }\n"
        "  users {\n"
        "    number id PK\n"
        "    string(255) name\n"
        "    string(255) email \"nullable\"\n"
        "    boolean active \"indexed\"\n"
        "    number role_id FK\n"
        "  }\n"
        "  roles ||--o{ users : \"role_id\"\n");
}

TEST_CASE("models:diagram --format dot draws the example's models for Graphviz, exactly") {
  CliFixture f;
  const auto r = f.jsorm({"models:diagram", kExampleModule, "generateSource", "--format", "dot"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(r.out ==
        "digraph schema {\n"
        "  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
        "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [dir=both, arrowtail=crow, arrowhead=teetee];\n"
        "  \"roles\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
        "    <tr><td bgcolor=\"#dde6f0\"><b>roles</b></td></tr>\n"
        "    <tr><td port=\"c0\" align=\"left\">id: number PK</td></tr>\n"
        "    <tr><td port=\"c1\" align=\"left\">name: string(255) UK</td></tr>\n"
        "  </table>>];\n"
        "  \"users\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
        "    <tr><td bgcolor=\"#dde6f0\"><b>users</b></td></tr>\n"
        "    <tr><td port=\"c0\" align=\"left\">id: number PK</td></tr>\n"
        "    <tr><td port=\"c1\" align=\"left\">name: string(255)</td></tr>\n"
        "    <tr><td port=\"c2\" align=\"left\">email: string(255) <i>nullable</i></td></tr>\n"
        "    <tr><td port=\"c3\" align=\"left\">active: boolean <i>indexed</i></td></tr>\n"
        "    <tr><td port=\"c4\" align=\"left\">role_id: number FK</td></tr>\n"
        "  </table>>];\n"
        "  \"users\":c4 -> \"roles\":c0;\n"
        "}\n");
}

TEST_CASE("the README's ER diagram (docs/images/roles_users-er.svg) is what models:diagram draws now") {
  CliFixture f;
  const auto r = f.jsorm({"models:diagram", kExampleModule, "generateSource", "--format", "svg"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.out.rfind("<?xml", 0) == 0);
  CHECK(contains(r.out, "role_id: number FK"));
  INFO("stale: from examples/roles_users run `jsorm models:diagram --format svg > ../../docs/images/roles_users-er.svg`");
  CHECK(r.out == readFile(kCommittedSvg));
}

TEST_CASE("models:diagram shows pivot tables and both kinds of keys, and escapes names for each format") {
  CliFixture f;
  const auto mermaid = f.cases("models:diagram", "diagramModels");
  INFO(describe(mermaid));
  CHECK(mermaid.exitCode == 0);
  CHECK(contains(mermaid.out, "  %% posts_tags: pivot table of posts.tags\n  posts_tags {\n"
                              "    number posts_id FK\n    bigint tags_id FK\n  }\n"));
  CHECK(contains(mermaid.out, "    string(80) pen______name_\n"));
  CHECK(contains(mermaid.out, "    decimal(12_2) price\n"));
  CHECK(contains(mermaid.out, "  authors ||--o{ posts : \"author_id\"\n  authors |o--o{ posts : \"editor_id\"\n"
                              "  posts ||--o{ posts_tags : \"posts_id\"\n  tags ||--o{ posts_tags : \"tags_id\"\n"));

  const auto dot = f.cases("models:diagram", "diagramModels", {"--format", "dot"});
  INFO(describe(dot));
  CHECK(dot.exitCode == 0);
  CHECK(contains(dot.out, ">pen &lt;&amp;&gt; &quot;name&quot;: string(80)</td>"));
  CHECK(contains(dot.out, "style=\"dashed\">\n    <tr><td bgcolor=\"#dde6f0\"><b>posts_tags</b> (pivot of posts.tags)"));
  CHECK(contains(dot.out, "  \"posts\":c2 -> \"authors\":c0 [arrowhead=teeodot];\n"));
  CHECK(contains(dot.out, "  \"posts_tags\":c1 -> \"tags\":c0;\n"));

  const auto svg = f.cases("models:diagram", "diagramModels", {"--format", "svg"});
  INFO(describe(svg));
  CHECK(svg.exitCode == 0);
  CHECK(contains(svg.out, "pen &lt;&amp;&gt; &quot;name&quot;"));
  CHECK(contains(svg.out, "</svg>"));
}

TEST_CASE("models:diagram refuses bad input with one line and its exit code") {
  CliFixture f;
  CHECK_ONE_ERROR_LINE(f.jsorm({"models:diagram", kExampleModule, "generateSource", "--format", "png"}), 2);
  // A migration source where a generate source is expected.
  CHECK_ONE_ERROR_LINE(f.jsorm({"models:diagram", kExampleModule, "ormSource"}), 4);
  CHECK_ONE_ERROR_LINE(f.jsorm({"models:diagram", f.dir.file("missing.so"), "generateSource"}), 4);
  CHECK_ONE_ERROR_LINE(f.jsorm({"models:diagram", kExampleModule}), 2);
  // Models that cannot exist together are not drawn as if they could.
  CHECK_ONE_ERROR_LINE(f.cases("models:diagram", "unmigratableGenerateSource"), 5);
  // Without Graphviz: the SVG needs it, the other formats do not.
  const Env noDot{{"PATH", f.dir.path()}};
  const auto svg = f.jsorm({"models:diagram", kExampleModule, "generateSource", "--format", "svg"}, noDot);
  CHECK_ONE_ERROR_LINE(svg, 3);
  CHECK(contains(svg.err, "needs Graphviz's `dot` on PATH"));
  CHECK(f.jsorm({"models:diagram", kExampleModule, "generateSource", "--format", "dot"}, noDot).exitCode == 0);
}
