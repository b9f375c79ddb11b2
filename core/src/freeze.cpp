// migrate:freeze: a migration's live-model tables replaced by the definitions it was
// applied with, found by the checksum the tracking table recorded, and written as C++.

#include <jsorm/error.hpp>
#include <jsorm/freeze.hpp>
#include <jsorm/generator.hpp>
#include <jsorm/overloaded.hpp>
#include <jsorm/schema_replay.hpp>

#include "checksum.hpp"
#include "generator_code.hpp"
#include "snapshot_of.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <optional>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::Overloaded;

// At most this many combinations of definitions are hashed; each is a few microseconds.
constexpr std::size_t kMaxCombinations = 4096;

// A column read back from a snapshot, keeping the live model's exact declaration when it
// describes the same column (a snapshot cannot tell `string()` from `string(255)`).
ColumnDef columnFrom(const ColumnSnapshot& old, const TableDef& live) {
  for (const auto& column : live.columns) {
    if (column.name == old.name && detail::columnOf(column) == old) return column;
  }
  ColumnDef def = detail::columnDef(old);
  if (def.field.type != FieldType::String || def.field.length == kDefaultStringLength) def.field.length = 0;
  def.field.referencesTable = def.references ? def.references->table : "";
  def.field.referencesColumn = def.references ? def.references->column : "";
  return def;
}

// The table as createTable(defineModel(...)) of these columns builds it: the indexes their
// unique and index flags ask for, in column order (resolveTable's order).
std::optional<TableDef> tableFrom(const SchemaSnapshot& schema, const TableDef& live) {
  const TableSnapshot* old = schema.table(live.name);
  if (!old) return std::nullopt;
  TableDef table{live.name, {}, {}};
  for (const auto& c : old->columns) {
    ColumnDef column = columnFrom(c, live);
    if (column.field.unique && !column.field.primary) {
      table.indexes.push_back({table.name, defaultIndexName(table.name, {column.name}, true), {column.name}, true, false});
    }
    if (column.field.index) {
      table.indexes.push_back({table.name, defaultIndexName(table.name, {column.name}, false), {column.name}, false, false});
    }
    table.columns.push_back(std::move(column));
  }
  return table;
}

std::optional<step::CreateTable> createFrom(const SchemaSnapshot& schema, const step::CreateTable& live) {
  auto table = tableFrom(schema, live.table);
  if (!table) return std::nullopt;
  step::CreateTable op{std::move(*table), {}, false};
  for (const auto& pivot : live.pivots) {
    auto old = tableFrom(schema, pivot);
    if (!old) return std::nullopt;
    // A pivot's index is its own (both keys, unique), not a column flag's.
    old->indexes = pivot.indexes;
    op.pivots.push_back(std::move(*old));
  }
  return op;
}

bool sameTable(const step::CreateTable& a, const step::CreateTable& b) {
  return detail::checksumOf(Steps{step::CreateTable{a.table, a.pivots, false}}, nullptr, true) ==
         detail::checksumOf(Steps{step::CreateTable{b.table, b.pivots, false}}, nullptr, true);
}

