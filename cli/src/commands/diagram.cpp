// models:diagram: the generate source's models as an ER diagram (Mermaid, dot, or SVG
// through Graphviz).

#include "../er_diagram.hpp"
#include "../source_loader.hpp"

#include <jsorm/error.hpp>
#include <jsorm/generator.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

namespace jsorm::cli {

namespace {
// Graphviz reads the graph from a file rather than a pipe, so only its output needs reading.
std::string svgFromDot(const std::string& dot) {
  char path[] = "/tmp/jsorm-diagram-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw Error("models:diagram: cannot create a temporary file for Graphviz");
  const bool written = ::write(fd, dot.data(), dot.size()) == static_cast<ssize_t>(dot.size());
  ::close(fd);
  std::string svg;
  int status = -1;
  if (written) {
    // The path is mkstemp's: letters, digits and '/', '-', so it needs no shell quoting.
    if (FILE* pipe = ::popen(fmt::format("dot -Tsvg {} 2>/dev/null", path).c_str(), "r")) {
      char buffer[8192];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) svg.append(buffer, n);
      status = ::pclose(pipe);
    }
  }
  ::unlink(path);
  if (!written) throw Error("models:diagram: cannot write the graph for Graphviz to /tmp");
  if (status != 0) {
    const bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 127;
    throw ConfigError(missing ? "models:diagram --format svg needs Graphviz's `dot` on PATH (Debian: apt-get install "
                                "graphviz); --format mermaid and --format dot need nothing"
                              : "models:diagram: Graphviz's `dot -Tsvg` failed on the generated graph; run with "
                                "--format dot to see it, and please report it");
  }
  return svg;
}

int runDiagram(Invocation& invocation) {
  const std::string& format = invocation.options.diagramFormat;
  if (format != "mermaid" && format != "dot" && format != "svg") {
    throw UsageError(fmt::format("--format must be mermaid, dot or svg; got '{}'", format));
  }
  auto opened = openGenerateSource(invocation);
  const SchemaSnapshot schema = snapshotOf(opened.loaded.value.models);
  // Refuses what migrate:generate would refuse (a reference to a missing table, a name past
  // the identifier rules), so a diagram never shows a schema that cannot exist.
  checkGeneratedSchema(SchemaSnapshot{}, schema);
  const std::string text =
      format == "mermaid" ? mermaidDiagram(schema) : format == "dot" ? dotDiagram(schema) : svgFromDot(dotDiagram(schema));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}
}  // namespace

extern const Command diagramCommand;
const Command diagramCommand{
    "models:diagram", "Draw the models as an entity-relationship diagram",
    "jsorm models:diagram [MODULE SYMBOL] [--format mermaid|dot|svg] [options]",
    "Prints the generate source's models (SYMBOL names a generate source, as for migrate:generate;\n"
    "without MODULE SYMBOL, [generateSources] in jsorm.toml) as an ER diagram: each table with its\n"
    "columns, types and keys (PK, FK, UK; nullable ones marked), a relation per foreign key, and\n"
    "the pivot tables of many-to-many fields. Mermaid (the default) renders in GitHub and GitLab\n"
    "Markdown; dot is Graphviz's input; svg runs Graphviz's `dot` (apt-get install graphviz).\n"
    "Example: jsorm models:diagram --format svg > docs/schema.svg",
    kSourceOptions | kDiagramOptions, &runDiagram};

}  // namespace jsorm::cli
