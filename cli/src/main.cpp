// jsorm: the command-line host. Global options first, then the command's own.

#include "cli.hpp"
#include "exit_codes.hpp"
#include "fleet_failure.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>
#include <jsorm/runtime.hpp>
#include <jsorm/version.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>

namespace po = boost::program_options;
using namespace jsorm::cli;

namespace {

void printGeneralHelp(std::ostream& os) {
  os << "jsorm " JSORM_VERSION_STRING " - schema migrations for C++ schema modules\n\n"
        "Usage: jsorm COMMAND [MODULE SYMBOL] [options]\n"
        "With a jsorm.toml (here or in a parent folder) MODULE SYMBOL can be left out.\n\n"
        "Commands:\n";
  std::size_t width = 0;
  for (const auto& command : commands()) width = std::max(width, command.name.size());
  for (const auto& command : commands()) {
    os << fmt::format("  {:<{}}  {}\n", command.name, width, command.summary);
  }
  os << "\nRun `jsorm COMMAND --help` for a command's options.\n"
        "  --version       print the jsorm version and plugin ABI\n"
        "  --help          print this help\n\n"
        "Exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 module, 5 schema definition,\n"
        "6 connection/adapter, 7 migration failed or refused, 8 production guard, 10 status not current,\n"
        "11 generate --check found changes, 12 generate refused a dangerous change,\n"
        "13 lint found an error, 14 db:check found drift, 15 artifact:diff found an edited history,\n"
        "16 migrate:freeze could not verify the frozen migration.\n";
}

po::options_description optionsFor(const Command& command, Options& o) {
  po::options_description all("Options");
  if (command.groups & kSourceOptions) {
    all.add_options()
        ("config", po::value(&o.config)->value_name("FILE"),
         "use this jsorm.toml (default: $JSORM_CONFIG, else the nearest jsorm.toml upwards)")
        ("source", po::value(&o.source)->value_name("NAME"),
         (command.groups & kGenerateOptions) ? "the [generateSources.NAME] to use instead of [defaults] generateSource"
                                             : "the [migrationSources.NAME] to use instead of [defaults] migrationSource")
        ("env", po::value(&o.environment)->value_name("NAME"),
         "the environment (default: $JSORM_ENV, else the config's, else development)");
  }
  if (command.groups & kGuarded) {
    all.add_options()("force", po::bool_switch(&o.force), "run even when the environment is production");
  }
  if (command.groups & kStepsOption) {
    all.add_options()("steps", po::value<long long>()->value_name("N")->notifier([&o](long long n) { o.steps = n; }),
                      "roll back only the newest N migrations (N >= 1)");
  }
  if (command.groups & kToOption) {
    all.add_options()("to", po::value<std::string>()->value_name("NAME")->notifier([&o](const std::string& name) {
      o.toMigration = name;
    }),
                      command.name == "migrate"            ? "apply the pending migrations up to and including NAME only"
                      : command.name == "migrate:baseline" ? "record the migrations up to and including NAME as applied"
                                                           : "roll back every migration applied after NAME, keeping NAME");
  }
  if (command.groups & kCheckOptions) {
    all.add_options()("models", po::bool_switch(&o.compareModels),
                      "compare with the generate source's models instead of the applied migrations");
  }
  if (command.groups & kBaselineOptions) {
    all.add_options()("force", po::bool_switch(&o.force), "record the migrations without checking the live schema");
  }
  if (command.groups & kDiagramOptions) {
    all.add_options()("format", po::value(&o.diagramFormat)->value_name("FORMAT")->default_value("mermaid"),
                      "mermaid, dot (Graphviz's input) or svg (drawn by Graphviz's dot)");
  }
  if (command.groups & kGenerateOptions) {
    all.add_options()
        ("name", po::value(&o.migrationName)->value_name("NAME"), "name the migration (default: from the changes)")
        ("out", po::value(&o.outDirectory)->value_name("DIR"),
         "write the migration here (default: migrations/ next to jsorm.toml, or in the current folder)")
        ("check", po::bool_switch(&o.check), "write nothing; exit 11 when the models differ from the snapshot")
        ("allow-dangerous", po::bool_switch(&o.allowDangerous), "write a migration that drops tables or columns")
        ("history", po::value(&o.historySymbol)->value_name("SYMBOL"),
         "with no snapshot yet, replay this migration source of MODULE to build it (jsorm.toml: history = \"NAME\")");
  }
  if (command.groups & kMakeOptions) {
    all.add_options()("out", po::value(&o.outDirectory)->value_name("DIR"),
                      "write the file here (default: migrations/ next to jsorm.toml, or in the current folder)");
  }
  if (command.groups & kConnectionOptions) {
    all.add_options()
        ("url", po::value(&o.url)->value_name("URL"),
         "connect here instead of the source's adapter: sqlite:PATH, postgres://USER@HOST/DB,\n"
         "mysql://USER:PASSWORD@HOST:PORT/DB (MariaDB too; see docs/adapters.md for its ?lock= options)")
        ("adapter-path", po::value(&o.adapterPath)->value_name("DIR")->composing(),
         "search DIR for adapter plugins first (repeatable)")
        ("lock-timeout", po::value(&o.lockTimeoutSeconds)->value_name("SECONDS")->default_value(60),
         "wait this long for another runner's migration lock (0 to 604800)");
  } else if (command.groups & kAdapterPathOption) {
    all.add_options()("adapter-path", po::value(&o.adapterPath)->value_name("DIR")->composing(),
                      "search DIR for adapter plugins first (repeatable)");
  }
  if (command.groups & kRunOptions) {
    all.add_options()("dry-run", po::bool_switch(&o.dryRun), "print the SQL that would run; change nothing");
  }
  if (command.groups & kDdlLockOptions) {
    all.add_options()
        ("ddl-lock-timeout", po::value<double>()->value_name("SECONDS")->notifier([&o](double s) { o.ddlLockTimeoutSeconds = s; }),
         "PostgreSQL: give up a migration's statement after waiting this long for a table lock,\n"
         "roll the migration back and retry it (default: [run] ddlLockTimeout, else wait forever)")
        ("retries", po::value<int>()->value_name("N")->notifier([&o](int n) { o.retries = n; }),
         "with --ddl-lock-timeout: roll back and retry such a migration up to N times, pausing\n"
         "0.5 s, 1 s, 2 s, ... between tries (0 to 100; default: [run] retries, else 3)");
  }
  if (command.groups & kFleetOptions) {
    all.add_options()
        ("targets", po::value(&o.targetsFile)->value_name("FILE"),
         "run against every connection URL in FILE (one per line, # comments, ${VAR} expanded)")
        ("all-sources", po::bool_switch(&o.allSources), "run every [migrationSources.*] of the config")
        ("parallel", po::value(&o.parallel)->value_name("N")->default_value(4), "run up to N targets at once")
        ("canary", po::value(&o.canary)->value_name("K")->default_value(0),
         "run the first K targets alone first; any failure stops the fleet")
        ("continue-on-error", po::bool_switch(&o.continueOnError), "keep starting targets after one failed")
        ("shard", po::value(&o.shard)->value_name("K/N"), "take only the K-th of N stable, disjoint slices of the targets");
  }
  if (command.groups & kLintOptions) {
    all.add_options()
        ("all", po::bool_switch(&o.lintAll), "check every migration, not only the pending ones")
        ("database", po::value(&o.lintDatabase)->value_name("postgres|mysql|sqlite"),
         "check for this database (default: the source's adapter)")
        ("since", po::value(&o.lintSince)->value_name("NAME"),
         "the database holds every migration up to NAME: check only the ones after it");
  }
  if (command.groups & kJsonOption) {
    all.add_options()("json", po::bool_switch(&o.json), "print machine-readable JSON");
  }
  all.add_options()
      ("quiet,q", po::bool_switch(&o.quiet), "print only errors and results")
      ("verbose,v", po::bool_switch(&o.verbose), "print every statement as it runs")
      ("no-color", "never colour the output")
      ("help,h", "print this help");
  return all;
}

// Values the parser accepts but that mean nothing, or something dangerous: the most negative
// --steps once equalled "not given" and rolled back everything; a NaN or huge timeout made
// the conversion to milliseconds undefined.
void checkRanges(const po::variables_map& vm, const Options& o) {
  if (o.steps && *o.steps < 1) {
    throw UsageError(fmt::format("--steps must be a whole number of at least 1; got {}", *o.steps));
  }
  if (vm.count("lock-timeout") && !vm["lock-timeout"].defaulted()) {
    const double seconds = o.lockTimeoutSeconds;
    if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxLockTimeoutSeconds) {
      throw UsageError(fmt::format("--lock-timeout must be a number of seconds from 0 to {}; got {}",
                                   kMaxLockTimeoutSeconds, vm["lock-timeout"].as<double>()));
    }
  }
  if (o.toMigration && o.steps) throw UsageError("--to and --steps both say where to stop; give one of them");
  if (o.toMigration && o.toMigration->empty()) throw UsageError("--to needs a migration name; migrate:status lists them");
  if (o.ddlLockTimeoutSeconds) {
    if (auto problem = ddlLockTimeoutProblem(*o.ddlLockTimeoutSeconds); !problem.empty()) {
      throw UsageError("--ddl-lock-timeout " + problem);
    }
  }
  if (o.retries) {
    if (auto problem = retriesProblem(*o.retries); !problem.empty()) throw UsageError("--retries " + problem);
  }
  if (o.parallel < 1 || o.parallel > 64) throw UsageError(fmt::format("--parallel must be from 1 to 64; got {}", o.parallel));
  if (o.canary < 0) throw UsageError(fmt::format("--canary must be 0 or more targets; got {}", o.canary));
  if (vm.count("url") && o.url.empty()) {
    throw UsageError("--url is empty; pass a connection such as sqlite:app.db or postgres://USER@HOST/DB, or leave "
                     "--url out to use the source's own connection");
  }
}