// The builder expression for a step, or nothing when the DSL cannot write it from data.
std::optional<std::string> stepCode(const Step& step) {
  using Code = std::optional<std::string>;
  return std::visit(
      Overloaded{
          [](const step::CreateTable& op) -> Code {
            if (!op.pivots.empty()) return std::nullopt;  // a pivot comes from a manyToMany field only
            return detail::literalTableCode(op.table);
          },
          [](const step::DropTable& op) -> Code { return fmt::format("t.dropTable({})", cppString(op.table)); },
          [](const step::RenameTable& op) -> Code {
            return fmt::format("t.renameTable({}, {})", cppString(op.from), cppString(op.to));
          },
          [](const step::AddColumn& op) -> Code {
            return fmt::format("t.addColumn({}, {}, {})", cppString(op.table), cppString(op.column.name),
                               detail::fieldCode(op.column));
          },
          [](const step::DropColumn& op) -> Code {
            return fmt::format("t.dropColumn({}, {}{})", cppString(op.table), cppString(op.column),
                               op.ifExists ? ", {.ifExists = true}" : "");
          },
          [](const step::RenameColumn& op) -> Code {
            return fmt::format("t.renameColumn({}, {}, {})", cppString(op.table), cppString(op.from), cppString(op.to));
          },
          [](const step::CreateIndex& op) -> Code {
            std::vector<std::string> columns;
            for (const auto& c : op.index.columns) columns.push_back(cppString(c));
            std::vector<std::string> options;
            if (op.index.name != defaultIndexName(op.index.table, op.index.columns, op.index.unique)) {
              options.push_back(".name = " + cppString(op.index.name));
            }
            if (op.index.unique) options.push_back(".unique = true");
            if (op.index.concurrently) options.push_back(".concurrently = true");
            return fmt::format("t.createIndex({}, {{{}}}{})", cppString(op.index.table), fmt::join(columns, ", "),
                               options.empty() ? "" : fmt::format(", {{{}}}", fmt::join(options, ", ")));
          },
          [](const step::DropIndex& op) -> Code {
            return fmt::format("t.dropIndex({}, {})", cppString(op.table), cppString(op.name));
          },
          [](const step::RawSql& op) -> Code {
            return op.down ? fmt::format("t.rawSql({}, {})", cppString(op.up), cppString(*op.down))
                           : fmt::format("t.rawSql({})", cppString(op.up));
          },
          [](const step::Data& op) -> Code {
            // Code is not data: the user carries the lambda over; the description keeps the checksum.
            return fmt::format("t.data({}, /* the code of the original data step */)", cppString(op.description));
          },
          [](const step::AlterColumn& op) -> Code {
            return fmt::format("t.alterColumn({}, {}, {}{})", cppString(op.table), cppString(op.column.name),
                               detail::fieldCode(op.column),
                               op.from ? fmt::format(", {{.from = {}}}", detail::fieldCode(*op.from)) : std::string());
          },
          [](const auto&) -> Code { return std::nullopt; },
      },
      step.operation());
}

std::string bodyCode(const char* which, const Steps& steps, std::vector<std::string>& notes) {
  std::string text = fmt::format("    .{} = [](Builder& t) {{\n      return Steps{{\n", which);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (auto code = stepCode(steps[i])) {
      text += "          " + *code + ",\n";
      if (std::holds_alternative<step::Data>(steps[i].operation())) {
        notes.push_back(fmt::format("{} step {} ({}) is C++: copy its code from the original migration into the "
                                    "marked place",
                                    which, i + 1, steps[i].describe()));
      }
    } else {
      text += fmt::format("          // TODO: {} (write this step as the original migration does)\n",
                          detail::commentText(steps[i].describe()));
      notes.push_back(fmt::format("{} step {} ({}) cannot be written from data: copy it from the original migration",
                                  which, i + 1, steps[i].describe()));
    }
  }
  return text + "      };\n    },\n";
}

// The schema as it was before `later` ran: its tables, then each later migration's down,
// newest first, through the replay db:check uses. Nothing when one cannot be undone.
std::optional<SchemaSnapshot> rewound(const SchemaSnapshot& schema, const std::vector<Migration>& later) {
  if (later.empty()) return std::nullopt;
  try {
    Steps tables;
    for (const auto& table : schema.tables) {
      for (auto& step : detail::createTableSteps(table)) tables.push_back(std::move(step));
    }
    std::vector<Migration> replay{defineMigration({.name = "as found", .up = std::move(tables)})};
    for (auto m = later.rbegin(); m != later.rend(); ++m) {
      replay.push_back(defineMigration({.name = m->name, .up = downSteps(*m)}));
    }
    return replayMigrations(replay).schema;
  } catch (const Error&) {
    return std::nullopt;  // an irreversible later migration: the candidate as found is all there is
  }
}

