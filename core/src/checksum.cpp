#include <jsorm/checksum.hpp>
#include <jsorm/overloaded.hpp>

#include "checksum.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::Overloaded;

// A canonical text of the steps: every field that changes what runs, in a fixed order,
// each string length-prefixed so no two different step lists serialise alike.
class Canonical {
 public:
  void text(std::string_view s) {
    appendNumber(static_cast<long long>(s.size()));
    out_ += ':';
    out_ += s;
    out_ += ';';
  }
  void number(long long n) {
    appendNumber(n);
    out_ += ';';
  }

  void field(const FieldSpec& f) {
    number(static_cast<int>(f.type));
    number(f.length);
    number(f.precision);
    number(f.scale);
    number(f.primary);
    number(f.unique);
    number(f.optional);
    number(f.index);
    if (f.defaultValue) {
      std::visit(Overloaded{[&](bool b) { text(b ? "b:true" : "b:false"); },
                            [&](std::int64_t i) { text("i:" + std::to_string(i)); },
                            [&](double d) { text(fmt::format("d:{}", d)); },
                            [&](const std::string& s) { text("s:" + s); }},
                 *f.defaultValue);
    } else {
      text("-");
    }
    text(f.defaultSql);
  }
  void column(const ColumnDef& c) {
    text(c.name);
    field(c.field);
    text(c.references ? c.references->table + "." + c.references->column : "");
  }
  void index(const IndexDef& i) {
    text(i.table);
    text(i.name);
    number(static_cast<long long>(i.columns.size()));
    for (const auto& c : i.columns) text(c);
    number(i.unique);
    number(i.concurrently);
  }
  void table(const TableDef& t) {
    text(t.name);
    number(static_cast<long long>(t.columns.size()));
    for (const auto& c : t.columns) column(c);
    number(static_cast<long long>(t.indexes.size()));
    for (const auto& i : t.indexes) index(i);
  }
  void steps(const Steps& steps) {
    number(static_cast<long long>(steps.size()));
    for (const auto& s : steps) {
      number(static_cast<long long>(s.operation().index()));
      std::visit(Overloaded{
                     [&](const step::CreateTable& op) {
                       table(op.table);
                       number(static_cast<long long>(op.pivots.size()));
                       for (const auto& p : op.pivots) table(p);
                     },
                     [&](const step::DropTable& op) { text(op.table); },
                     [&](const step::RenameTable& op) {
                       text(op.from);
                       text(op.to);
                     },
                     [&](const step::AddColumn& op) {
                       text(op.table);
                       column(op.column);
                     },
                     [&](const step::DropColumn& op) {
                       text(op.table);
                       text(op.column);
                       number(op.ifExists);
                     },
                     [&](const step::RenameColumn& op) {
                       text(op.table);
                       text(op.from);
                       text(op.to);
                     },
                     [&](const step::CreateIndex& op) { index(op.index); },
                     [&](const step::DropIndex& op) {
                       text(op.table);
                       text(op.name);
                     },
                     [&](const step::RawSql& op) {
                       text(op.up);
                       text(op.down.value_or("\x01none"));
                     },
                     // Code cannot be hashed: the description stands for it.
                     [&](const step::Data& op) { text(op.description); },
                     [&](const step::AlterColumn& op) {
                       text(op.table);
                       column(op.column);
                       number(op.from.has_value());
                       if (op.from) column(*op.from);
                     },
                 },
                 s.operation());
    }
  }
  const std::string& str() const noexcept { return out_; }

 private:
  // Runs once per token of every migration on each command, so no formatting library here.
  void appendNumber(long long n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
  }

  std::string out_;
};

std::uint64_t fnv1a64(const std::string& data) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}
}  // namespace

std::string detail::checksumOf(const Steps& up, const Steps* down, bool transaction) {
  Canonical canonical;
  canonical.steps(up);
  // An explicit down is part of what was agreed on; an automatic one follows from up.
  if (down) canonical.steps(*down);
  canonical.number(transaction);
  return fmt::format("{:016x}", fnv1a64(canonical.str()));
}

std::string detail::stepChecksum(const Step& step) {
  Canonical canonical;
  canonical.steps(Steps{step});
  return fmt::format("{:016x}", fnv1a64(canonical.str()));
}

std::string checksum(const Migration& migration) {
  if (migration.down.empty()) return detail::checksumOf(upSteps(migration), nullptr, migration.transaction);
  const Steps down = downSteps(migration);
  return detail::checksumOf(upSteps(migration), &down, migration.transaction);
}

JSORM_NAMESPACE_END