int runCommand(const Command& command, int argc, char** argv, Output& out) {
  Invocation invocation{command, {}, out};
  auto description = optionsFor(command, invocation.options);
  po::options_description hidden;
  hidden.add_options()("positional", po::value(&invocation.options.positional));
  po::options_description parsed;
  parsed.add(description).add(hidden);
  po::positional_options_description positional;
  positional.add("positional", -1);

  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(parsed).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "Usage: " << command.usage << "\n\n" << command.summary << ".\n" << command.details << "\n\n" << description;
    return kOk;
  }
  po::notify(vm);
  checkRanges(vm, invocation.options);
  if (vm.count("no-color")) out.disableColour();
  out.setQuiet(invocation.options.quiet);
  for (auto& secret : jsorm::secretsIn(invocation.options.url)) out.addSecret(std::move(secret));
  return command.run(invocation);
}

}  // namespace

int main(int argc, char** argv) {
  Output out;
  if (argc < 2) {
    printGeneralHelp(std::cerr);
    return kUsageError;
  }
  const std::string_view first = argv[1];
  if (first == "--version" || first == "-V" || first == "version") {
    std::cout << "jsorm " JSORM_VERSION_STRING " (plugin ABI " << JSORM_ABI_VERSION << ")\n";
    return kOk;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    printGeneralHelp(std::cout);
    return kOk;
  }
  const Command* command = nullptr;
  for (const auto& candidate : commands()) {
    if (candidate.name == first) command = &candidate;
  }
  if (!command) {
    out.error(fmt::format("unknown command '{}'; run `jsorm --help` for the list", first));
    return kUsageError;
  }
  try {
    return runCommand(*command, argc - 1, argv + 1, out);
  } catch (const po::error& e) {
    out.error(fmt::format("{}: {}; run `jsorm {} --help`", command->name, e.what(), command->name));
    return kUsageError;
  } catch (...) {
    // One classification for a command and for each target of a fleet (fleet_failure.cpp).
    const TargetFailure failure = describeFailure(std::current_exception());
    out.error(failure.exitCode == kUsageError
                  ? fmt::format("{}: {}; run `jsorm {} --help`", command->name, failure.message, command->name)
                  : failure.message);
    return failure.exitCode;
  }
}
