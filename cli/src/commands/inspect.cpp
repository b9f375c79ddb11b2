// inspect: what a schema module holds, without a database: the jsorm it was built for, how
// it was built, and each source's history (or models) as `migrate` would run it.

#include "../cli.hpp"
#include "../history.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/schema_module.hpp>
#include <jsorm/version.hpp>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <exception>

namespace jsorm::cli {

namespace {

// What one exported source holds; `error` is set instead when the source throws, fails
// validation or cannot be summarised, so the other sources are still shown.
struct SourceReport {
  ExportedSource source;
  std::exception_ptr error;
  std::string errorText;
  AdapterDescriptor adapter;
  std::string migrationTable;
  std::vector<MigrationSummary> migrations;
  std::string snapshotPath;
  std::vector<Model> models;
};

// A Setting as it may be printed: an environment variable by its name, never its value; a
// literal connection (url, path) with its password removed; any other literal not at all,
// since a third-party adapter's option may be a secret.
std::string describeSetting(const std::string& key, const Setting& setting) {
  if (!setting.variable().empty()) return fmt::format("env(\"{}\")", setting.variable());
  if (key == "url" || key == "path") return redactConnection(setting.resolve());  // a literal: resolve() reads nothing
  return "(literal, not shown)";
}

// Runs `build`; a failure becomes the report's error, naming the module and source. The
// error kept is a new ModuleError or SchemaError made here, never the thrown object: a
// module may throw anything (its own exception types among them, whose code goes away
// with the module), from its source function or from a migration's up or down.
template <class Build>
void capture(SourceReport& report, const SchemaModule& module, Build build) {
  const auto where = fmt::format("schema module {}, source '{}'", module.path().string(), report.source.name);
  bool moduleError = false;
  try {
    build();
    return;
  } catch (const Error& e) {
    moduleError = dynamic_cast<const ModuleError*>(&e) != nullptr;
    // SchemaModule's own errors already name the module and source.
    const std::string what = e.what();
    report.errorText = what.find(module.path().string()) == std::string::npos ? fmt::format("{}: {}", where, what) : what;
  } catch (const std::exception& e) {
    report.errorText = fmt::format("{} threw: {}", where, e.what());
  } catch (...) {
    report.errorText = fmt::format("{} threw an exception that is not a std::exception", where);
  }
  report.error = moduleError ? std::make_exception_ptr(ModuleError(report.errorText))
                             : std::make_exception_ptr(SchemaError(report.errorText));
}

SourceReport inspectSource(const SchemaModule& module, const ExportedSource& source) {
  SourceReport report{source};
  capture(report, module, [&] {
    if (source.kind == SourceKind::Migration) {
      const auto loaded = module.migrationSource(source.name);
      // Summarising builds every migration's steps again: the migrations stay callable
      // only while `loaded` keeps the module's library.
      report.migrations = summarize(loaded.value, loaded.validated);
      report.adapter = loaded.value.adapter;
      report.migrationTable = loaded.value.migrationTable;
    } else {
      const auto loaded = module.generateSource(source.name);
      report.snapshotPath = loaded.value.snapshotPath;
      report.models = loaded.value.models;
    }
  });
  return report;
}

nlohmann::json adapterJson(const AdapterDescriptor& adapter) {
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [key, setting] : adapter.options) options[key] = describeSetting(key, setting);
  return {{"plugin", adapter.plugin}, {"name", adapter.name}, {"options", options}};
}

nlohmann::json toJson(const SourceReport& report) {
  nlohmann::json entry{{"name", report.source.name}, {"kind", sourceKindName(report.source.kind)}};
  entry["error"] = report.error ? nlohmann::json(report.errorText) : nlohmann::json();
  if (report.error) return entry;
  if (report.source.kind == SourceKind::Migration) {
    entry["adapter"] = adapterJson(report.adapter);
    entry["migrationTable"] = report.migrationTable;
    entry["migrations"] = nlohmann::json::array();
    for (const auto& m : report.migrations) entry["migrations"].push_back(cli::toJson(m));
  } else {
    entry["snapshotPath"] = report.snapshotPath;
    entry["models"] = nlohmann::json::array();
    for (const auto& model : report.models) {
      entry["models"].push_back({{"table", model.table()}, {"fieldCount", model.fields().size()}});
    }
  }
  return entry;
}

nlohmann::json toJson(const std::optional<ModuleProvenance>& provenance) {
  if (!provenance) return nullptr;
  return {{"revision", provenance->revision}, {"builtAt", provenance->builtAt}, {"compiler", provenance->compiler}};
}

std::string orUnknown(const std::string& text) { return text.empty() ? "unknown" : text; }

std::string describe(const std::optional<ModuleProvenance>& provenance) {
  if (!provenance) return "provenance: not recorded";
  return fmt::format("provenance: revision {}, built {}, compiler {}", orUnknown(provenance->revision),
                     orUnknown(provenance->builtAt), orUnknown(provenance->compiler));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// A source's block under its "  name  kind" line, ready to print.
std::string describe(const SourceReport& report) {
  std::string text = fmt::format("  {:<24} {}\n", report.source.name, sourceKindName(report.source.kind));
  if (report.error) return text + fmt::format("    error: {}\n", report.errorText);
  if (report.source.kind == SourceKind::Generate) {
    text += fmt::format("    snapshot: {}\n", report.snapshotPath);
    text += fmt::format("    models: {}\n", report.models.size());
    std::size_t width = 0;
    for (const auto& model : report.models) width = std::max(width, displayWidth(model.table()));
    for (const auto& model : report.models) {
      text += fmt::format("      {}  {}\n", padRight(model.table(), width), plural(model.fields().size(), "field", "fields"));
    }
    return text;
  }
  std::vector<std::string> options;
  for (const auto& [key, setting] : report.adapter.options) options.push_back(key + "=" + describeSetting(key, setting));
  text += fmt::format("    adapter: {} \"{}\" ({})\n", report.adapter.plugin, report.adapter.name, fmt::join(options, ", "));
  text += fmt::format("    tracking table: {}\n", report.migrationTable);
  text += fmt::format("    migrations: {}\n", report.migrations.size());
  std::size_t width = 0;
  for (const auto& m : report.migrations) width = std::max(width, displayWidth(m.name));
  const std::size_t numberWidth = fmt::format("{}", report.migrations.size()).size();
  for (std::size_t i = 0; i < report.migrations.size(); ++i) {
    const auto& m = report.migrations[i];
    text += fmt::format("      {:>{}}. {}  {}  {:<8}  {:<14}  {}\n", i + 1, numberWidth, padRight(m.name, width),
                        m.checksum, plural(m.steps.size(), "step", "steps"),
                        m.transactional ? "transactional" : "no transaction", m.reversible ? "reversible" : "irreversible");
  }
  return text;
}

}  // namespace

int runInspect(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (args.empty() || args.size() > 2) {
    throw UsageError("expected one MODULE and optionally a SYMBOL, e.g. jsorm inspect ./build/lib/libroles_users.so");
  }
  const auto module = SchemaModule::load(args[0]);

  std::vector<ExportedSource> selected = module.exports();
  if (args.size() == 2) {
    const auto named = std::find_if(selected.begin(), selected.end(), [&](const auto& e) { return e.name == args[1]; });
    if (named == selected.end()) {
      std::vector<std::string> names;
      for (const auto& e : selected) names.push_back(e.name);
      throw ModuleError(fmt::format("schema module {} exports no source named '{}'; {}", args[0], args[1],
                                    names.empty() ? std::string("it exports none")
                                                  : fmt::format("it exports: {}", fmt::join(names, ", "))));
    }
    selected = {*named};
  }
  std::vector<SourceReport> reports;
  for (const auto& source : selected) reports.push_back(inspectSource(module, source));
  const auto provenance = module.provenance();

  Output& out = invocation.out;
  if (invocation.options.json) {
    nlohmann::json exports = nlohmann::json::array();
    for (const auto& e : module.exports()) exports.push_back({{"name", e.name}, {"kind", sourceKindName(e.kind)}});
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& report : reports) sources.push_back(toJson(report));
    out.result(nlohmann::json{{"module", args[0]},
                              {"jsormVersion", module.jsormVersion()},
                              {"abiVersion", module.abiVersion()},
                              {"provenance", toJson(provenance)},
                              {"exports", exports},
                              {"sources", sources}}
                   .dump(2));
  } else {
    // One write for the whole report: a module may hold hundreds of migrations.
    std::string text = fmt::format("{}: built with jsorm {} (ABI {})\n  {}\n", args[0], module.jsormVersion(),
                                   module.abiVersion(), describe(provenance));
    if (module.exports().empty()) text += "  exports no sources\n";
    for (const auto& report : reports) text += describe(report);
    text.pop_back();
    out.result(text);
  }
  // A source named on the command line that cannot be read fails the command, with the
  // exit code of its error (5 for a schema error); in a whole-module listing it is one entry.
  if (args.size() == 2 && reports.front().error) std::rethrow_exception(reports.front().error);
  return 0;
}

extern const Command inspectCommand;
const Command inspectCommand{
    "inspect", "Show what a schema module holds: its sources, their migrations or models, how it was built",
    "jsorm inspect MODULE [SYMBOL] [options]",
    "Shows the jsorm version and ABI the module was built for, its build provenance (git revision, build time,\n"
    "compiler, as jsorm_add_schema_module recorded them), and every exported source, or only SYMBOL: for a\n"
    "migration source its adapter (environment variables by name, never their values), tracking table and\n"
    "migrations in order with checksum, step count, and whether each is transactional and reversible; for a\n"
    "generate source its snapshot path and models. Needs no database. A source that fails is shown with its\n"
    "error; when it is the SYMBOL asked for, inspect exits with that error's code (5 for a schema error).",
    kJsonOption, &runInspect};

}  // namespace jsorm::cli