// `init-roles-and-users` -> `initRolesAndUsers`; a leading digit gets a prefix.
std::string variableName(const std::string& migration) {
  std::string name;
  bool upper = false;
  for (unsigned char c : migration) {
    if (!std::isalnum(c)) {
      upper = !name.empty();
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(c)) : static_cast<char>(c);
    upper = false;
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) name = "migration" + name;
  return name;
}
}  // namespace

FrozenMigration freezeMigration(const Migration& migration, const std::vector<FreezeCandidate>& given,
                                const std::string& appliedChecksum, const std::vector<Migration>& later) {
  // Each candidate as found, then with the later migrations undone.
  std::vector<FreezeCandidate> candidates;
  for (const auto& candidate : given) {
    candidates.push_back(candidate);
    if (auto before = rewound(candidate.schema, later)) {
      candidates.push_back({fmt::format("{}, with the {} migration{} applied after it undone", candidate.origin,
                                        later.size(), later.size() == 1 ? "" : "s"),
                            std::move(*before)});
    }
  }
  Steps up = upSteps(migration);
  const std::optional<Steps> down = migration.down.empty() ? std::nullopt : std::optional<Steps>(downSteps(migration));

  // For each live-model step, the definitions to try: each candidate's, then the live one.
  std::vector<std::size_t> at;
  std::vector<std::vector<std::pair<std::string, step::CreateTable>>> options;
  FrozenMigration frozen;
  for (std::size_t i = 0; i < up.size(); ++i) {
    const auto* create = std::get_if<step::CreateTable>(&up[i].operation());
    if (!create || !create->fromModel) continue;
    frozen.liveTables.push_back(create->table.name);
    at.push_back(i);
    options.emplace_back();
    for (const auto& candidate : candidates) {
      if (auto old = createFrom(candidate.schema, *create)) options.back().emplace_back(candidate.origin, std::move(*old));
    }
    options.back().emplace_back("the live model", step::CreateTable{create->table, create->pivots, false});
  }

  std::vector<std::size_t> choice(at.size(), 0);
  auto apply = [&] {
    for (std::size_t k = 0; k < at.size(); ++k) up[at[k]] = options[k][choice[k]].second;
    return detail::checksumOf(up, down ? &*down : nullptr, migration.transaction);
  };
  // Odometer over every combination, the first candidates first; the first one whose
  // checksum is the applied one wins.
  std::size_t tried = 0;
  for (;;) {
    frozen.checksum = apply();
    if (frozen.checksum == appliedChecksum) {
      frozen.matches = true;
      break;
    }
    std::size_t k = 0;
    while (k < at.size() && ++choice[k] == options[k].size()) choice[k++] = 0;
    if (k == at.size() || ++tried >= kMaxCombinations) {
      std::fill(choice.begin(), choice.end(), 0);
      frozen.checksum = apply();
      break;
    }
  }
  for (std::size_t k = 0; k < at.size(); ++k) {
    const auto& live = options[k].back().second;
    const auto& [origin, chosen] = options[k][choice[k]];
    if (!sameTable(live, chosen)) {
      frozen.changedTables.push_back(chosen.table.name);
      frozen.origins.push_back(origin);
    }
  }

  std::string& out = frozen.code;
  out += fmt::format("const Migration {} = defineMigration({{\n", variableName(migration.name));
  out += fmt::format("    .name = {},\n", cppString(migration.name));
  out += bodyCode("up", up, frozen.notes);
  if (down) out += bodyCode("down", *down, frozen.notes);
  if (!migration.transaction) out += "    .transaction = false,\n";
  if (!migration.lintAllow.empty()) {
    std::vector<std::string> allow;
    for (const auto& a : migration.lintAllow) allow.push_back(fmt::format("{{{}, {}}}", cppString(a.rule), cppString(a.reason)));
    out += fmt::format("    .lintAllow = {{{}}},\n", fmt::join(allow, ", "));
  }
  out += "});\n";
  return frozen;
}

JSORM_NAMESPACE_END
